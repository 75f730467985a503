#!/usr/bin/env bash
# bin/stint test: every test against a fresh stack.
#   1. unit tests (make check: Check programs, the SQL lint);
#   2. integration tests (node:test) against a new stack started in a
#      temporary directory on other ports, from a database built from sql/.
# Ends with the line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
port=${STINT_TEST_PORT:-18080}
pg_port=${STINT_TEST_PG_PORT:-15433}
out="$repo/tests/out"
passed=0
failed=0

say() { printf '\n== %s\n' "$*"; }

bin/stint deps || exit 1
bin/stint build || exit 1
rm -rf "$out" && mkdir -p "$out"

say "unit tests (make check)"
make -s check >"$out/make-check.txt" 2>&1
check_rc=$?
for trs in tests/unit/*.trs tests/*.trs; do
	[ -f "$trs" ] || continue
	log=${trs%.trs}.log
	result=$(sed -n 's/^:test-result: //p' "$trs")
	line=$(grep -E 'Checks: [0-9]+' "$log" | tail -n 1)
	grep -E '^mustache spec:' "$log" || true
	if [ -n "$line" ]; then
		echo "$(basename "$log" .log): $line"
		n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
		f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
		e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
		passed=$((passed + n - f - e))
		failed=$((failed + f + e))
	elif [ "$result" = PASS ]; then
		echo "$(basename "$log" .log): PASS"
		passed=$((passed + 1))
	elif [ "$result" != SKIP ]; then
		echo "$(basename "$log" .log): $result"
		failed=$((failed + 1))
	fi
done
if [ "$check_rc" -ne 0 ]; then
	echo "make check failed:"
	tail -n 40 "$out/make-check.txt"
	tail -n 60 test-suite.log 2>/dev/null
	[ "$failed" -gt 0 ] || failed=1
fi

say "fuzz targets (a short run of each; tests/fuzz/README.md has the long runs)"
STINT_FUZZ_BUILD="$out/fuzz" tests/fuzz/run.sh "${STINT_FUZZ_SECONDS:-5}" >"$out/fuzz.txt" 2>&1
grep -E '^(fuzz |.*skipped)' "$out/fuzz.txt" || true
np=$(grep -cE '^fuzz [a-z]+: [0-9]+ execs, 0 crashes$' "$out/fuzz.txt")
nf=$(grep -E '^fuzz [a-z]+: ' "$out/fuzz.txt" | grep -cvE ': [0-9]+ execs, 0 crashes$')
passed=$((passed + np))
failed=$((failed + nf))
if [ "$nf" -gt 0 ]; then tail -n 40 "$out/fuzz.txt"; fi

say "integration tests"
prefix=$(mktemp -d /tmp/stint-test.XXXXXX)
cleanup() { bin/stint down --prefix "$prefix" >/dev/null 2>&1; rm -rf "$prefix"; }
trap cleanup EXIT
# the suite signs in more often than a person would: a looser per-address
# login rate (the per-account lockout is what the tests exercise)
if ! STINT_LOGIN_RATE=600r/m bin/stint up --prefix "$prefix" --port "$port" --pg-port "$pg_port" --no-demo; then
	echo "the test stack did not start"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi
(cd tests && npm ci --no-audit --no-fund --loglevel=error >"$out/npm.txt" 2>&1) || {
	cat "$out/npm.txt"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
STINT_TEST_URL="http://127.0.0.1:$port" STINT_TEST_PREFIX="$prefix" \
	node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$out/integration.tap" \
	tests/integration/*.test.mjs tests/browser/*.test.mjs
np=$(grep -E '^# pass [0-9]+' "$out/integration.tap" | awk '{print $3}')
nf=$(grep -E '^# fail [0-9]+' "$out/integration.tap" | awk '{print $3}')
nc=$(grep -E '^# cancelled [0-9]+' "$out/integration.tap" | awk '{print $3}')
nf=$(( ${nf:-1} + ${nc:-0} ))  # a cancelled test (its suite failed early) did not pass
passed=$((passed + ${np:-0}))
failed=$((failed + ${nf:-1}))
if [ "${nf:-1}" -ne 0 ]; then
	for log in "$prefix"/log/*.log; do
		echo "--- $(basename "$log") (last lines)"
		grep -E 'ERROR|WARN|emerg|crit|alert' "$log" | tail -n 15
	done
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# bin/stint test [PATTERN...]: every test against a fresh stack.
#   1. unit tests (make check: Check programs, the SQL lint);
#   2. a short run of each fuzz target;
#   3. integration tests (node:test) against a new stack started in a
#      temporary directory on other ports, from a database built from sql/,
#      with the S3 test server (tests/s3/server.mjs) as its recorder bucket;
#   4. cluster tests (tests/cluster/*.test.mjs) against `bin/stint cluster`
#      in a temporary directory, on port STINT_TEST_CLUSTER_PORT (default the
#      test port + 2000) at its loopback addresses (docs/scale-out.md).
# With PATTERNs only the tests whose name matches one of them run. The names:
# unit/test_lib, lint-sql (the Makefile's TESTS), fuzz/dvw (tests/fuzz/run.sh's
# targets), integration/timeline, browser/pages, seeds/002 (tests/*/NAME.test.mjs). A
# pattern is a glob matched anywhere in a name: timeline, dvw, unit/, fuzz/h*.
# A pattern that matches no test is an error. The stack is started only for
# integration or browser tests, the cluster only for cluster tests.
# Ends with the line "N passed, N failed"; exits non-zero on any failure. A
# test that did not run is a failure: a unit program that exits 77 (SKIP), a
# fuzz target without its result line (no clang), a skipped node test.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
port=${STINT_TEST_PORT:-18080}
pg_port=${STINT_TEST_PG_PORT:-15433}
out=${STINT_TEST_OUT:-$repo/tests/out}  # results (a nested run names its own)
passed=0
failed=0

patterns=()
for arg in "$@"; do
	case $arg in
	-h | --help)
		sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
		exit 0
		;;
	-*)
		echo "bin/stint test: unknown option $arg (usage: bin/stint test [PATTERN...])" >&2
		exit 2
		;;
	*) [ -n "$arg" ] && patterns+=("$arg") ;;
	esac
done

say() { printf '\n== %s\n' "$*"; }

# selected NAME: whether NAME runs (every test does when no pattern is given).
declare -A matched=()
selected() {
	local p hit=1
	((${#patterns[@]} > 0)) || return 0
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053 # the pattern is a glob
		if [[ $1 == *$p* ]]; then
			matched[$p]=1
			hit=0
		fi
	done
	return "$hit"
}

# Fill unit (make check's TESTS), fuzz (targets) and files (*.test.mjs) with
# the selected tests, all_names with every name; a pattern that matches
# nothing ends the run.
select_tests() {
	local t name p
	# shellcheck disable=SC2016 # $(TESTS) is make's
	for t in $(printf 'stint-print-tests:\n\t@echo $(TESTS)\n' |
		make -s --no-print-directory -f Makefile -f - stint-print-tests); do
		name=${t#tests/}
		name=${name%.sh}
		all_names+=("$name")
		if selected "$name"; then unit+=("$t"); fi
	done
	local -a targets=()
	read -ra targets <<<"$(sed -n 's/^TARGETS="\(.*\)"$/\1/p' tests/fuzz/run.sh)"
	for t in "${targets[@]}"; do
		all_names+=("fuzz/$t")
		if selected "fuzz/$t"; then fuzz+=("$t"); fi
	done
	for t in tests/integration/*.test.mjs tests/browser/*.test.mjs tests/seeds/*.test.mjs \
		tests/install/*.test.mjs; do
		name=${t#tests/}
		name=${name%.test.mjs}
		all_names+=("$name")
		if selected "$name"; then files+=("$t"); fi
	done
	for t in tests/cluster/*.test.mjs; do
		name=${t#tests/}
		name=${name%.test.mjs}
		all_names+=("$name")
		if selected "$name"; then cluster_files+=("$t"); fi
	done
	for p in "${patterns[@]}"; do
		[[ -n ${matched[$p]:-} ]] && continue
		echo "bin/stint test: no test matches '$p'; the tests are:" >&2
		printf '  %s\n' "${all_names[@]}" >&2
		echo "$passed passed, 1 failed"
		exit 2
	done
}

run_unit() {
	local -a args=()
	local t trs log result line n f e check_rc
	say "unit tests (make check)"
	# a subset: only those (make check forgets the others' results)
	((${#patterns[@]} == 0)) || args=("TESTS=${unit[*]}")
	make -s check "${args[@]}" >"$out/make-check.txt" 2>&1
	check_rc=$?
	for t in "${unit[@]}"; do
		# automake's names: tests/unit/test_lib.trs, tests/lint-sql.sh.trs
		trs=$t.trs
		[ -f "$trs" ] || trs=${t%.*}.trs
		if [ ! -f "$trs" ]; then
			echo "$t: no result (make check did not run it)"
			failed=$((failed + 1))
			continue
		fi
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
		elif [ "$result" = SKIP ]; then
			# exit 77: the program could not run (its data missing): a
			# test that did not run did not pass
			echo "$(basename "$log" .log): SKIP (counted as a failure: $(tail -n 1 "$log"))"
			failed=$((failed + 1))
		else
			echo "$(basename "$log" .log): ${result:-no result}"
			failed=$((failed + 1))
		fi
	done
	if [ "$check_rc" -ne 0 ]; then
		echo "make check failed:"
		tail -n 40 "$out/make-check.txt"
		tail -n 60 test-suite.log 2>/dev/null
		[ "$failed" -gt 0 ] || failed=1
	fi
}

run_fuzz() {
	local -a targets=()
	local np nf t
	say "fuzz targets (a short run of each; tests/fuzz/README.md has the long runs)"
	((${#patterns[@]} == 0)) || targets=("${fuzz[@]}")
	STINT_FUZZ_BUILD="$out/fuzz" tests/fuzz/run.sh "${STINT_FUZZ_SECONDS:-5}" "${targets[@]}" \
		>"$out/fuzz.txt" 2>&1
	grep -E '^fuzz ' "$out/fuzz.txt" || true
	# a selected target passes only with its own "0 crashes" line: one that
	# did not run (no clang, no libFuzzer runtime, no build) is a failure, and
	# a line of a target not selected counts for nothing
	np=0
	for t in "${fuzz[@]}"; do
		grep -qE "^fuzz $t: [0-9]+ execs, 0 crashes\$" "$out/fuzz.txt" && np=$((np + 1))
	done
	nf=$((${#fuzz[@]} - np))
	passed=$((passed + np))
	failed=$((failed + nf))
	if [ "$nf" -gt 0 ]; then tail -n 40 "$out/fuzz.txt"; fi
}

# Add the counts of node's TAP report FILE to passed and failed; nf gets this
# report's failures. A cancelled test (its suite failed early) or a skipped
# one did not pass: both count as failures, the skipped ones listed. A report
# without its "# fail" line (node died) counts one failure.
count_tap() {
	local np nc ns
	np=$(grep -E '^# pass [0-9]+' "$1" | awk '{print $3}')
	nf=$(grep -E '^# fail [0-9]+' "$1" | awk '{print $3}')
	nc=$(grep -E '^# cancelled [0-9]+' "$1" | awk '{print $3}')
	ns=$(grep -E '^# (skipped|todo) [0-9]+' "$1" | awk '{s += $3} END {print s + 0}')
	nf=$(( ${nf:-1} + ${nc:-0} + ns ))
	if [ "$ns" -gt 0 ]; then
		echo "skipped tests (counted as failures):"
		grep -E '^ *ok .* # (SKIP|TODO)' "$1"
	fi
	passed=$((passed + ${np:-0}))
	failed=$((failed + nf))
}

run_integration() {
	local nf log
	say "integration tests"
	prefix=$(mktemp -d /tmp/stint-test.XXXXXX)
	trap cleanup EXIT
	(cd tests && npm ci --no-audit --no-fund --loglevel=error >"$out/npm.txt" 2>&1) || {
		cat "$out/npm.txt"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
	start_s3 || { echo "the S3 test server did not start:"; cat "$out/s3.log"
		echo "$passed passed, $((failed + 1)) failed"; exit 1; }
	# the suite signs in more often than a person would: a looser per-address
	# login rate (the per-account lockout is what the tests exercise)
	# no spooler of the stack: tests/integration/spooler.test.mjs starts its own
	# the test analyzers (two that fail) beside the shipped ones: analyzers.test.mjs
	if ! STINT_SPOOLER=off STINT_LOGIN_RATE=600r/m STINT_ANALYZERS_CONFIG="$repo/tests/analyzers.conf" bin/stint up --prefix "$prefix" --port "$port" --pg-port "$pg_port" --no-demo; then
		echo "the test stack did not start"
		echo "$passed passed, $((failed + 1)) failed"
		exit 1
	fi
	STINT_TEST_URL="http://127.0.0.1:$port" STINT_TEST_PREFIX="$prefix" \
		node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$out/integration.tap" \
		"${files[@]}"
	count_tap "$out/integration.tap"
	if [ "$nf" -ne 0 ]; then
		for log in "$prefix"/log/*.log; do
			echo "--- $(basename "$log") (last lines)"
			grep -E 'ERROR|WARN|emerg|crit|alert' "$log" | tail -n 15
		done
	fi
}

# The S3 test server (tests/s3/server.mjs: s3rver with a key pair of the run's
# own, anonymous requests refused) on STINT_TEST_S3_PORT (default: the test
# port + 1000), its bucket `recordings` empty; the stack gets STINT_S3_*
# settings pointing at it, the secret key in a file (s3_secret_key_file), and
# the tests its request log ($out/s3-requests.log: one JSON line a request).
start_s3() {
	local s3_port=${STINT_TEST_S3_PORT:-$((port + 1000))} secret i
	s3dir=$(mktemp -d /tmp/stint-s3.XXXXXX)
	chmod 755 "$s3dir"
	secret=$(head -c 30 /dev/urandom | base64 | tr -d '/+=')
	printf '%s\n' "$secret" >"$s3dir/secret"
	chmod 644 "$s3dir/secret"  # the stack's unprivileged user reads it
	S3_ACCESS_KEY=stint-test S3_SECRET_KEY=$secret node --openssl-legacy-provider tests/s3/server.mjs \
		--port "$s3_port" --dir "$s3dir/data" --bucket recordings >"$out/s3-requests.log" 2>"$out/s3.log" &
	s3_pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^s3 ready' "$out/s3.log" && break
		kill -0 "$s3_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	grep -q '^s3 ready' "$out/s3.log" || return 1
	export STINT_S3_ENABLED=yes STINT_S3_ENDPOINT=http://127.0.0.1:$s3_port STINT_S3_BUCKET=recordings \
		STINT_S3_ACCESS_KEY=stint-test STINT_S3_SECRET_KEY_FILE=$s3dir/secret \
		STINT_TEST_S3_LOG=$out/s3-requests.log \
		STINT_RECORDER_SYNC_INTERVAL_S=0  # no periodic sync from the tests' spoolers, but where a test asks
}

# The cluster (bin/stint cluster up) in a temporary folder: spoolers with a
# short lease (cluster/spooler), a per-client rate above the load tests' own.
run_cluster() {
	local nf log cport=${STINT_TEST_CLUSTER_PORT:-$((port + 2000))}
	say "cluster tests (bin/stint cluster on port $cport)"
	cluster_dir=$(mktemp -d /tmp/stint-cluster.XXXXXX)
	trap cleanup EXIT
	(cd tests && npm ci --no-audit --no-fund --loglevel=error >"$out/npm.txt" 2>&1) || {
		cat "$out/npm.txt"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
	if ! STINT_SPOOL_LEASE_S=3 STINT_SPOOL_HEARTBEAT_S=1 STINT_SPOOL_POLL_S=1 STINT_SPOOL_GRACE_S=2 \
		STINT_RATE_LIMIT=5000r/s STINT_LOGIN_RATE=600r/m STINT_RECORDER_SYNC_INTERVAL_S=0 \
		bin/stint cluster up --prefix "$cluster_dir" --port "$cport" --no-build >"$out/cluster-up.txt" 2>&1; then
		tail -n 40 "$out/cluster-up.txt"
		echo "the test cluster did not start"
		echo "$passed passed, $((failed + 1)) failed"
		exit 1
	fi
	STINT_TEST_URL="http://127.0.0.11:$cport" STINT_TEST_PREFIX="$cluster_dir/web1" STINT_CLUSTER_DIR="$cluster_dir" \
		node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
		--test-reporter=tap --test-reporter-destination="$out/cluster.tap" \
		"${cluster_files[@]}"
	count_tap "$out/cluster.tap"
	if [ "$nf" -ne 0 ]; then
		for log in "$cluster_dir"/*/log/*.log; do
			echo "--- ${log#"$cluster_dir"/} (last lines)"
			grep -E 'ERROR|WARN|FATAL|PANIC|emerg|crit|alert' "$log" | tail -n 10
		done
	fi
}

prefix=
s3dir=
s3_pid=
cluster_dir=
cleanup() {
	if [ -n "$cluster_dir" ]; then
		bin/stint cluster down --prefix "$cluster_dir" >/dev/null 2>&1
		rm -rf "$cluster_dir"
	fi
	if [ -n "$prefix" ]; then
		bin/stint down --prefix "$prefix" >/dev/null 2>&1
		rm -rf "$prefix"
	fi
	if [ -n "$s3_pid" ]; then kill "$s3_pid" 2>/dev/null; wait "$s3_pid" 2>/dev/null; fi
	if [ -n "$s3dir" ]; then rm -rf "$s3dir"; fi
}

bin/stint deps || exit 1
bin/stint build || exit 1
all_names=()
unit=()
fuzz=()
files=()
cluster_files=()
select_tests
rm -rf "$out" && mkdir -p "$out"
if ((${#unit[@]} > 0)); then run_unit; fi
if ((${#fuzz[@]} > 0)); then run_fuzz; fi
if ((${#files[@]} > 0)); then run_integration; fi
if ((${#cluster_files[@]} > 0)); then run_cluster; fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

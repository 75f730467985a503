#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS [TARGET...]]: build the libFuzzer targets in
# tests/fuzz/ with clang (ASan + UBSan, every UBSan report fatal), seed each
# corpus in a scratch directory from $STINT_DATA_DIR (default ../shared/data)
# and inline samples, and run each target for SECONDS (default 10).
#
# Prints one line per target, "fuzz TARGET: N execs, 0 crashes", or on a
# crash, leak, timeout or out-of-memory the kind, the saved input and the
# end of the report (the whole log is in BUILD/logs/TARGET.log). Exits 1 when
# any target failed or did not build, 0 otherwise. When clang or its
# libFuzzer runtime (Debian 12: libclang-rt-14-dev) is missing it runs
# nothing, prints "fuzz TARGET: not run (...)" for each target and exits 1:
# a fuzz run that did not happen is a failure, never a silent pass.
#
# Environment:
#   STINT_FUZZ_BUILD     build directory (default tests/fuzz/build)
#   STINT_FUZZ_CORPUS    keep corpora in DIR/TARGET between runs (default: a
#                        scratch directory removed at exit)
#   STINT_FUZZ_PARALLEL  targets run at once (default 1)
#   STINT_DATA_DIR       the shared data (.dvw files, mustache spec)
#   STINT_FUZZ_CC        the compiler (default clang)
# shellcheck disable=SC2317  # the seed_TARGET functions are called by name
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${1:-10}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
build=${STINT_FUZZ_BUILD:-$here/build}
data=${STINT_DATA_DIR:-$repo/../shared/data}
parallel=${STINT_FUZZ_PARALLEL:-1}
cc=${STINT_FUZZ_CC:-clang}

case $seconds in
'' | *[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS [TARGET...]]" >&2; exit 2 ;;
esac

TARGETS="http json csv dvw mustache text multipart surveys devicexml devicecsv epts tusmeta fit scoutcode"
# lib/ is compiled with the fuzzer's instrumentation into one archive; the
# linker takes from it only what each target calls.
PKGS="libcjson libpq libsodium libcrypto libcurl libxml-2.0 inih"
LIBS="$(for p in $PKGS; do pkg-config --libs "$p" 2>/dev/null; done) -lfcgi -lcsv -lm"
CFLAGS_BASE="-std=c17 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -I$repo/lib
	$(for p in $PKGS; do pkg-config --cflags "$p" 2>/dev/null; done)"
WARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
# Longest input tried: .dvw seeds are up to 130 KB, but mutating files that
# size runs a few dozen times a second; mustache skips longer templates.
declare -A MAX_LEN=([dvw]=16384 [mustache]=4096 [devicexml]=16384 [devicecsv]=16384 [epts]=65536)
MAX_LEN[fit]=8192

[ ${#targets[@]} -gt 0 ] || read -ra targets <<<"$TARGETS"
for t in "${targets[@]}"; do
	if [[ " $TARGETS " != *" $t "* ]]; then
		echo "unknown fuzz target: $t (known: $TARGETS)" >&2
		exit 2
	fi
done

# --- the toolchain ---------------------------------------------------------

# not_run REASON: every target fails with REASON; exit 1.
not_run() {
	local t
	for t in "${targets[@]}"; do
		echo "fuzz $t: not run ($1)"
	done
	exit 1
}

if ! command -v "$cc" >/dev/null 2>&1; then
	not_run "$cc not found; Debian: apt-get install clang libclang-rt-14-dev, or bin/stint deps"
fi
mkdir -p "$build/obj" "$build/logs" "$build/artifacts" || exit 1
probe="$build/obj/probe"
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	>"$probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	sed 's/^/  /' "$probe.log" | tail -n 3
	not_run "$cc cannot link libFuzzer programs; Debian: apt-get install libclang-rt-14-dev"
fi

# --- build -----------------------------------------------------------------

# Compile lib/NAME.c unless its object is newer than it and every lib header.
compile_unit() {
	local src="$repo/lib/$1.c" obj="$build/obj/$1.o"

	if [ -f "$obj" ] && [ -z "$(find "$src" "$repo"/lib/*.h -newer "$obj" 2>/dev/null)" ]; then
		return 0
	fi
	rm -f "$obj"
	# shellcheck disable=SC2086
	"$cc" $CFLAGS_BASE $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
}

# Build BUILD/libstint-fuzz.a from every lib/*.c that compiles (one that does
# not is reported; a target that needs it then fails to link).
build_lib() {
	local src name objs=()

	for src in "$repo"/lib/*.c; do
		name=$(basename "$src" .c)
		if compile_unit "$name"; then
			objs+=("$build/obj/$name.o")
		else
			echo "fuzz: lib/$name.c does not compile with $cc; left out"
		fi
	done
	rm -f "$build/libstint-fuzz.a"
	ar crs "$build/libstint-fuzz.a" "${objs[@]}"
}

build_target() {
	# shellcheck disable=SC2086
	"$cc" $CFLAGS_BASE $WARN $SAN -fsanitize=fuzzer "$here/fuzz_$1.c" \
		"$build/libstint-fuzz.a" $LIBS -o "$build/fuzz_$1"
}

# --- seeds -------------------------------------------------------------------

# seed DIR NAME TEXT: one seed file (printf %b escapes in TEXT).
seed() {
	printf '%b' "$3" >"$1/$2"
}

seed_http() {
	local d=$1 uuid=0f8fad5b-d9cb-469f-a165-70867728950e
	local tok=3b1f6a5c9d2e4f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8
	seed "$d" path1 "p/api/v1/sessions/$uuid/events/42"
	seed "$d" path2 "p/api/v1/sessions/$uuid/import/events.csv"
	seed "$d" path3 "p/account/tokens/7/revoke"
	seed "$d" path4 "p/"
	seed "$d" path5 "p/media/sessions/0F8FAD5B-D9CB-469F-A165-70867728950E/clips/1234567890123456789"
	seed "$d" query1 "qq=caf%C3%A9+night&status=live&kind=match&limit=10&offset=20"
	seed "$d" query2 "qlimit=0&offset=-1&kind=%ZZ&&=x&status"
	seed "$d" form1 "fcsrf=$tok&title=Friday+training&kind=training&venue=&starts_at=2026-11-22T10:00&ends_at=2026-11-22T11%3A30"
	seed "$d" form2 "ftitle=%3Cb%3Ex%3C%2Fb%3E&status=planned&meta=%7B%7D&starts_at=2026-11-22T10:00:00%2B01:00"
	seed "$d" cookie1 "cstint_session=abcdef0123456789; stint_csrf=$tok"
	seed "$d" cookie2 "c  a = 1 ;b=2;;=;stint_csrf=$tok;  "
}

seed_json() {
	local d=$1
	seed "$d" session '{"title":"Friday training","kind":"training","venue":null,"status":"planned","starts_at":"2026-11-22T10:00:00Z","ends_at":"2026-11-22T11:30:00+01:00","meta":{"coach":"A"},"data":{}}'
	seed "$d" session_bad '{"title":"","kind":"golf","id":"x","starts_at":"2026-02-30T10:00:00Z","ends_at":"2026-11-22T09:00:00Z","extra":1}'
	seed "$d" patch '{"title":"caf\\u00e9 \\ud83c\\udfd0","ends_at":"2026-11-22T12:00:00.250-03:30"}'
	seed "$d" events '{"events":[{"t_sec":1.5,"event_type":"serve","actor_team":"A","actor_number":9,"payload":{"evaluation":"#"}},{"t_sec":2,"event_type":"timeout","actor_team":null,"actor_number":null,"clip_id":3}]}'
	seed "$d" events_bare '[{"t_sec":-1,"event_type":"Serve","actor_team":"C","actor_number":1000,"payload":[]},{"t_sec":"x"},1,null]'
	seed "$d" event_patch '{"t_sec":1e7,"event_type":"end_of_set","clip_id":9000000000000000000}'
	seed "$d" deep '[[[[[[[[[[[[[[[[{"a":[{"b":{}}]}]]]]]]]]]]]]]]]'
}

seed_csv() {
	local d=$1 h='clip_id,t_sec,event_type,actor_team,actor_number,actor_name,payload\r\n'
	seed "$d" export "$h"'1,1.5,serve,A,9,Anna Kowalska,"{""note"": ""comma, \\""quote\\""\\nnewline""}"\r\n,2,timeout,,,,{}\r\n,3.25,attack,B,11,,"{""evaluation"": ""#"", ""zones"": [4, 1]}"\r\n'
	seed "$d" broken "$h"',abc,serve,A,1,,{}\r\n,1,serve,Z,1,,\r\n1,2,3\r\n,"unterminated\r\n'
	seed "$d" lf "$h"',0,point,B,,,\n,1e3,end_of_set,,,,"{}"\n'
	seed "$d" header 'a,b\r\n1,2\r\n'
}

# The first byte picks the kind: 0 (even) wellness.csv, 1 (odd) srpe.csv.
# Scout codes as typed in the editor (lib/scoutcode.h): DataVolley's form, the spaced one, partial and bad.
seed_scoutcode() {
	local d=$1
	seed "$d" attack '*16AH#V6~42CH2'
	seed "$d" spaced 'a07SQ# 1 5'
	seed "$d" home '16AT/X5 4 1 T2'
	seed "$d" point 'ap25:23'
	seed "$d" sub '*c05:12'
	seed "$d" partial '*16AH'
	seed "$d" green '*$$&H#'
	seed "$d" bad '*16AH%V6 0 X'
}

seed_surveys() {
	local d=$1 p
	for p in p01 p05; do
		[ -f "$data/wellness/$p/wellness.csv" ] || continue
		{ printf 0; cat "$data/wellness/$p/wellness.csv"; } >"$d/$p-wellness" || return 1
		{ printf 1; cat "$data/wellness/$p/srpe.csv"; } >"$d/$p-srpe" || return 1
	done
	seed "$d" srpe '1end_date_time,activity_names,perceived_exertion,duration_min\n2019-11-05T22:51:54.710Z,"[\x27a\x27, \x27b\x27]",7,30\n2019-11-06T10:00:00Z,[],,\n'
	seed "$d" wellness '0effective_time_frame,fatigue,mood,readiness,sleep_duration_h,sleep_quality,soreness,soreness_area,stress\n2019-11-01T08:31:40.751Z,2,3,5,6,3,2,"[1, 2]",0\n'
	seed "$d" broken '1end_date_time,activity_names,perceived_exertion,duration_min\nsoon,x,11,-1\n1,2\n"open'
}

seed_dvw() {
	local d=$1 f
	for f in "$data"/volleyball/*.dvw; do
		[ -f "$f" ] || continue
		cp "$f" "$d/" || return 1
		# the same file cut 40 lines into [3SCOUT]: small and quick to mutate
		awk '/^\[3SCOUT\]/ { s = 1 } { print } s && ++n > 40 { exit }' "$f" \
			>"$d/head-$(basename "$f")"
	done
}

seed_mustache() {
	local d=$1
	cp "$repo"/templates/*.mustache "$d/" || return 1
	[ -d "$data/mustache-spec" ] && command -v node >/dev/null || return 0
	# shellcheck disable=SC2016  # JavaScript, not shell
	node -e '
		const fs = require("fs"), path = require("path");
		const [dir, out] = process.argv.slice(1);
		let n = 0;
		for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".json"))) {
			for (const t of JSON.parse(fs.readFileSync(path.join(dir, f))).tests) {
				const texts = [t.template, ...Object.values(t.partials || {})];
				for (const s of texts)
					fs.writeFileSync(path.join(out, `spec-${n++}`), s);
			}
		}' "$data/mustache-spec" "$d"
}

seed_text() {
	local d=$1
	seed "$d" ts1 '2026-11-22T10:00:00Z'
	seed "$d" ts2 '2024-02-29t23:59:60.123456789-15:59'
	seed "$d" ts3 '1900-01-01 00:00:00+00:00'
	seed "$d" ts4 '9998-12-31T23:59:59.9z'
	seed "$d" uuid '0f8fad5b-d9cb-469f-a165-70867728950e'
	seed "$d" utf8 'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8f\x90 \xed\x9f\xbf \xf4\x8f\xbf\xbf'
	seed "$d" utf8_bad '\xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80'
	seed "$d" ident 'end_of_set'
	seed "$d" number ' -12.5e3'
	seed "$d" control 'a\tb\x01c\x7f'
	seed "$d" relpath 'media/sessions/0f8fad5b/clip-1.mp4'
	seed "$d" relpath_bad 'media/./x/../../etc//passwd'
}

seed_multipart() {
	local d=$1 ct='multipart/form-data; boundary=b\n'
	seed "$d" import "$ct"'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n3b1f6a5c\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="m.dvw"\r\nContent-Type: application/octet-stream\r\n\r\n[3DATAVOLLEYSCOUT]\r\n--b--\r\n'
	seed "$d" empty_file "$ct"'preamble\r\n--b \t\r\ncontent-disposition: FORM-DATA; filename=""; name=video\r\n\r\n\r\n--b--'
	seed "$d" quoted 'Multipart/Form-Data; charset=utf-8; boundary="a b:c"\n--a b:c\r\nContent-Disposition: form-data; name=t\r\n\r\n\x00\xff\r\n--a b:c--'
	seed "$d" broken "$ct"'--b\nContent-Disposition: form-data; name\n\nv\n--b'
}

# seed_prefixed DIR NAME BYTE FILE [LINES]: FILE (its first LINES lines) after the format byte BYTE.
seed_prefixed() {
	{
		printf '%b' "$3"
		if [ -n "${5:-}" ]; then head -n "$5" "$4"; else cat "$4"; fi
	} >"$1/$2"
}

seed_devicexml() {
	local d=$1 f
	for f in "$data"/gps/*.gpx; do
		[ -f "$f" ] || continue
		seed_prefixed "$d" "$(basename "$f")" '\x00' "$f" 120
	done
	for f in "$data"/gps/*.tcx; do
		[ -f "$f" ] || continue
		seed_prefixed "$d" "$(basename "$f")" '\x01' "$f" 120
	done
}

seed_devicecsv() {
	local d=$1 f
	for f in "$data"/tracking/metrica_*.csv; do
		[ -f "$f" ] || continue
		seed_prefixed "$d" "$(basename "$f")" '\x01' "$f"
	done
	seed "$d" unicsv '\x00No,Latitude,Longitude,Altitude,Temperature,Speed,Heartrate,Cadence,Date,Time\n1,38.229787,-122.633704,2.2,25.000,0.00,61,,2017/06/11,14:34:09\n2,38.229781,-122.633707,2.4,25.000,0.00,61,,2017/06/11,14:34:10\n'
	seed "$d" statsports '\x00 Player; Date; Time; Lat; Lon; Speed (km/h); Heart Rate (bpm); Accl X\r\nA;14/03/2025;18:30:00,0;46,056946;14,505751;0,00;92;0,02\r\nA;14/03/2025;18:30:00,1;46,05695;14,50576;7,2;;0,05\r\n'
	seed "$d" catapult '\x00# OpenField Export\n\nTimestamp,Velocity,Odometer,X,Y,Heart Rate\n2025-03-14T18:30:00.00Z,3.1,0,10.5,20.1,141\n2025-03-14T18:30:00.1+01:00,3.2,0.32,10.8,20.2,141\n'
	seed "$d" hr '\x00time,hr\n0,80\n1,"82"\n'
}

seed_epts() {
	local d=$1 meta=$data/tracking/epts_metrica_metadata.xml txt=$data/tracking/epts_metrica_tracking.txt
	[ -f "$meta" ] && [ -f "$txt" ] || return 0
	{ cat "$meta"; printf '\0'; head -n 3 "$txt"; } >"$d/metrica"
}

# Each FIT file twice: as it is (\x00: CRCs checked) and with the CRCs rewritten by the harness (\x01).
seed_fit() {
	local d=$1 f
	for f in "$data"/gps/*.fit; do
		[ -f "$f" ] || continue
		seed_prefixed "$d" "$(basename "$f")" '\x00' "$f"
		seed_prefixed "$d" "fixed-$(basename "$f")" '\x01' "$f"
	done
}

seed_tusmeta() {
	local d=$1
	seed "$d" all 'kind dmlkZW8=,filename c2lkZS5tcDQ=,title U2lkZSBjYW1lcmE=,offset_sec MTIuNQ=='
	seed "$d" filetype 'filename c2lkZS5tcDQ=, filetype YXVkaW8vd2F2,relativePath'
	seed "$d" bad 'kind ***,offset_sec MWUzMDA='
}

# --- run -------------------------------------------------------------------

# run_target TARGET: fuzz it for $seconds; one result line, 0 or 1.
run_target() {
	local t=$1 corpus=$2 log="$build/logs/$1.log" art="$build/artifacts/$1/" dict execs unit kind
	local opts=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10
		-print_final_stats=1 -artifact_prefix="$art")

	mkdir -p "$art"
	dict="$here/$t.dict"
	[ -f "$dict" ] && opts+=(-dict="$dict")
	[ -n "${MAX_LEN[$t]:-}" ] && opts+=(-max_len="${MAX_LEN[$t]}")
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
		"$build/fuzz_$t" "${opts[@]}" "$corpus" >"$log" 2>&1
	local rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	unit=$(sed -n 's/.*Test unit written to //p' "$log" | grep -v '/slow-unit-' | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -z "$unit" ]; then
		echo "fuzz $t: ${execs:-0} execs, 0 crashes"
		return 0
	fi
	kind=$(basename "${unit:-crash-}")
	kind=${kind%%-*}
	echo "fuzz $t: ${execs:-0} execs, 1 $kind (exit $rc): ${unit:-no input saved}"
	grep -E 'ERROR: |SUMMARY: |runtime error|^ +#[0-9]+ ' "$log" |
		grep -vE 'fuzzer::|libc_start|in _start |in main ' | head -n 20 | sed 's/^/  /'
	echo "  log: $log"
	[ -n "$unit" ] && echo "  reproduce: $build/fuzz_$t $unit"
	return 1
}

failed=0
build_lib || exit 1
for t in "${targets[@]}"; do
	if ! build_target "$t"; then
		echo "fuzz $t: does not build"
		failed=1
	fi
done
[ "$failed" -eq 0 ] || exit 1

scratch=$(mktemp -d "${TMPDIR:-/tmp}/stint-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
results="$scratch/results"
mkdir -p "$results"
running=0
for t in "${targets[@]}"; do
	corpus="${STINT_FUZZ_CORPUS:-$scratch/corpus}/$t"
	if ! mkdir -p "$corpus" || ! "seed_$t" "$corpus"; then
		echo "fuzz $t: seeding failed"
		failed=1
		continue
	fi
	run_target "$t" "$corpus" >"$results/$t" &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for t in "${targets[@]}"; do
	[ -f "$results/$t" ] || continue
	cat "$results/$t"
	grep -q '^fuzz [a-z]*: [0-9]* execs, 0 crashes$' "$results/$t" || failed=1
done
exit "$failed"

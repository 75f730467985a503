# shellcheck shell=bash
# bin/stint.d/test.sh, sourced by bin/stint: test (tests/run.sh).

cmd_test() {
	local run=$REPO/tests/run.sh
	[[ -f $run ]] || die "no test runner at $run"
	if [[ -x $run ]]; then exec "$run" "$@"; fi
	exec bash "$run" "$@"
}

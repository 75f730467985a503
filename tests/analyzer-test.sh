#!/bin/sh
# analyzer-test.sh: the test suite's failing clip analyzers (tests/analyzers.conf;
# tests/integration/analyzers.test.mjs). As STINT_ANALYZER says:
#   test-exit     a progress line, a good event, then exit 1 with a reason on stderr;
#   test-badline  a good event, then a line that is not one (line 3).
case ${STINT_ANALYZER:-} in
test-exit)
	echo "progress 10 Listening"
	echo '{"t_sec": 1, "event_type": "whistle"}'
	echo "test-exit: the microphone of clip $3 is broken" >&2
	exit 1
	;;
test-badline)
	echo '{"t_sec": 1, "event_type": "whistle", "payload": {"level": -20}}'
	echo 'progress 50 Half way'
	echo '{"t_sec": "soon", "event_type": "Whistle!"}'
	;;
*)
	echo "analyzer-test.sh: unknown analyzer ${STINT_ANALYZER:-}" >&2
	exit 2
	;;
esac

#!/bin/sh
# analyzer-test.sh: the test suite's failing clip analyzers (tests/analyzers.conf;
# tests/integration/analyzers.test.mjs). As STINT_ANALYZER says:
#   test-exit     a progress line, a good event, then exit 1 with a reason on stderr;
#   test-badline  a good event, then a line that is not one (line 3);
#   test-slow     starts `sleep 60`, writes "ITS_PID SLEEP_PID" to
#                 $STINT_TEST_ANALYZER_DIR/slow-CLIP_ID, and waits for it (its
#                 time_limit_s is 1).
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
test-slow)
	echo "progress 5 Taking my time"
	sleep 60 &
	echo "$$ $!" >"${STINT_TEST_ANALYZER_DIR:?}/slow-$3.tmp" && mv "${STINT_TEST_ANALYZER_DIR}/slow-$3.tmp" "${STINT_TEST_ANALYZER_DIR}/slow-$3"
	wait
	;;
*)
	echo "analyzer-test.sh: unknown analyzer ${STINT_ANALYZER:-}" >&2
	exit 2
	;;
esac

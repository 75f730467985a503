#!/bin/bash
# tests/spool-task.sh: the program of the task type spool_test (conf/tasks.conf), for
# tests/integration/spooler.test.mjs. Speaks the child protocol of docs/tasks.md: the task's
# params as JSON on stdin, progress lines and a final JSON line on stdout, errors on stderr.
# params: {"mode": ok | touch | fail | sleep | once | slow, "marker": a file (touch, sleep, once)}
#   ok     two progress lines, then the result {"answer": 42, "task": <id>, "attempt": n}
#   touch  writes "<task id> <attempt>" to marker (its side effect), then answers as ok
#   fail   a line on stderr naming the attempt, exit 3
#   sleep  writes "<pid> <pgid> <pid of a sleeping grandchild>" to marker, then waits for ever
#   once   the first run (no marker yet) writes marker and sleeps; a later run answers as ok and
#          adds a line to marker.runs
#   slow   a progress line, 4 s of sleep, then the result
set -u
params=$(cat)
field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" <<<"$params"; }
mode=$(field mode)
marker=$(field marker)
answer() { printf '{"answer": 42, "task": "%s", "attempt": %s}\n' "$STINT_TASK_ID" "$STINT_TASK_ATTEMPT"; }
case $mode in
ok)
	echo "progress 30 Half way"
	echo "not a protocol line: ignored"
	echo "progress 90 Almost there"
	answer
	;;
touch)
	echo "$STINT_TASK_ID $STINT_TASK_ATTEMPT" >"$marker.tmp" && mv "$marker.tmp" "$marker"
	answer
	;;
fail)
	echo "some early noise" >&2
	echo "something broke on attempt $STINT_TASK_ATTEMPT" >&2
	exit 3
	;;
sleep)
	sleep 300 &
	echo "$$ $(ps -o pgid= -p $$ | tr -d ' ') $!" >"$marker.tmp" && mv "$marker.tmp" "$marker"
	echo "progress 10 Sleeping"
	wait
	;;
once)
	if [[ ! -e $marker ]]; then
		sleep 300 &
		echo "$$ $(ps -o pgid= -p $$ | tr -d ' ') $!" >"$marker.tmp" && mv "$marker.tmp" "$marker"
		wait
		exit 1
	fi
	echo "run $STINT_TASK_ATTEMPT" >>"$marker.runs"
	answer
	;;
slow)
	echo "progress 50 Slowly"
	sleep 4
	echo "$STINT_TASK_ID" >>"$marker.runs"
	answer
	;;
*)
	echo "unknown mode: $mode" >&2
	exit 100
	;;
esac

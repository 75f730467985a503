# shellcheck shell=bash
# bin/stint.d/s3.sh, sourced by bin/stint: the demo recorder bucket (issue 13;
# docs/recorder.md). With the demo data, `up` starts the S3 test server
# (tests/s3/server.mjs) as the stack's bucket on port PORT + 1000
# (STINT_DEMO_S3_PORT), its data in PREFIX/s3, its key pair's secret in
# PREFIX/s3-secret (made once, mode 0600), and puts one recording there made
# from the demo clip's audio (tests/s3/demo.mjs), timed at the demo session's
# start; `down` stops it with the rest (RUN/s3.pid). Left out when the caller
# configures a bucket of their own (STINT_S3_ENABLED, STINT_S3_ENDPOINT, or
# s3_enabled / s3_endpoint in the settings file), with --no-demo, with
# STINT_DEMO_S3=off, or without node.

DEMO_S3=0
DEMO_S3_KEY=stint-demo

demo_s3_wanted() {
	((DEMO)) || return 1
	[[ ${STINT_DEMO_S3:-on} != off ]] || return 1
	[[ -z ${STINT_S3_ENABLED:-} && -z ${STINT_S3_ENDPOINT:-} ]] || return 1
	local conf=${STINT_CONFIG:-$CONF_FILE}
	if [[ -f $conf ]] && grep -Eq '^[[:space:]]*s3_(enabled|endpoint)[[:space:]]*=' "$conf"; then return 1; fi
	command -v node >/dev/null || { warn "node is missing: no demo recorder bucket"; return 1; }
	[[ -d $REPO/tests/node_modules/@20minutes/s3rver ]] && return 0
	(cd "$REPO/tests" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) && return 0
	warn "npm ci in tests/ failed: no demo recorder bucket"
	return 1
}

# Start the demo bucket (or find it running) and export its STINT_S3_* settings for write_env.
start_demo_s3() {
	demo_s3_wanted || return 0
	local port=${STINT_DEMO_S3_PORT:-$((PORT + 1000))} secret=$PREFIX/s3-secret pid i
	local -a env=() user=()
	if [[ ! -s $secret ]]; then
		(umask 077 && head -c 30 /dev/urandom | base64 | tr -d '/+=\n' >"$secret")
	fi
	mkdir -p "$PREFIX/s3"
	if is_root; then
		chown "$RUN_USER:$RUN_USER" "$secret" "$PREFIX/s3"
		user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	fi
	if pid=$(running_pid "$RUN/s3.pid"); then
		say "s3: already running (pid $pid)"
	else
		mapfile -d '' env < <(clean_env)
		printf '%s\n' "--- $(date -u +%FT%TZ) start" >>"$LOG/s3.log"
		setsid "${user[@]}" "${env[@]}" S3_ACCESS_KEY=$DEMO_S3_KEY S3_SECRET_KEY_FILE="$secret" \
			node --openssl-legacy-provider "$REPO/tests/s3/server.mjs" \
			--port "$port" --dir "$PREFIX/s3" --bucket recordings \
			</dev/null >>"$LOG/s3-requests.log" 2>>"$LOG/s3.log" &
		pid=$!
		printf '%s\n' "$pid" >"$RUN/s3.pid"
		for ((i = 0; i < 100; i++)); do
			tail -n 1 "$LOG/s3.log" | grep -q '^s3 ready' && break
			alive "$pid" || break
			sleep 0.1
		done
		if ! tail -n 1 "$LOG/s3.log" | grep -q '^s3 ready'; then
			warn "the demo recorder bucket did not start (port $port busy? STINT_DEMO_S3_PORT); going on without it:"
			tail -n 5 "$LOG/s3.log" >&2
			return 0
		fi
		say "s3: started (pid $pid, the demo recorder bucket on http://127.0.0.1:$port)"
	fi
	export STINT_S3_ENABLED=yes STINT_S3_ENDPOINT=http://127.0.0.1:$port STINT_S3_BUCKET=recordings \
		STINT_S3_ACCESS_KEY=$DEMO_S3_KEY STINT_S3_SECRET_KEY_FILE=$secret
	DEMO_S3=1
}

# Put the demo recording in the bucket (once) and sync it, so the list and the panel show it.
fill_demo_bucket() {
	((DEMO_S3)) || return 0
	local clip start
	local -a env=()
	clip=$(demo_dir)/volleyball/2019_03_01-KATS-BEDS-clip.mp4
	if [[ ! -f $PREFIX/s3/.demo-recording && -f $clip ]] && command -v ffmpeg >/dev/null; then
		start=$("$PG_BIN/psql" -d "$(db_conninfo)" -X -A -t -c "SELECT to_char(coalesce(starts_at, now())
			AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM sessions
			WHERE meta->>'demo_key' = 'kats-beds-clip'" 2>/dev/null || true)
		[[ -n $start ]] || start=$(date -u +%FT%TZ)
		if S3_SECRET_KEY=$(<"$PREFIX/s3-secret") node "$REPO/tests/s3/demo.mjs" --clip "$clip" --start "$start" \
			--endpoint "$STINT_S3_ENDPOINT" --bucket recordings --access-key "$DEMO_S3_KEY" >/dev/null; then
			touch "$PREFIX/s3/.demo-recording"
		else
			warn "could not put the demo recording into the bucket"
		fi
	fi
	mapfile -d '' env < <(clean_env settings)
	if as_user "${env[@]}" "$PROG_DIR/stint-recorder-sync" </dev/null >/dev/null 2>>"$LOG/s3.log"; then
		say "The demo recorder bucket is synced: GET /api/v1/recorder/sessions lists its recording"
	else
		warn "the demo recorder bucket's sync failed: $(tail -n 1 "$LOG/s3.log")"
	fi
}

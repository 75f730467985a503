# shellcheck shell=bash
# shellcheck disable=SC2034 # sets the globals of common.sh and stack.sh for their functions
# bin/stint.d/cluster.sh, sourced by bin/stint: `bin/stint cluster
# up|down|status|failover` (issue 21; docs/scale-out.md). On this machine,
# each part of a scaled-out Stint on its own loopback address and in its own
# state folder under the cluster folder (default var/cluster/, --prefix),
# sharing nothing but the network:
#   front  127.0.0.11  nginx balancing the two web hosts   front/
#   web1   127.0.0.12  nginx + handler pools + livepub + spooler (a stack
#   web2   127.0.0.13  prefix as `up` makes it; nchan over redis)  web1/ web2/
#   pg1    127.0.0.14  PostgreSQL, primary or synchronous standby  pg1/
#   pg2    127.0.0.15  the other one                                pg2/
#   redis  127.0.0.16  redis-server: nchan's store for both web hosts  redis/
#   s3     127.0.0.17  the S3 test server (recordings, media)       s3/
# Every part listens on the same port (--port, else $STINT_CLUSTER_PORT,
# else 8400) at its own address. CLUSTER/roles names the primary and the
# standby; CLUSTER/cluster.env the addresses (for the tests and bench/scale).

CLUSTER_DEFAULT_PORT=8400
declare -A CL_ADDR=([front]=127.0.0.11 [web1]=127.0.0.12 [web2]=127.0.0.13 [pg1]=127.0.0.14
	[pg2]=127.0.0.15 [redis]=127.0.0.16 [s3]=127.0.0.17)
CL=
CL_PORT=

cmd_cluster() {
	local action=${1:-}
	(($# > 0)) && shift
	parse_opts "$@"
	CL=${PREFIX:-$STATE_DIR/cluster}
	[[ $CL == /* ]] || CL=$CALLER_PWD/$CL
	[[ $CL =~ ^[A-Za-z0-9._/+-]+$ ]] || die "cluster folder '$CL': letters, digits and . _ / + - only"
	CL_PORT=${PORT:-}
	if [[ -z $CL_PORT && -f $CL/cluster.env ]]; then CL_PORT=$(sed -n 's/^port=\([0-9]*\)$/\1/p' "$CL/cluster.env"); fi
	CL_PORT=${CL_PORT:-${STINT_CLUSTER_PORT:-$CLUSTER_DEFAULT_PORT}}
	[[ $CL_PORT =~ ^[0-9]{4,5}$ ]] || die "the cluster port must be a number 1024..65535, not '$CL_PORT'"
	case $action in
	up) cluster_up ;;
	down) cluster_down ;;
	status) cluster_status ;;
	failover) cluster_failover ;;
	*) die "usage: bin/stint cluster up|down|status|failover [--prefix DIR] [--port N] [--no-build]" ;;
	esac
}

# --- small helpers -------------------------------------------------------------------

cl_url() { printf 'http://%s:%s' "${CL_ADDR[$1]}" "$CL_PORT"; }

# Make folder $1 (and its parents under CL) belong to the stack's user.
cl_mkdir() {
	local d
	mkdir -p "$@"
	is_root || return 0
	for d; do
		while [[ $d == "$CL"/* ]]; do
			chown "$RUN_USER:$RUN_USER" "$d"
			d=${d%/*}
		done
	done
	chown "$RUN_USER:$RUN_USER" "$CL"
}

# The role (primary or standby) a node has in CL/roles; the node of a role.
cl_node_of() {
	if [[ -f $CL/roles ]]; then sed -n "s/^$1=\\(pg[12]\\)\$/\\1/p" "$CL/roles"; fi
}

cl_write_roles() {
	printf 'primary=%s\nstandby=%s\n' "$1" "${2:-}" >"$CL/roles.tmp"
	mv -f "$CL/roles.tmp" "$CL/roles"
}

# The pid in file $1 when that process runs and its command line holds $2.
cl_pid() {
	local pid cmd
	[[ -f $1 ]] && read -r pid <"$1" && alive "$pid" || return 1
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	[[ $cmd == *"$2"* ]] || return 1
	printf '%s\n' "$pid"
}

cl_wait_http() {
	local url=$1 i code
	for ((i = 0; i < READY_TIMEOUT_S * 5; i++)); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url") || true
		[[ $code == 200 ]] && return 0
		sleep 0.2
	done
	return 1
}

# --- PostgreSQL ----------------------------------------------------------------------

cl_pg_ctl() {
	local node=$1
	shift
	as_user "$PG_BIN/pg_ctl" -D "$CL/$node/data" "$@"
}
cl_pg_running() { [[ -f $CL/$1/data/PG_VERSION ]] && cl_pg_ctl "$1" status >/dev/null 2>&1; }
cl_pg_pid() { head -n 1 "$CL/$1/data/postmaster.pid" 2>/dev/null || true; }
cl_conninfo() { printf 'host=%s port=%s dbname=%s user=stint connect_timeout=2' "${CL_ADDR[$1]}" "$CL_PORT" "${2:-postgres}"; }
cl_psql() {
	local node=$1
	shift
	"$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$(cl_conninfo "$node")" "$@"
}

# Start node $1 (its own address, port, socket folder; its name is its
# application_name on the primary, which synchronous_standby_names names).
cl_pg_start() {
	local node=$1 out
	if cl_pg_running "$node"; then
		say "$node: already running (pid $(cl_pg_pid "$node"))"
		return 0
	fi
	rm -f "$CL/$node/run/.s.PGSQL.$CL_PORT.lock"
	new_tmp out
	local -a env=()
	mapfile -d '' env < <(clean_env)
	if ! as_user "${env[@]}" "$PG_BIN/pg_ctl" -D "$CL/$node/data" -l "$CL/$node/log/postgres.log" \
		-o "-c listen_addresses=${CL_ADDR[$node]} -p $CL_PORT -k $CL/$node/run -c cluster_name=$node" \
		-w -t 60 start >"$out" 2>&1 </dev/null; then
		warn "PostgreSQL $node did not start:"
		cat "$out" >&2
		tail -n 20 "$CL/$node/log/postgres.log" >&2
		exit 1
	fi
	say "$node: started (pid $(cl_pg_pid "$node"), ${CL_ADDR[$node]}:$CL_PORT)"
}

# A new primary: initdb, TCP from the loopback network (trust, as the local
# stack's unix socket), synchronous_commit on (the default, said aloud).
cl_pg_init_primary() {
	local node=$1 d=$CL/$1/data
	[[ -f $d/PG_VERSION ]] && return 0
	quiet_run "initdb ($node)" as_user "$PG_BIN/initdb" -D "$d" -U stint --auth=trust -E UTF8 \
		--locale=C.UTF-8 --no-sync
	printf '%s\n' "host all all 127.0.0.0/8 trust" "host replication all 127.0.0.0/8 trust" >>"$d/pg_hba.conf"
	printf '%s\n' "# bin/stint cluster" "synchronous_commit = on" "wal_level = replica" \
		"max_wal_senders = 10" "hot_standby = on" "wal_keep_size = 256MB" >>"$d/postgresql.conf"
}

# A new standby of the primary: pg_basebackup -R (standby.signal and
# primary_conninfo), streaming from then on.
cl_pg_init_standby() {
	local node=$1 primary=$2 d=$CL/$1/data
	[[ -f $d/PG_VERSION ]] && return 0
	rm -rf "$d"
	quiet_run "pg_basebackup ($node from $primary)" as_user "$PG_BIN/pg_basebackup" \
		-h "${CL_ADDR[$primary]}" -p "$CL_PORT" -U stint -D "$d" -R -X stream -c fast
	chmod 0700 "$d"
	say "$node: a standby of $primary (pg_basebackup)"
}

# The primary waits for the standby's flush before it acknowledges a commit.
cl_pg_sync() {
	local primary=$1 standby=$2 i state
	cl_psql "$primary" -c "ALTER SYSTEM SET synchronous_standby_names = '$standby'" -c "SELECT pg_reload_conf()" \
		>/dev/null || die "cannot set synchronous_standby_names on $primary"
	for ((i = 0; i < 300; i++)); do
		state=$(cl_psql "$primary" -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$standby'") || true
		[[ $state == sync ]] && break
		sleep 0.1
	done
	[[ $state == sync ]] || die "$standby did not become the synchronous standby of $primary (state '${state:-none}')"
	say "$standby: synchronous standby of $primary"
}

cl_postgres_up() {
	local primary standby
	primary=$(cl_node_of primary)
	standby=$(cl_node_of standby)
	if [[ -z $primary ]]; then
		primary=pg1
		standby=pg2
		cl_write_roles "$primary" "$standby"
	fi
	# after a failover the lost node comes back as the standby of the new primary
	[[ -n $standby ]] || standby=$([[ $primary == pg1 ]] && echo pg2 || echo pg1)
	cl_mkdir "$CL/$primary/run" "$CL/$primary/log" "$CL/$standby/run" "$CL/$standby/log"
	cl_pg_init_primary "$primary"
	cl_pg_start "$primary"
	cl_pg_init_standby "$standby" "$primary"
	cl_pg_start "$standby"
	cl_write_roles "$primary" "$standby"
	cl_pg_sync "$primary" "$standby"
	if [[ $(cl_psql "$primary" -c "SELECT 1 FROM pg_database WHERE datname = 'stint'") != 1 ]]; then
		cl_psql "$primary" -c "CREATE DATABASE stint" >/dev/null || die "cannot create the database on $primary"
	fi
	MIGRATE_CONN="$(cl_conninfo "$primary" stint) options='-c client_min_messages=warning'"
	migrate
	unset MIGRATE_CONN
}

# --- redis, S3 -------------------------------------------------------------------------

cl_redis_up() {
	local d=$CL/redis pid i
	local -a env=() user=()
	cl_mkdir "$d"
	if pid=$(cl_pid "$d/redis.pid" "redis-server ${CL_ADDR[redis]}:$CL_PORT"); then
		say "redis: already running (pid $pid)"
		return 0
	fi
	mapfile -d '' env < <(clean_env)
	is_root && user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	# nchan's messages live as long as their buffer (2 h): no persistence
	setsid "${user[@]}" "${env[@]}" redis-server --bind "${CL_ADDR[redis]}" --port "$CL_PORT" --dir "$d" \
		--save '' --appendonly no --protected-mode no --daemonize no --logfile "$d/redis.log" \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$d/redis.pid"
	for ((i = 0; i < 50; i++)); do
		[[ $(redis-cli -h "${CL_ADDR[redis]}" -p "$CL_PORT" ping 2>/dev/null) == PONG ]] && break
		sleep 0.1
	done
	[[ $(redis-cli -h "${CL_ADDR[redis]}" -p "$CL_PORT" ping 2>/dev/null) == PONG ]] ||
		{ tail -n 20 "$d/redis.log" >&2; die "redis-server did not start"; }
	say "redis: started (pid $pid, ${CL_ADDR[redis]}:$CL_PORT)"
}

# The S3 test server (its own address): the hosts' recorder bucket
# (recordings) and their media bucket (media: media_storage s3, so no host
# keeps a clip, upload or report another host needs; docs/storage.md), the
# STINT_S3_* and STINT_MEDIA_* settings exported for write_env. Left out
# without node: media then stays on each host's disk.
cl_s3_up() {
	local d=$CL/s3 pid i secret=$CL/s3/secret
	local -a env=() user=()
	if ! command -v node >/dev/null || [[ ! -d $REPO/tests/node_modules/@20minutes/s3rver ]]; then
		warn "no node or no tests/node_modules (npm ci in tests/): no S3 test server"
		return 0
	fi
	cl_mkdir "$d"
	if [[ ! -s $secret ]]; then
		(umask 077 && head -c 30 /dev/urandom | base64 | tr -d '/+=\n' >"$secret")
	fi
	is_root && chown "$RUN_USER:$RUN_USER" "$secret"
	if pid=$(cl_pid "$d/s3.pid" "--dir $d/data"); then
		say "s3: already running (pid $pid)"
	else
		mapfile -d '' env < <(clean_env)
		is_root && user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
		: >"$d/s3.log"
		setsid "${user[@]}" "${env[@]}" S3_ACCESS_KEY=stint-cluster S3_SECRET_KEY_FILE="$secret" \
			node --openssl-legacy-provider "$REPO/tests/s3/server.mjs" --address "${CL_ADDR[s3]}" \
			--port "$CL_PORT" --dir "$d/data" --bucket recordings --bucket media </dev/null >>"$d/s3-requests.log" 2>>"$d/s3.log" &
		pid=$!
		printf '%s\n' "$pid" >"$d/s3.pid"
		for ((i = 0; i < 100; i++)); do
			grep -q '^s3 ready' "$d/s3.log" && break
			alive "$pid" || break
			sleep 0.1
		done
		grep -q '^s3 ready' "$d/s3.log" || { tail -n 5 "$d/s3.log" >&2; die "the S3 test server did not start"; }
		say "s3: started (pid $pid, $(cl_url s3))"
	fi
	STINT_S3_ENDPOINT=$(cl_url s3)
	export STINT_S3_ENABLED=yes STINT_S3_ENDPOINT STINT_S3_BUCKET=recordings \
		STINT_S3_ACCESS_KEY=stint-cluster STINT_S3_SECRET_KEY_FILE=$secret \
		STINT_MEDIA_STORAGE=s3 STINT_MEDIA_S3_BUCKET=media
}

# --- web hosts, front --------------------------------------------------------------------

# Point the stack globals (PREFIX, RUN, ...) at web host $1.
cl_web_paths() {
	PREFIX=$CL/$1
	LISTEN_ADDR=${CL_ADDR[$1]}
	PORT=$CL_PORT
	PG_PORT=$CL_PORT
	set_paths
}

# Web host $1 as `up` makes a stack, but: its database the cluster's (libpq
# multi-host, target_session_attrs=read-write), nchan's store the redis
# (nchan_redis_pass), clients' addresses from the front's X-Forwarded-For,
# the CSRF key shared, the public address the front's.
cl_web_up() {
	local host=$1 pid
	cl_mkdir "$CL/$host/run"
	printf '%s,%s %s\n' "${CL_ADDR[pg1]}" "${CL_ADDR[pg2]}" "$CL_PORT" >"$CL/$host/run/db-hosts"
	cl_web_paths "$host"
	prepare_prefix
	check_ports_unchanged
	BASE_URL=$(cl_url front)
	install -m 0600 "$CL/csrf-secret" "$PREFIX/csrf-secret"
	is_root && chown "$RUN_USER:$RUN_USER" "$PREFIX/csrf-secret"
	cat >"$NGX/extra-http/cluster.conf" <<EOF
# bin/stint cluster: the one redis, where every nchan location keeps its
# channels (extra-nchan/cluster.conf)
upstream stint_redis {
	nchan_redis_server redis://${CL_ADDR[redis]}:$CL_PORT;
}
# the client's own address (rate limits, logs) from the front
set_real_ip_from ${CL_ADDR[front]};
real_ip_header X-Forwarded-For;
EOF
	printf '%s\n' '# bin/stint cluster: this channel lives in the redis (extra-http/cluster.conf)' \
		'nchan_redis_pass stint_redis;' >"$NGX/extra-nchan/cluster.conf"
	STINT_ENV=()
	write_env
	MISSING=()
	start_pools
	((${#MISSING[@]} == 0)) || die "$host: not built: ${MISSING[*]} (bin/stint build)"
	start_nginx
	start_daemons
	cl_wait_http "$(cl_url "$host")/readyz" || { show_logs 12; die "$host did not become ready"; }
	say "$host: ready at $(cl_url "$host")/"
}

cl_front_up() {
	local d=$CL/front pid out i
	local -a env=() nginx=(nginx -e "$CL/front/log/nginx-error.log" -p "$CL/front/nginx/" -c "$CL/front/nginx.conf")
	cl_mkdir "$d/run" "$d/log" "$d/nginx"
	PREFIX=$d
	if pid=$(running_pid "$d/run/nginx.pid"); then
		say "front: already running (pid $pid)"
		return 0
	fi
	sed -e "s|@PREFIX@|$d|g" -e "s|@ADDR@|${CL_ADDR[front]}|g" -e "s|@PORT@|$CL_PORT|g" \
		-e "s|@WEB1@|${CL_ADDR[web1]}:$CL_PORT|g" -e "s|@WEB2@|${CL_ADDR[web2]}:$CL_PORT|g" \
		"$SHARE_DIR/conf/nginx/cluster-front.conf.in" >"$d/nginx.conf"
	mapfile -d '' env < <(clean_env)
	new_tmp out
	as_user "${env[@]}" "${nginx[@]}" -t -q >"$out" 2>&1 </dev/null || { cat "$out" >&2; die "front: invalid nginx.conf"; }
	as_user "${env[@]}" "${nginx[@]}" >"$out" 2>&1 </dev/null || { cat "$out" >&2; die "front: nginx did not start"; }
	for ((i = 0; i < 50; i++)); do
		pid=$(running_pid "$d/run/nginx.pid") && break
		sleep 0.1
	done
	[[ -n $pid ]] || die "front: nginx did not start (see $d/log/nginx-error.log)"
	say "front: started (pid $pid, $(cl_url front)/)"
}

# --- the commands ---------------------------------------------------------------------------

cluster_up() {
	local k
	[[ $INSTALLED == yes ]] && BUILD=0
	if ((BUILD)); then
		deps
		build
	fi
	command -v redis-server >/dev/null || die "redis-server is missing (bin/stint deps)"
	cl_mkdir "$CL"
	chmod 0755 "$CL"
	if [[ -f $CL/cluster.env ]] && ! grep -qx "port=$CL_PORT" "$CL/cluster.env"; then
		die "the cluster under $CL runs on another port: bin/stint cluster down --prefix $CL first"
	fi
	{
		printf 'port=%s\n' "$CL_PORT"
		for k in front web1 web2 pg1 pg2 redis s3; do printf '%s=%s\n' "$k" "${CL_ADDR[$k]}"; done
	} >"$CL/cluster.env"
	if [[ ! -s $CL/csrf-secret ]]; then
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$CL/csrf-secret" && printf '\n' >>"$CL/csrf-secret")
	fi
	RATE_LIMIT=${STINT_RATE_LIMIT:-$DEFAULT_RATE_LIMIT}
	LOGIN_RATE=${STINT_LOGIN_RATE:-$DEFAULT_LOGIN_RATE}
	cl_postgres_up
	cl_redis_up
	cl_s3_up
	cl_web_up web1
	ensure_admin
	cl_web_up web2
	cl_front_up
	cl_wait_http "$(cl_url front)/readyz" || die "the front did not answer /readyz"
	say "Stint cluster is running at $(cl_url front)/ (admin password in $CL/web1/admin-password)"
}

cluster_down() {
	local host node pid
	[[ -d $CL ]] || { say "nothing to stop: $CL does not exist"; return 0; }
	STOP_FAILED=0
	PREFIX=$CL/front
	stop_pidfile "$CL/front/run/nginx.pid" front
	for host in web1 web2; do
		[[ -d $CL/$host ]] || continue
		say "$host:"
		"$SELF" down --prefix "$CL/$host" | sed 's/^/  /' || STOP_FAILED=1
	done
	PREFIX=$CL/s3
	stop_pidfile "$CL/s3/s3.pid" s3
	if pid=$(cl_pid "$CL/redis/redis.pid" "redis-server ${CL_ADDR[redis]}:$CL_PORT"); then
		stop_process "$pid" redis || STOP_FAILED=1
	fi
	rm -f "$CL/redis/redis.pid"
	for node in pg1 pg2; do
		cl_pg_running "$node" || continue
		pid=$(cl_pg_pid "$node")
		cl_pg_ctl "$node" stop -m fast -w -t 30 >/dev/null 2>&1 </dev/null ||
			cl_pg_ctl "$node" stop -m immediate -w -t 30 >/dev/null 2>&1 </dev/null || STOP_FAILED=1
		say "$node: stopped (pid $pid)"
	done
	((STOP_FAILED == 0)) || exit 1
}

cl_row() { printf '%-8s %-22s %-8s %s\n' "$@"; }

cluster_status() {
	local ok=0 node role state pid code host
	[[ -f $CL/cluster.env ]] || die "no cluster under $CL: bin/stint cluster up"
	say "Stint cluster under $CL"
	cl_row PART ADDRESS PID STATE
	PREFIX=$CL/front
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(cl_url front)/readyz") || true
	if pid=$(running_pid "$CL/front/run/nginx.pid"); then state="running, /readyz HTTP $code"; else pid=- state=stopped ok=1; fi
	cl_row front "${CL_ADDR[front]}:$CL_PORT" "$pid" "$state"
	for host in web1 web2; do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(cl_url "$host")/readyz") || true
		PREFIX=$CL/$host
		if pid=$(running_pid "$CL/$host/run/nginx.pid"); then state="running, /readyz HTTP $code"; else pid=- state=stopped; fi
		[[ $code == 200 ]] || ok=1
		cl_row "$host" "${CL_ADDR[$host]}:$CL_PORT" "$pid" "$state"
		(cd "$REPO" && "$SELF" status --prefix "$CL/$host" 2>/dev/null) |
			grep -Ev '^(Stint under|COMPONENT|postgres|readyz) ' | sed 's/^/  /' || true
	done
	for node in pg1 pg2; do
		role=none
		[[ $(cl_node_of primary) == "$node" ]] && role=primary
		[[ $(cl_node_of standby) == "$node" ]] && role=standby
		if cl_pg_running "$node"; then
			pid=$(cl_pg_pid "$node")
			state="running, $role"
			if [[ $role == primary ]]; then
				state+=", standby $(cl_psql "$node" -c "SELECT coalesce(string_agg(application_name || ' ' || sync_state, ', '), 'none')
					FROM pg_stat_replication" 2>/dev/null || echo '?')"
			elif [[ $(cl_psql "$node" -c "SELECT pg_is_in_recovery()" 2>/dev/null) == t ]]; then
				state+=" (in recovery)"
			fi
		else
			pid=-
			state="stopped ($role)"
			[[ $role == none ]] || ok=1
		fi
		cl_row "$node" "${CL_ADDR[$node]}:$CL_PORT" "$pid" "$state"
	done
	if pid=$(cl_pid "$CL/redis/redis.pid" "redis-server ${CL_ADDR[redis]}:$CL_PORT"); then state=running; else pid=- state=stopped ok=1; fi
	cl_row redis "${CL_ADDR[redis]}:$CL_PORT" "$pid" "$state"
	if pid=$(cl_pid "$CL/s3/s3.pid" "--dir $CL/s3/data"); then state=running; else pid=- state=stopped; fi
	cl_row s3 "${CL_ADDR[s3]}:$CL_PORT" "$pid" "$state"
	return "$ok"
}

# Promote the standby. The old primary is fenced first (stopped at once if it
# still runs: two primaries must never take writes), and its folder kept as
# data.lost-TIME; the next `cluster up` makes that node the new standby.
# The web hosts need nothing: their libpq connection strings name both nodes
# with target_session_attrs=read-write, and a worker whose connection broke
# connects again on its next statement (lib/db.c).
cluster_failover() {
	local primary standby
	primary=$(cl_node_of primary)
	standby=$(cl_node_of standby)
	[[ -n $standby ]] || die "no standby to promote (roles: $(tr '\n' ' ' <"$CL/roles" 2>/dev/null))"
	cl_pg_running "$standby" || die "the standby $standby is not running"
	if alive "$(cl_pg_pid "$primary")"; then
		cl_pg_ctl "$primary" stop -m immediate -w -t 30 >/dev/null 2>&1 </dev/null
		! alive "$(cl_pg_pid "$primary")" || die "cannot stop the old primary $primary: not promoting $standby"
		say "$primary: stopped (fenced)"
	fi
	quiet_run "pg_ctl promote ($standby)" cl_pg_ctl "$standby" promote -w -t 60
	cl_psql "$standby" -c "ALTER SYSTEM RESET synchronous_standby_names" -c "SELECT pg_reload_conf()" >/dev/null ||
		warn "could not reset synchronous_standby_names on $standby"
	if [[ -d $CL/$primary/data ]]; then mv "$CL/$primary/data" "$CL/$primary/data.lost-$(date -u +%Y%m%dT%H%M%S)"; fi
	cl_write_roles "$standby" ""
	say "$standby: promoted, the primary now (no standby until bin/stint cluster up makes $primary one)"
}

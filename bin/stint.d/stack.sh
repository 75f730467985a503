# shellcheck shell=bash
# bin/stint.d/stack.sh, sourced by bin/stint: the stack's processes (up, down,
# status, pool, reload). The handler pools are the list POOLS below; the
# nginx configuration is written by render_nginx_conf (section "nginx").

# Handler pools as name:workers (the route manifest's STINT_PROGRAM lines, read
# with sed so that down and status work before anything is built);
# cgi-bin/NAME.fcgi serves RUN/NAME.sock.
mapfile -t POOLS < <(sed -n 's/^STINT_PROGRAM(\([a-z0-9_]*\), \([0-9]*\))$/\1:\2/p' "$STINT_ROUTES")

# Daemons as name:program (bin/PROGRAM), started after nginx. logrotate keeps
# every PREFIX/log/*.log under a size (bin/stint-logrotate); spooler runs the
# queued tasks (bin/stint-spooler; STINT_SPOOLER=off leaves it out, as the test
# suite does: its tests start their own).
DAEMONS=(livepub:stint-livepub logrotate:stint-logrotate spooler:stint-spooler)

# --- processes -------------------------------------------------------------------

# A pid is alive when it exists and is not a zombie.
alive() {
	local stat
	[[ $1 =~ ^[0-9]+$ ]] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# A pid belongs to this stack when it is alive and its command line names the
# prefix (guards against a recycled pid in a stale pid file).
owned() {
	alive "$1" || return 1
	local cmd
	cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
	[[ $cmd == *"$PREFIX/"* || $cmd == *"$PREFIX "* ]]
}

# Print the pid recorded in a pid file if that process is running.
running_pid() {
	local pid
	[[ -f $1 ]] || return 1
	read -r pid <"$1" || return 1
	owned "$pid" || return 1
	printf '%s\n' "$pid"
}

group_alive() {
	local p
	for p in $(pgrep -g "$1" 2>/dev/null || true); do
		alive "$p" && return 0
	done
	return 1
}

# TERM a process, wait for it and its process group (it is a session leader:
# setsid, or a daemon), KILL what is left after STOP_TIMEOUT_S.
stop_process() {
	local pid=$1 label=$2 pgid i
	pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') || true
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
		if ! alive "$pid" && { [[ $pgid != "$pid" ]] || ! group_alive "$pid"; }; then
			say "$label: stopped (pid $pid)"
			return 0
		fi
		sleep 0.1
	done
	warn "$label (pid $pid) did not stop within ${STOP_TIMEOUT_S} s: killing it"
	if [[ $pgid == "$pid" ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
	kill -KILL "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		if ! alive "$pid" && ! { [[ $pgid == "$pid" ]] && group_alive "$pid"; }; then
			say "$label: killed (pid $pid)"
			return 0
		fi
		sleep 0.1
	done
	warn "$label (pid $pid) is still there after KILL"
	return 1
}

stop_pidfile() {
	local file=$1 label=$2 pid
	[[ -f $file ]] || return 0
	if pid=$(running_pid "$file"); then
		stop_process "$pid" "$label" || STOP_FAILED=1
	else
		say "$label: not running (stale pid file removed)"
	fi
	rm -f "$file"
}

# Show the last lines of every non-empty log, after a failure.
show_logs() {
	local f
	for f in "$LOG"/*.log; do
		[[ -s $f && $f != */nginx-access.log ]] || continue
		printf '\n--- %s (last lines) ---\n' "$f" >&2
		tail -n "${1:-15}" "$f" >&2
	done
}

# --- up --------------------------------------------------------------------------

ensure_user() {
	id -u "$RUN_USER" >/dev/null 2>&1 && return 0
	useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER" ||
		die "cannot create the system user $RUN_USER"
}

# As root, the stint user must reach the checkout (build outputs, templates,
# static files) and the prefix: name the first directory it cannot traverse.
check_user_access() {
	local -a args=()
	local p d chain
	for p in "$HANDLER_DIR" "$SHARE_DIR/templates" "$SHARE_DIR/static" "$PREFIX"; do
		[[ -e $p ]] || continue
		chain=()
		d=$p
		while [[ -n $d ]]; do
			chain=("x:$d" "${chain[@]}")
			d=${d%/*}
		done
		args+=("${chain[@]}" "r:$p")
	done
	local bad
	# shellcheck disable=SC2016 # the script is for sh, with its own "$@"
	bad=$(runuser -u "$RUN_USER" -- sh -c '
		for a; do
			p=${a#?:}
			case $a in
			x:*) [ -x "$p" ] || { echo "$a"; exit 1; } ;;
			r:*) [ -r "$p" ] && [ -x "$p" ] || { echo "$a"; exit 1; } ;;
			esac
		done' sh "${args[@]}") && return 0
	[[ -n $bad ]] || die "cannot check what user $RUN_USER can reach"
	local mode=${bad%%:*}
	bad=${bad#?:}
	die "user $RUN_USER (which runs the stack, since PostgreSQL refuses root) cannot reach $bad" \
		"($(stat -c '%A %U:%G' "$bad")): chmod o+${mode/r/rx} $bad, or use a checkout and --prefix" \
		"that other users can reach"
}

# The prefix's own entries: the only things up creates, and (as root) chowns.
PREFIX_DIRS=(pg run log nginx media reports)

prepare_prefix() {
	mkdir -p "$PREFIX"
	PREFIX=$(cd "$PREFIX" && pwd -P)
	set_paths
	local s entry
	if [[ -n $(ls -A "$PREFIX") && ! -d $RUN && ! -d $PGDATA ]]; then
		die "$PREFIX is not empty and holds no Stint stack: choose a new or empty --prefix"
	fi
	mkdir -p "$RUN" "$LOG" "$NGX/extra" "$PREFIX/media" "$PREFIX/reports"
	mkdir -p "$NGX/extra-http"
	mkdir -p "$NGX/extra-nchan"
	chmod 0750 "$RUN"
	for s in "$RUN/.s.PGSQL.$PG_PORT.lock" "$RUN/nchan-pub.sock"; do
		((${#s} < 100)) || die "socket path $s is too long (${#s} >= 100 chars): use a shorter --prefix"
	done
	for entry in "${POOLS[@]}"; do
		s=$RUN/${entry%%:*}.sock
		((${#s} < 100)) || die "socket path $s is too long (${#s} >= 100 chars): use a shorter --prefix"
		: >>"$LOG/${entry%%:*}.log"
	done
	: >>"$LOG/postgres.log"
	if is_root; then
		ensure_user
		chown "$RUN_USER:$RUN_USER" "$PREFIX"
		local -a own=()
		for entry in "${PREFIX_DIRS[@]}"; do
			if [[ -e $PREFIX/$entry ]]; then own+=("$PREFIX/$entry"); fi
		done
		find "${own[@]}" \( ! -user "$RUN_USER" -o ! -group "$RUN_USER" \) \
			-exec chown -h "$RUN_USER:$RUN_USER" {} +
		check_user_access
	fi
}

# The key of the CSRF tokens (lib/csrf.h): made once, 32 random bytes in hex,
# mode 0600 for the user the pools run as; kept across restarts so that open
# forms stay valid. Never printed.
ensure_csrf_secret() {
	local f=$PREFIX/csrf-secret
	if [[ ! -s $f ]]; then
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$f.tmp" && printf '\n' >>"$f.tmp") ||
			die "cannot write $f"
		mv -f "$f.tmp" "$f"
	fi
	if is_root; then chown "$RUN_USER:$RUN_USER" "$f"; fi
	chmod 0600 "$f"
}

# Refuse to start a second stack on other ports over a running one.
check_ports_unchanged() {
	local pid
	if pg_running || pid=$(running_pid "$RUN/nginx.pid"); then
		if [[ ${STACK_PORT:-$PORT} != "$PORT" || ${STACK_PG_PORT:-$PG_PORT} != "$PG_PORT" ]]; then
			die "a stack is already running under $PREFIX on port ${STACK_PORT:-?}" \
				"(PostgreSQL ${STACK_PG_PORT:-?}): bin/stint down --prefix $PREFIX first"
		fi
	fi
	printf 'port=%s\npg_port=%s\n' "$PORT" "$PG_PORT" >"$RUN/stack"
}

# Record the handlers' settings in STINT_ENV and PREFIX/stint.env. The caller's
# own STINT_* variables pass through; the stack's paths and URLs are its own.
write_env() {
	local -A vals=()
	local v
	while IFS= read -r v; do
		case $v in
		STINT_CONFIGURE_FLAGS | STINT_DEMO_DIR | STINT_RATE_LIMIT | STINT_LOGIN_RATE | STINT_POOL_WRAPPER | STINT_SPOOLER) ;;
		*) vals[$v]=${!v} ;;
		esac
	done < <(compgen -e STINT_ || true)
	vals[STINT_DATABASE_URL]=$(db_conninfo)
	vals[STINT_TEMPLATE_DIR]=$SHARE_DIR/templates
	vals[STINT_TASKS_CONFIG]=${STINT_TASKS_CONFIG:-$SHARE_DIR/conf/tasks.conf}
	vals[STINT_ANALYZERS_CONFIG]=${STINT_ANALYZERS_CONFIG:-$SHARE_DIR/conf/analyzers.conf}
	vals[STINT_STATIC_DIR]=$SHARE_DIR/static
	vals[STINT_VAR_DIR]=$PREFIX
	vals[STINT_NCHAN_SOCKET]=${STINT_NCHAN_SOCKET:-$RUN/nchan-pub.sock}  # the caller's, else over an installed stint.conf's
	vals[STINT_PUBLIC_BASE_URL]=$BASE_URL
	vals[STINT_DATA_DIR]=${STINT_DATA_DIR:-$(cd "$REPO/.." && pwd -P)/shared/data}
	if [[ -z ${STINT_CONFIG:-} && -f $CONF_FILE ]]; then
		vals[STINT_CONFIG]=$CONF_FILE
	fi
	local tmp=$PREFIX/stint.env.tmp k q
	{
		printf '# Generated by bin/stint up: the STINT_* environment of the handler pools.\n'
		for k in $(printf '%s\n' "${!vals[@]}" | sort); do
			q=${vals[$k]//\'/\'\\\'\'}
			printf "%s='%s'\n" "$k" "$q"
			STINT_ENV+=("$k=${vals[$k]}")
		done
	} >"$tmp"
	mv -f "$tmp" "$PREFIX/stint.env"
}

# Load STINT_ENV from PREFIX/stint.env (as write_env wrote it for up's pools).
read_env() {
	local line
	STINT_ENV=()
	while IFS= read -r line; do
		[[ $line =~ ^(STINT_[A-Z0-9_]+)=\'(.*)\'$ ]] || continue
		STINT_ENV+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]//\'\\\'\'/\'}")
	done <"$PREFIX/stint.env"
}

start_daemons() {
	local entry name prog pid
	local -a env=() user=()
	mapfile -d '' env < <(clean_env settings)
	is_root && user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	for entry in "${DAEMONS[@]}"; do
		name=${entry%%:*}
		prog=$PROG_DIR/${entry##*:}
		[[ $name == spooler && ${STINT_SPOOLER:-on} == off ]] && continue
		if pid=$(running_pid "$RUN/$name.pid"); then
			say "$name: already running (pid $pid)"
			continue
		fi
		[[ -x $prog ]] || die "$name: $prog is missing (bin/stint build)"
		setsid "${user[@]}" "${env[@]}" "$prog" --var-dir "$PREFIX" </dev/null >>"$LOG/$name.log" 2>&1 &
		pid=$!
		printf '%s\n' "$pid" >"$RUN/$name.pid"
		sleep 0.2
		alive "$pid" || { tail -n 20 "$LOG/$name.log" >&2; die "$name did not start"; }
		say "$name: started (pid $pid)"
	done
}

start_pools() {
	local entry name
	for entry in "${POOLS[@]}"; do
		name=${entry%%:*}
		start_pool "$name" "$HANDLER_DIR/$name.fcgi" "${entry##*:}" || MISSING+=("$name")
	done
}

# Start handler program PROG as pool NAME: WORKERS workers on RUN/NAME.sock,
# pid in RUN/NAME.pid, log in LOG/NAME.log, environment STINT_ENV. Returns 1
# when PROG is not built; exits when it does not come up.
start_pool() {
	local name=$1 prog=$2 workers=$3 sock=$RUN/$1.sock pid i
	local -a env=() user=()
	mapfile -d '' env < <(clean_env settings)
	is_root && user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	if pid=$(running_pid "$RUN/$name.pid"); then
		say "$name: already running (pid $pid)"
		return 0
	fi
	if [[ ! -x $prog ]]; then
		warn "$name: $prog is missing (not built? bin/stint build); not starting it"
		return 1
	fi
	rm -f "$sock" "$RUN/$name.pid"
	# STINT_POOL_WRAPPER (e.g. "valgrind --leak-check=full ...") runs the pools under a tool
	local -a wrap=()
	if [[ -n ${STINT_POOL_WRAPPER:-} ]]; then read -r -a wrap <<<"$STINT_POOL_WRAPPER"; fi
	setsid "${user[@]}" "${env[@]}" "${wrap[@]}" "$prog" --socket "$sock" --workers "$workers" \
		</dev/null >>"$LOG/$name.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/$name.pid"
	for ((i = 0; i < 100; i++)); do
		[[ -S $sock ]] && break
		alive "$pid" || break
		sleep 0.1
	done
	if ! alive "$pid" || [[ ! -S $sock ]]; then
		warn "$name ($prog) did not come up on $sock; the end of $LOG/$name.log:"
		tail -n 20 "$LOG/$name.log" >&2
		exit 1
	fi
	say "$name: started (pid $pid, $workers workers, $sock)"
}

wait_ready() {
	local code err errtext deadline=$((SECONDS + READY_TIMEOUT_S))
	new_tmp err
	while :; do
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/readyz" 2>"$err") || true
		[[ $code == 200 ]] && return 0
		((SECONDS < deadline)) || break
		sleep 0.2
	done
	errtext=$(tr '\n' ' ' <"$err")
	warn "$BASE_URL/readyz did not answer 200 within ${READY_TIMEOUT_S} s" \
		"(last: HTTP ${code:-000}${errtext:+, $errtext})"
	status_table >&2 || true
	show_logs 12
	return 1
}

cmd_up() {
	parse_opts "$@"
	PORT=${PORT:-$DEFAULT_PORT}
	PG_PORT=${PG_PORT:-$DEFAULT_PG_PORT}
	RATE_LIMIT=${STINT_RATE_LIMIT:-$DEFAULT_RATE_LIMIT}
	[[ $RATE_LIMIT =~ ^[1-9][0-9]{0,8}r/[sm]$ ]] ||
		die "STINT_RATE_LIMIT must be a rate like 200r/s or 600r/m, not '$RATE_LIMIT'"
	LOGIN_RATE=${STINT_LOGIN_RATE:-$DEFAULT_LOGIN_RATE}
	[[ $LOGIN_RATE =~ ^[1-9][0-9]{0,8}r/[sm]$ ]] ||
		die "STINT_LOGIN_RATE must be a rate like 30r/m, not '$LOGIN_RATE'"
	set_paths
	[[ $INSTALLED == yes ]] && BUILD=0  # an installed tree has nothing to build
	if ((BUILD)); then
		deps
		build
	fi
	prepare_prefix
	check_ports_unchanged
	start_postgres
	ensure_database
	migrate
	ensure_csrf_secret
	start_demo_s3
	write_env
	MISSING=()
	start_pools
	start_nginx
	start_daemons
	local health_missing=0 entry
	for entry in "${MISSING[@]}"; do [[ $entry == health ]] && health_missing=1; done
	if ((health_missing == 0)); then
		wait_ready || die "Stint did not become ready (bin/stint down --prefix $PREFIX stops it)"
	fi
	if ((${#MISSING[@]} > 0)); then
		die "Stint is running without: ${MISSING[*]} (cgi-bin/NAME.fcgi not built: bin/stint build)"
	fi
	ensure_admin
	if ((DEMO)); then
		"$SELF" demo --prefix "$PREFIX"
		fill_demo_bucket
	fi
	say "Stint is running at $BASE_URL/"
	say "Sign in as $ADMIN_EMAIL (password in $PREFIX/admin-password)"
}

# --- nginx -----------------------------------------------------------------------

# Fill in the template: @PREFIX@ @RUN@ @REPO@ @PORT@ @RATE_LIMIT@ @ORIGIN@ (paths are
# checked to hold no sed metacharacters but '.', literal in the replacement);
# the upstreams and locations it includes come from the route manifest.
render_nginx_conf() {
	local esc_prefix esc_run esc_repo
	"$PROG_DIR/stint-routes" nginx-upstreams "$RUN" >"$NGX/upstreams.conf"
	"$PROG_DIR/stint-routes" nginx-locations >"$NGX/locations.conf"
	esc_prefix=$(sed_escape "$PREFIX")
	esc_run=$(sed_escape "$RUN")
	esc_repo=$(sed_escape "$SHARE_DIR")
	sed -e "s|@PREFIX@|$esc_prefix|g" -e "s|@RUN@|$esc_run|g" \
		-e "s|@REPO@|$esc_repo|g" -e "s|@PORT@|$PORT|g" -e "s|@ORIGIN@|$BASE_URL|g" \
		-e "s|@ADDR@|${LISTEN_ADDR:-127.0.0.1}|g" \
		-e "s|@RATE_LIMIT@|${RATE_LIMIT:-$DEFAULT_RATE_LIMIT}|g" \
		-e "s|@LOGIN_RATE@|${LOGIN_RATE:-$DEFAULT_LOGIN_RATE}|g" \
		"$SHARE_DIR/conf/nginx/stint.conf.in" >"$NGX/nginx.conf.tmp"
	mv -f "$NGX/nginx.conf.tmp" "$NGX/nginx.conf"
	is_root && chown "$RUN_USER:$RUN_USER" "$NGX/nginx.conf" "$NGX/upstreams.conf" "$NGX/locations.conf"
	return 0
}

sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

# nchan (1.3.6) always registers nginx's built-in client body temp path, which
# nginx creates at start, and rejects nchan_message_temp_path as "duplicate".
# A non-root nginx passes only when the directory already exists (system nginx
# creates it on its first start; a fresh install that never started it has not).
ensure_nchan_temp_path() {
	local dir=/var/lib/nginx/body owner=root
	[[ -d $dir ]] && return 0
	if ! is_root; then
		die "nginx with nchan needs $dir to exist: sudo install -d -m 0700 -o www-data $dir"
	fi
	id -u www-data >/dev/null 2>&1 && owner=www-data
	install -d -m 0700 -o "$owner" -g "$owner" "$dir"
}

start_nginx() {
	local pid out i
	if pid=$(running_pid "$RUN/nginx.pid"); then
		say "nginx: already running (pid $pid)"
		return 0
	fi
	render_nginx_conf
	ensure_nchan_temp_path
	local -a nginx=(nginx -e "$LOG/nginx-error.log" -p "$NGX/" -c "$NGX/nginx.conf")
	local -a env=()
	mapfile -d '' env < <(clean_env)
	new_tmp out
	if ! as_user "${env[@]}" "${nginx[@]}" -t -q >"$out" 2>&1 </dev/null; then
		warn "the nginx configuration $NGX/nginx.conf is not valid:"
		cat "$out" >&2
		exit 1
	fi
	rm -f "$RUN/nchan-pub.sock" "$RUN/nginx.pid"
	if ! as_user "${env[@]}" "${nginx[@]}" >"$out" 2>&1 </dev/null; then
		warn "nginx did not start:"
		cat "$out" >&2
		exit 1
	fi
	for ((i = 0; i < 50; i++)); do
		pid=$(running_pid "$RUN/nginx.pid") && break
		sleep 0.1
	done
	[[ -n $pid ]] || {
		warn "nginx did not start; the end of $LOG/nginx-error.log:"
		tail -n 20 "$LOG/nginx-error.log" >&2
		exit 1
	}
	say "nginx: started (pid $pid, $BASE_URL/)"
}

# Check nginx.conf as it is (up renders it) and make the running nginx reload it.
cmd_reload() {
	parse_opts "$@"
	set_paths
	local pid out
	pid=$(running_pid "$RUN/nginx.pid") || die "nginx is not running under $PREFIX"
	local -a env=()
	mapfile -d '' env < <(clean_env)
	new_tmp out
	if ! as_user "${env[@]}" nginx -e "$LOG/nginx-error.log" -p "$NGX/" -c "$NGX/nginx.conf" \
		-t -q >"$out" 2>&1 </dev/null; then
		warn "the nginx configuration $NGX/nginx.conf is not valid (nginx keeps the old one):"
		cat "$out" >&2
		exit 1
	fi
	kill -HUP "$pid"
	say "nginx: reloading its configuration (pid $pid)"
}

# --- more spoolers ----------------------------------------------------------------

# bin/stint spooler [--concurrency N] [--types LIST] [--prefix DIR]: one more
# spooler (bin/stint-spooler) on the running stack, with its settings
# (PREFIX/stint.env), N slots (default: the setting spool_concurrency) and
# only the task types LIST (comma-separated; default all): RUN/spooler-K.pid
# and LOG/spooler-K.log, K the first free number from 2. down stops it with
# the rest; status lists it. bin/stint spooler stop spooler-K stops one.
cmd_spooler() {
	local concurrency='' types='' name pid k prog=$PROG_DIR/stint-spooler
	local -a opts=() args=() env=() user=()
	if [[ ${1:-} == stop ]]; then
		name=${2:-}
		[[ $name =~ ^spooler(-[0-9]{1,4})?$ ]] || die "usage: bin/stint spooler stop spooler-K [--prefix DIR]"
		shift 2
		parse_opts "$@"
		set_paths
		[[ -f $RUN/$name.pid ]] || die "no $name under $PREFIX"
		STOP_FAILED=0
		stop_pidfile "$RUN/$name.pid" "$name"
		((STOP_FAILED == 0)) || exit 1
		return 0
	fi
	while (($# > 0)); do
		case $1 in
		--concurrency | --types)
			(($# >= 2)) || die "$1 needs a value"
			if [[ $1 == --types ]]; then types=$2; else concurrency=$2; fi
			shift 2
			;;
		*)
			opts+=("$1")
			shift
			;;
		esac
	done
	parse_opts "${opts[@]}"
	set_paths
	[[ -z $concurrency || $concurrency =~ ^([1-9]|[1-5][0-9]|6[0-4])$ ]] ||
		die "--concurrency must be 1..64, not '$concurrency'"
	[[ -z $types || $types =~ ^[a-z][a-z0-9_]{0,39}(,[a-z][a-z0-9_]{0,39})*$ ]] ||
		die "--types: a comma-separated list of task types, not '$types'"
	[[ -f $PREFIX/stint.env && -d $RUN ]] || die "no stack under $PREFIX: bin/stint up --prefix $PREFIX first"
	[[ -x $prog ]] || die "$prog is missing (bin/stint build)"
	for ((k = 2; ; k++)); do
		name=spooler-$k
		running_pid "$RUN/$name.pid" >/dev/null || break
	done
	read_env
	if [[ -n $types ]]; then STINT_ENV+=("STINT_SPOOL_TYPES=$types"); fi
	mapfile -d '' env < <(clean_env settings)
	is_root && user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	: >>"$LOG/$name.log"
	if is_root; then chown "$RUN_USER:$RUN_USER" "$LOG/$name.log"; fi
	args=(--var-dir "$PREFIX")
	if [[ -n $concurrency ]]; then args+=(--concurrency "$concurrency"); fi
	setsid "${user[@]}" "${env[@]}" "$prog" "${args[@]}" </dev/null >>"$LOG/$name.log" 2>&1 &
	pid=$!
	printf '%s\n' "$pid" >"$RUN/$name.pid"
	sleep 0.2
	if ! alive "$pid"; then
		tail -n 20 "$LOG/$name.log" >&2
		rm -f "$RUN/$name.pid"
		die "$name did not start"
	fi
	say "$name: started (pid $pid${concurrency:+, $concurrency slots}${types:+, types $types}, log $LOG/$name.log)"
}

# --- pool, down, status ----------------------------------------------------------

# stint pool run NAME: become pool NAME of the route manifest in the
# foreground (stint-pool@NAME.service): its handler program on
# $STINT_POOL_SOCKET (default /run/stint/NAME.sock) with the manifest's
# workers, or $STINT_POOL_WORKERS (a unit drop-in's Environment=). The
# settings come from the environment and STINT_CONFIG, as systemd set them.
pool_run() {
	local name=$1 entry workers=''
	for entry in "${POOLS[@]}"; do
		[[ ${entry%%:*} == "$name" ]] && workers=${entry##*:}
	done
	[[ -n $workers ]] || die "no pool '$name' in the route manifest $STINT_ROUTES (pools: ${POOLS[*]%%:*})"
	workers=${STINT_POOL_WORKERS:-$workers}
	[[ $workers =~ ^([1-9]|[1-5][0-9]|6[0-4])$ ]] || die "STINT_POOL_WORKERS must be 1..64, not '$workers'"
	exec "$HANDLER_DIR/$name.fcgi" --socket "${STINT_POOL_SOCKET:-/run/stint/$name.sock}" --workers "$workers"
}

# bin/stint pool start NAME PROGRAM WORKERS | pool stop NAME [--prefix DIR]
cmd_pool() {
	local action=${1:-} name=${2:-} prog workers
	if [[ $action == run ]]; then
		pool_run "$name"
		return
	fi
	[[ $action == start && $# -ge 4 || $action == stop && $# -ge 2 ]] ||
		die "usage: bin/stint pool start NAME PROGRAM WORKERS | pool stop NAME [--prefix DIR]"
	[[ $name =~ ^[a-z][a-z0-9_]{0,30}$ && $name != nginx ]] ||
		die "pool name '$name': use lower-case letters, digits and _ (not nginx)"
	if [[ $action == stop ]]; then
		shift 2
		parse_opts "$@"
		set_paths
		stop_pidfile "$RUN/$name.pid" "$name"
		return 0
	fi
	prog=$3
	workers=$4
	shift 4
	parse_opts "$@"
	set_paths
	[[ $prog == /* ]] || prog=$CALLER_PWD/$prog
	[[ $workers =~ ^([1-9]|[1-5][0-9]|6[0-4])$ ]] || die "WORKERS must be 1..64, not '$workers'"
	[[ -f $PREFIX/stint.env && -d $RUN ]] || die "no stack under $PREFIX: bin/stint up --prefix $PREFIX first"
	((${#RUN} + ${#name} < 95)) || die "socket path $RUN/$name.sock is too long: use a shorter --prefix"
	read_env
	: >>"$LOG/$name.log"
	if is_root; then chown "$RUN_USER:$RUN_USER" "$LOG/$name.log"; fi
	start_pool "$name" "$prog" "$workers" || exit 1
}

cmd_down() {
	parse_opts "$@"
	set_paths
	if [[ ! -d $PREFIX ]]; then
		say "nothing to stop: $PREFIX does not exist"
		return 0
	fi
	STOP_FAILED=0
	local f name
	stop_pidfile "$RUN/nginx.pid" nginx
	for f in "$RUN"/*.pid; do
		name=${f##*/}
		stop_pidfile "$f" "${name%.pid}"
	done
	stop_postgres || STOP_FAILED=1
	rm -f "$RUN"/*.sock
	local p
	for p in $(pgrep -f -- "(-D $PREFIX/pg|-p $PREFIX/nginx/|--socket $PREFIX/run/)" || true); do
		alive "$p" || continue
		warn "still running: $(ps -o pid=,user=,args= -p "$p")"
		STOP_FAILED=1
	done
	((STOP_FAILED == 0)) || exit 1
}

# Print one line per process and the /readyz answer; fail when any is down.
status_table() {
	local ok=0 entry name pid state code
	printf '%-15s %-8s %s\n' COMPONENT PID STATE
	if pg_running; then
		printf '%-15s %-8s %s\n' postgres "$(pg_pid)" "running (port $PG_PORT)"
	else
		printf '%-15s %-8s %s\n' postgres - stopped
		ok=1
	fi
	for entry in nginx "${POOLS[@]}" "${DAEMONS[@]}"; do
		name=${entry%%:*}
		if pid=$(running_pid "$RUN/$name.pid"); then
			state=running
		elif [[ " ${DAEMONS[*]} " == *" $entry "* && ! -f $RUN/$name.pid ]]; then
			pid=-
			state="not started"  # a daemon left out (STINT_SPOOLER=off)
		else
			pid=-
			state=stopped
			[[ -f $RUN/$name.pid ]] && state="stopped (stale pid file)"
			ok=1
		fi
		printf '%-15s %-8s %s\n' "$name" "$pid" "$state"
	done
	local f  # the spoolers bin/stint spooler added
	for f in "$RUN"/spooler-*.pid; do
		name=${f##*/}
		name=${name%.pid}
		if pid=$(running_pid "$f"); then
			state=running
		else
			pid=-
			state="stopped (stale pid file)"
			ok=1
		fi
		printf '%-15s %-8s %s\n' "$name" "$pid" "$state"
	done
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE_URL/readyz") || true
	printf '%-15s %-8s %s\n' readyz - "HTTP ${code:-000} from $BASE_URL/readyz"
	[[ $code == 200 ]] || ok=1
	return "$ok"
}

cmd_status() {
	parse_opts "$@"
	set_paths
	say "Stint under $PREFIX"
	status_table
}

# --- production nginx -------------------------------------------------------------

# stint nginx-conf --host HOST [--out DIR] [--run DIR] [--var DIR] [--log DIR]
#   [--cert-dir DIR] [--acme-root DIR] [--https-port N] [--http-port N]:
# the production nginx configuration (conf/nginx/stint-production.conf.in,
# TLS; docs/operations.md) into DIR/stint.conf, with DIR/upstreams.conf and
# DIR/locations.conf from the route manifest (bin/stint-routes, as up does).
# Defaults: DIR = the settings file's directory /nginx (an installed tree
# only), --run /run/stint (stint-pool@.service's sockets), --var the state
# directory, --log LOCALSTATEDIR/log/stint, --cert-dir
# /etc/letsencrypt/live/HOST, --acme-root VAR/acme, ports 443 and 80.
# Each file is written to a temporary name and renamed.
cmd_nginx_conf() {
	local host='' out='' run=/run/stint var=$STATE_DIR log='' cert='' acme='' https=443 http=80 v
	while (($# > 0)); do
		(($# >= 2)) || die "$1 needs a value"
		v=$2
		case $1 in
		--host) host=$v ;;
		--out) out=$v ;;
		--run) run=$v ;;
		--var) var=$v ;;
		--log) log=$v ;;
		--cert-dir) cert=$v ;;
		--acme-root) acme=$v ;;
		--https-port | --http-port)
			if ! [[ $v =~ ^[0-9]{1,5}$ ]] || ((10#$v < 1 || 10#$v > 65535)); then
				die "$1 must be a port number, not '$v'"
			fi
			if [[ $1 == --https-port ]]; then https=$((10#$v)); else http=$((10#$v)); fi
			;;
		*) die "unknown option: $1 (see stint help)" ;;
		esac
		shift 2
	done
	[[ $host =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] ||
		die "--host: the public host name (like stint.example.org), not '$host'"
	if [[ -z $out ]]; then
		[[ $INSTALLED == yes ]] || die "--out DIR: where to write the configuration (from a checkout)"
		out=${CONF_FILE%/*}/nginx
	fi
	[[ -n $log ]] || log=${STATE_DIR%/lib/stint}/log/stint
	[[ -n $cert ]] || cert=/etc/letsencrypt/live/$host
	[[ -n $acme ]] || acme=$var/acme
	for v in "$out" "$run" "$var" "$log" "$cert" "$acme" "$SHARE_DIR"; do
		[[ $v == /* && $v =~ ^[A-Za-z0-9._/+-]+$ ]] ||
			die "'$v': an absolute path of letters, digits and . _ / + - only"
	done
	mkdir -p "$out"
	"$PROG_DIR/stint-routes" nginx-upstreams "$run" >"$out/upstreams.conf.tmp" ||
		die "cannot write $out/upstreams.conf"
	"$PROG_DIR/stint-routes" nginx-locations >"$out/locations.conf.tmp" ||
		die "cannot write $out/locations.conf"
	sed -e "s|@HOST@|$host|g" -e "s|@CERT_DIR@|$cert|g" -e "s|@ACME_ROOT@|$acme|g" \
		-e "s|@RUN@|$run|g" -e "s|@VAR@|$var|g" -e "s|@LOG@|$log|g" -e "s|@SHARE@|$SHARE_DIR|g" \
		-e "s|@CONF_DIR@|$out|g" -e "s|@HTTPS_PORT@|$https|g" -e "s|@HTTP_PORT@|$http|g" \
		-e "s|@ORIGIN@|https://$host$([[ $https == 443 ]] || printf ':%s' "$https")|g" \
		-e "s|@RATE_LIMIT@|${STINT_RATE_LIMIT:-$DEFAULT_RATE_LIMIT}|g" \
		-e "s|@LOGIN_RATE@|${STINT_LOGIN_RATE:-$DEFAULT_LOGIN_RATE}|g" \
		"$SHARE_DIR/conf/nginx/stint-production.conf.in" >"$out/stint.conf.tmp" ||
		die "cannot write $out/stint.conf"
	mv -f "$out/upstreams.conf.tmp" "$out/upstreams.conf"
	mv -f "$out/locations.conf.tmp" "$out/locations.conf"
	mv -f "$out/stint.conf.tmp" "$out/stint.conf"
	say "wrote $out/stint.conf (with upstreams.conf, locations.conf) for https://$host/"
}

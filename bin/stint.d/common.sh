# shellcheck shell=bash
# bin/stint.d/common.sh, sourced by bin/stint: the settings, the options and
# the stack's paths, and the helpers every command uses.

PG_BIN=/usr/lib/postgresql/15/bin
RUN_USER=stint
DEFAULT_PORT=8080
DEFAULT_PG_PORT=5433
DEFAULT_RATE_LIMIT=200r/s
DEFAULT_LOGIN_RATE=30r/m
READY_TIMEOUT_S=30
STOP_TIMEOUT_S=10
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Options (see usage).
PREFIX=
PORT=
PG_PORT=
STACK_PORT=
STACK_PG_PORT=
DEMO=1
BUILD=1
RATE_LIMIT=

say() { printf '%s\n' "$*"; }
warn() { printf 'stint: %s\n' "$*" >&2; }
die() {
	warn "$*"
	exit 1
}
is_root() { [[ $EUID -eq 0 ]]; }

# Set the variable named $1 to a new temporary file, removed at exit.
new_tmp() {
	local f
	f=$(mktemp "${TMPDIR:-/tmp}/stint.XXXXXX")
	TMP_FILES+=("$f")
	printf -v "$1" '%s' "$f"
}

# Run a command quietly; on failure show its output and exit.
quiet_run() {
	local label=$1 out
	shift
	new_tmp out
	if ! "$@" >"$out" 2>&1 </dev/null; then
		warn "$label failed:"
		tail -n 150 "$out" >&2
		exit 1
	fi
}

# Run a command as the stack's user: `stint` when root, else ourselves.
as_user() {
	if is_root; then
		runuser -u "$RUN_USER" -- "$@"
	else
		"$@"
	fi
}

# Print (NUL-separated) an `env -i ...` prefix for a long-running process:
# nothing inherited but the sanitizer options; with the argument `settings`,
# also the STINT_* settings (STINT_ENV, from write_env).
STINT_ENV=()
clean_env() {
	local -a cmd=(env -i "PATH=$SYS_PATH" "HOME=$PREFIX" LANG=C.UTF-8)
	local v
	for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		if [[ -n ${!v:-} ]]; then cmd+=("$v=${!v}"); fi
	done
	if [[ ${1:-} == settings ]]; then cmd+=("${STINT_ENV[@]}"); fi
	printf '%s\0' "${cmd[@]}"
}

parse_opts() {
	while (($# > 0)); do
		case $1 in
		--prefix | --port | --pg-port)
			(($# >= 2)) || die "$1 needs a value"
			set_opt "$1" "$2"
			shift 2
			;;
		--prefix=* | --port=* | --pg-port=*)
			set_opt "${1%%=*}" "${1#*=}"
			shift
			;;
		--no-demo)
			DEMO=0
			shift
			;;
		--no-build)
			BUILD=0
			shift
			;;
		*) die "unknown option: $1 (see bin/stint help)" ;;
		esac
	done
}

set_opt() {
	case $1 in
	--prefix) PREFIX=$2 ;;
	--port | --pg-port)
		if ! [[ $2 =~ ^[0-9]{1,5}$ ]] || ((10#$2 < 1024 || 10#$2 > 65535)); then
			die "$1 must be a port number in 1024..65535, not '$2'"
		fi
		if [[ $1 == --port ]]; then PORT=$((10#$2)); else PG_PORT=$((10#$2)); fi
		;;
	esac
}

# Resolve PREFIX and the paths under it; ports come from the options, else
# from the running stack (RUN/stack), else the defaults.
set_paths() {
	PREFIX=${PREFIX:-$STATE_DIR}
	[[ $PREFIX == /* ]] || PREFIX=$CALLER_PWD/$PREFIX
	[[ -d $PREFIX ]] && PREFIX=$(cd "$PREFIX" && pwd -P)
	[[ $PREFIX =~ ^[A-Za-z0-9._/+-]+$ ]] ||
		die "prefix '$PREFIX': use only letters, digits and . _ / + - in the path"
	[[ $REPO =~ ^[A-Za-z0-9._/+-]+$ ]] ||
		die "checkout '$REPO': use only letters, digits and . _ / + - in the path"
	RUN=$PREFIX/run
	LOG=$PREFIX/log
	PGDATA=$PREFIX/pg
	NGX=$PREFIX/nginx
	local k v
	if [[ -f $RUN/stack ]]; then
		while IFS='=' read -r k v; do
			[[ $v =~ ^[0-9]+$ ]] || continue
			case $k in
			port) STACK_PORT=$v ;;
			pg_port) STACK_PG_PORT=$v ;;
			esac
		done <"$RUN/stack"
	fi
	# a web host of bin/stint cluster: its database is the cluster's primary
	# and standby (RUN/db-hosts: "HOST,HOST PORT"), reached over TCP
	DB_HOSTS=
	if [[ -f $RUN/db-hosts ]]; then
		read -r DB_HOSTS DB_PORT <"$RUN/db-hosts" || true
		[[ $DB_HOSTS =~ ^[0-9.,]+$ && $DB_PORT =~ ^[0-9]+$ ]] || die "$RUN/db-hosts: not 'HOST,HOST PORT'"
	fi
	PORT=${PORT:-${STACK_PORT:-$DEFAULT_PORT}}
	PG_PORT=${PG_PORT:-${STACK_PG_PORT:-$DEFAULT_PG_PORT}}
	BASE_URL=http://127.0.0.1:$PORT
}

# An installed system's database (systemd; docs/operations.md): the setting
# database_url from the environment (STINT_DATABASE_URL), else from the
# settings file CONF_FILE; prints nothing when neither has one.
system_db() {
	local k v
	if [[ -n ${STINT_DATABASE_URL:-} ]]; then
		printf '%s\n' "$STINT_DATABASE_URL"
		return 0
	fi
	[[ -r $CONF_FILE ]] || return 0
	while IFS='=' read -r k v; do
		k=${k//[[:space:]]/}
		[[ $k == database_url ]] || continue
		v=${v#"${v%%[![:space:]]*}"}
		printf '%s\n' "${v%"${v##*[![:space:]]}"}"
		return 0
	done <"$CONF_FILE"
}

db_conninfo() {
	# libpq tries each host and keeps the one that takes writes; TCP keepalives and
	# a send timeout end a connection to a host that vanished without a word
	if [[ -n ${DB_HOSTS:-} ]]; then
		printf "host=%s port=%s dbname=%s user=stint connect_timeout=2 target_session_attrs=read-write keepalives_idle=10 keepalives_interval=3 keepalives_count=3 tcp_user_timeout=10000 options='-c TimeZone=UTC%s'" \
			"$DB_HOSTS" "$DB_PORT" "${1:-stint}" "${2:-}"
		return 0
	fi
	printf "host=%s port=%s dbname=%s user=stint connect_timeout=2 options='-c TimeZone=UTC%s'" \
		"$RUN" "$PG_PORT" "${1:-stint}" "${2:-}"
}

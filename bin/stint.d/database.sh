# shellcheck shell=bash
# bin/stint.d/database.sh, sourced by bin/stint: PostgreSQL (pg start|stop,
# psql) and the migrator (migrate: sql/migrations, then sql/functions).

pg_ctl() { as_user "$PG_BIN/pg_ctl" -D "$PGDATA" "$@"; }
pg_running() {
	if [[ -n ${DB_HOSTS:-} ]]; then  # a cluster's web host: the cluster's primary answers
		"$PG_BIN/psql" -X -A -t -q -d "$(db_conninfo)" -c 'SELECT 1' >/dev/null 2>&1
		return
	fi
	[[ -f $PGDATA/PG_VERSION ]] && pg_ctl status >/dev/null 2>&1
}
pg_pid() { head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true; }

start_postgres() {
	if [[ ! -f $PGDATA/PG_VERSION ]]; then
		if [[ -d $PGDATA && -n $(ls -A "$PGDATA") ]]; then
			die "$PGDATA exists but holds no PostgreSQL cluster: remove it and run up again"
		fi
		quiet_run "initdb" as_user "$PG_BIN/initdb" -D "$PGDATA" -U stint --auth=trust \
			-E UTF8 --locale=C.UTF-8 --no-sync
	fi
	if pg_running; then
		say "postgres: already running (pid $(pg_pid))"
		return 0
	fi
	local out
	new_tmp out
	local -a env=()
	mapfile -d '' env < <(clean_env)
	if ! as_user "${env[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOG/postgres.log" \
		-o "-k $RUN -c listen_addresses='' -p $PG_PORT" -w -t 30 start >"$out" 2>&1 </dev/null; then
		warn "PostgreSQL did not start:"
		cat "$out" >&2
		tail -n 20 "$LOG/postgres.log" >&2
		exit 1
	fi
	say "postgres: started (pid $(pg_pid), socket $RUN, port $PG_PORT)"
}

stop_postgres() {
	[[ -z ${DB_HOSTS:-} ]] || return 0  # a cluster's web host: bin/stint cluster down stops it
	pg_running || return 0
	local pid
	pid=$(pg_pid)
	if ! pg_ctl stop -m fast -w -t 30 >/dev/null 2>&1 </dev/null &&
		! pg_ctl stop -m immediate -w -t 30 >/dev/null 2>&1 </dev/null; then
		warn "pg_ctl could not stop PostgreSQL (pid $pid)"
		return 1
	fi
	say "postgres: stopped (pid $pid)"
}

ensure_database() {
	local found
	found=$("$PG_BIN/psql" -X -A -t -q -d "$(db_conninfo postgres)" \
		-c "SELECT 1 FROM pg_database WHERE datname = 'stint'") ||
		die "cannot query PostgreSQL at $RUN port $PG_PORT"
	[[ $found == 1 ]] && return 0
	quiet_run "createdb" "$PG_BIN/createdb" -h "$RUN" -p "$PG_PORT" -U stint stint
}

cmd_pg() {
	local action=${1:-}
	(($# > 0)) && shift
	parse_opts "$@"
	set_paths
	[[ -f $PGDATA/PG_VERSION ]] || die "no PostgreSQL cluster under $PREFIX: bin/stint up --prefix $PREFIX"
	case $action in
	start) start_postgres ;;
	stop)
		if pg_running; then stop_postgres || exit 1; else say "postgres: not running"; fi
		;;
	*) die "usage: bin/stint pg stop|start [--prefix DIR]" ;;
	esac
}

cmd_psql() {
	while (($# > 0)); do
		case $1 in
		--prefix | --pg-port)
			(($# >= 2)) || die "$1 needs a value"
			set_opt "$1" "$2"
			shift 2
			;;
		*) break ;;
		esac
	done
	set_paths
	pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	exec "$PG_BIN/psql" -d "$(db_conninfo)" "$@"
}

cmd_migrate() {
	if [[ ${1:-} == --system ]]; then
		shift
		migrate_system "$@"
		return
	fi
	local check=0
	if [[ ${1:-} == --check ]]; then check=1; shift; fi
	parse_opts "$@"
	set_paths
	pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	if ((check)); then migrate_check; return; fi
	migrate
}

# stint migrate --system: an installed system's database (system_db: the
# setting database_url), as stint-migrate.service runs it before the pools
# start; also makes the state directory's media/, reports/ and csrf-secret.
migrate_system() {
	parse_opts "$@"
	set_paths
	MIGRATE_CONN=$(system_db)
	[[ -n $MIGRATE_CONN ]] || die "no database_url in \$STINT_DATABASE_URL or $CONF_FILE"
	mkdir -p "$PREFIX/media" "$PREFIX/reports" || die "cannot make $PREFIX/media and $PREFIX/reports"
	ensure_csrf_secret
	migrate
}

# Apply each sql/migrations/NNNN_name.sql not yet in schema_migrations, the file
# and its schema_migrations row in one transaction: a failure changes nothing.
# The pending files are all checked (names, numbers, no BEGIN/COMMIT) first.
# Then, on every run, sql/functions/*.sql in name order in one transaction:
# every function's one current definition (sql/functions/README.md).
#
# The order: a migration's CREATE TRIGGER needs its function. Applying every
# function file before the migrations (as pg_dump orders a dump, with
# check_function_bodies off) cannot work on a new database: most functions
# take table rows (sessions, events, ...) as arguments, types only the
# migrations make. Trigger functions name no table in their signatures, so
# sql/functions/triggers.sql alone goes first, in each pending migration's own
# transaction (a failure leaves no newer trigger function behind), with bodies
# unchecked since they name tables that migration may make; after the last
# migration every file is applied with bodies checked against the schema.
migrate() {
	local conn
	conn=${MIGRATE_CONN:-$(db_conninfo stint " -c client_min_messages=warning")}
	local -a psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$conn")
	"${psql[@]}" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())" ||
		die "cannot create schema_migrations"
	local applied
	applied=$("${psql[@]}" -A -t -c "SELECT version FROM schema_migrations") ||
		die "cannot read schema_migrations"
	local f version num last_num='' err
	local -a pending=() functions=() triggers=()
	for f in "$SHARE_DIR"/sql/migrations/*.sql; do
		version=${f##*/}
		version=${version%.sql}
		[[ $version =~ ^([0-9]{4})_[a-z0-9_]+$ ]] ||
			die "$f: migration files are named NNNN_name.sql (lower case, digits, _)"
		num=${BASH_REMATCH[1]}
		[[ $num != "$last_num" ]] || die "$f: two migrations numbered $num"
		last_num=$num
		grep -qxF -- "$version" <<<"$applied" && continue
		if grep -qiE '^[[:space:]]*(BEGIN|COMMIT|ROLLBACK|START[[:space:]]+TRANSACTION)[[:space:]]*;' "$f"; then
			die "$f: a migration must not BEGIN/COMMIT itself (each runs in one transaction)"
		fi
		pending+=("$f")
	done
	for f in "$SHARE_DIR"/sql/functions/*.sql; do
		if grep -qiE '^[[:space:]]*(BEGIN|COMMIT|ROLLBACK|START[[:space:]]+TRANSACTION)[[:space:]]*;' "$f"; then
			die "$f: a function file must not BEGIN/COMMIT itself (all run in one transaction)"
		fi
		functions+=(-f "$f")
	done
	if [[ -f $SHARE_DIR/sql/functions/triggers.sql ]]; then
		triggers=(-c "SET LOCAL check_function_bodies = off" -f "$SHARE_DIR/sql/functions/triggers.sql"
			-c "RESET check_function_bodies")
	fi
	new_tmp err
	if ((${#pending[@]} == 0)); then
		say "migrations: up to date"
	fi
	for f in "${pending[@]}"; do
		version=${f##*/}
		version=${version%.sql}
		if ! "${psql[@]}" --single-transaction "${triggers[@]}" -f "$f" \
			-c "INSERT INTO schema_migrations (version) VALUES ('$version')" >/dev/null 2>"$err"; then
			warn "migration ${f#"$SHARE_DIR"/} failed; the database is as it was before it. psql said:"
			cat "$err" >&2
			exit 1
		fi
		say "migrated: $version"
	done
	((${#functions[@]} > 0)) || return 0
	if ! "${psql[@]}" --single-transaction "${functions[@]}" >/dev/null 2>"$err"; then
		warn "sql/functions failed; every function is as it was before. psql said:"
		cat "$err" >&2
		exit 1
	fi
	say "functions: applied sql/functions ($((${#functions[@]} / 2)) files)"
}

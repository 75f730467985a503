# shellcheck shell=bash
# bin/stint.d/tools.sh, sourced by bin/stint: the tools on a running stack:
# user and token (bin/stint-admin), demo and import (DataVolley files),
# simulate (bin/stint-simulate).

ADMIN_EMAIL=admin@stint.local

# The first administrator: made once with a random password, printed once and
# kept in PREFIX/admin-password (mode 600) for the local user.
ensure_admin() {
	local found pw
	found=$("$PG_BIN/psql" -X -A -t -q -d "$(db_conninfo)" \
		-c "SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1") ||
		die "cannot read the users table"
	[[ $found == 1 ]] && return 0
	pw=$(admin_tool user add "$ADMIN_EMAIL" --role admin --name Administrator) ||
		die "could not create the first administrator"
	(umask 077 && printf '%s\n' "$pw" >"$PREFIX/admin-password")
	say "Created the administrator $ADMIN_EMAIL with password: $pw"
}

# Run bin/stint-admin (accounts) against the stack's database.
admin_tool() {
	[[ -x $PROG_DIR/stint-admin ]] || die "$PROG_DIR/stint-admin is not built: bin/stint build"
	local url
	if [[ ! -f $PGDATA/PG_VERSION && -n $(system_db) ]]; then
		url=$(system_db)  # an installed system's database (systemd)
	else
		url=$(db_conninfo)
	fi
	STINT_DATABASE_URL=$url STINT_VAR_DIR=$PREFIX "$PROG_DIR/stint-admin" "$@"
}

# bin/stint user add|passwd|disable ..., bin/stint token create ... [--prefix DIR]
cmd_user() { accounts user "$@"; }
cmd_token() { accounts token "$@"; }

accounts() {
	local -a args=()
	while (($# > 0)); do
		if [[ $1 == --prefix ]]; then
			(($# >= 2)) || die "--prefix needs a directory"
			PREFIX=$2
			shift 2
		else
			args+=("$1")
			shift
		fi
	done
	set_paths
	if ! pg_running && [[ -f $PGDATA/PG_VERSION || -z $(system_db) ]]; then
		die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	fi
	admin_tool "${args[@]}"
}

demo_dir() { printf "%s\n" "${STINT_DEMO_DIR:-$(cd "$REPO/.." && pwd -P)/shared/data}"; }

cmd_demo() {
	parse_opts "$@"
	set_paths
	local dir
	dir=$(demo_dir)
	if [[ ! -d $dir ]]; then
		say "No demo data found at $dir; start with an empty dashboard." \
			"Import a match with: bin/stint import FILE.dvw"
		return 0
	fi
	[[ -f $dir/volleyball/190301_kats_beds-clip.dvw ]] || {
		say "No volleyball files under $dir; the dashboard starts empty."
		return 0
	}
	pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	say "Loading the demo sessions from $dir/volleyball"
	import_file "$dir/volleyball/190301_kats_beds-clip.dvw" --demo-key kats-beds-clip \
		--title "GKS Katowice v MKS Będzin (one rally, with video)" \
		--video "$dir/volleyball/2019_03_01-KATS-BEDS-clip.mp4"
	import_file "$dir/volleyball/example_data.dvw" --demo-key braslovce-branik
}

# Import a .dvw (and its video) as the administrator; media stays the stack user's.
import_file() {
	local out
	out=$(admin_tool import "$@") || die "could not import $1"
	say "  $1 -> session $out"
	if is_root && [[ -d $PREFIX/media ]]; then chown -R "$RUN_USER:$RUN_USER" "$PREFIX/media"; fi
}

# bin/stint import FILE.dvw [--video FILE.mp4] [--title T] [--owner EMAIL] [--prefix DIR]
cmd_import() {
	local -a args=()
	local prev=
	while (($# > 0)); do
		if [[ $1 == --prefix ]]; then
			(($# >= 2)) || die "--prefix needs a directory"
			PREFIX=$2
			shift 2
			continue
		fi
		# files are named from where the command was typed
		if [[ ($prev == --video || ($prev != --* && $1 != --*)) && $1 != /* ]]; then
			args+=("$CALLER_PWD/$1")
		else
			args+=("$1")
		fi
		prev=$1
		shift
	done
	((${#args[@]} >= 1)) || die "usage: bin/stint import FILE.dvw [--video FILE.mp4] [--title T] [--owner EMAIL]"
	set_paths
	pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	import_file "${args[@]}"
}

# bin/stint simulate (--session ID | --create) --duration S --kind K [--rate N] [--prefix DIR]:
# runs bin/stint-simulate against the stack with a write token for the
# administrator made for the run, handed over in the environment (never on a
# command line), and revoked when the run ends or is interrupted.
cmd_simulate() {
	local -a args=()
	local token rc=0 prog=$PROG_DIR/stint-simulate
	while (($# > 0)); do
		case $1 in
		--prefix | --port)
			(($# >= 2)) || die "$1 needs a value"
			set_opt "$1" "$2"
			shift 2
			;;
		*)
			args+=("$1")
			shift
			;;
		esac
	done
	[[ -x $prog ]] || die "bin/stint-simulate is not built: bin/stint build"
	set_paths
	pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
	token=$(admin_tool token create --user "$ADMIN_EMAIL" --scope write --name simulator) ||
		die "could not create an API token for $ADMIN_EMAIL"
	# shellcheck disable=SC2317 # called by the traps
	revoke_sim_token() {
		printf '%s\n' "$token" | admin_tool token revoke >/dev/null ||
			warn "could not revoke the simulator's API token (revoke it on /account)"
	}
	trap 'revoke_sim_token; exit 130' INT TERM
	STINT_SIM_URL=$BASE_URL STINT_SIM_TOKEN=$token \
		STINT_DATA_DIR=${STINT_DATA_DIR:-$(cd "$REPO/.." && pwd -P)/shared/data} \
		"$prog" "${args[@]}" || rc=$?
	trap - INT TERM
	revoke_sim_token
	return "$rc"
}

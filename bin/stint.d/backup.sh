# shellcheck shell=bash
# bin/stint.d/backup.sh, sourced by bin/stint: backup, backup --verify,
# restore, and migrate --check (docs/backup.md, docs/upgrades.md).
#
# An archive is one tar file holding, in this order:
#   manifest.txt  what the archive holds, one record a line, tab-separated:
#                 "stint-backup 1", "created_at TIME", "snapshot ID",
#                 "schema VERSION" (the newest migration applied),
#                 "table NAME ROWS" (each public table's rows at the snapshot),
#                 "file SIZE SHA256 PATH" (db.dump and every file under files/),
#                 "missing PATH" (a file a row named at the snapshot, absent),
#                 "object PATH CONTENT-TYPE" (a file under files/ fetched from
#                 the media bucket: its rows say storage 's3')
#   db.dump       pg_dump -Fc of the stint database at the snapshot
#   files/        media/, uploads/, reports/ of the prefix, and the media
#                 bucket's objects that rows name, under the same names
#
# Where: a checkout's stack (its own cluster under PREFIX, default var/), or
# with --system an installed system (stint-backup.service): the database of
# the setting database_url (system_db; any libpq connection string or URL,
# given to psql, pg_dump and pg_restore as --dbname) and the folders of the
# installed state directory (STATE_DIR, or --prefix DIR).
#
# Consistency: the dump and the row counts come from one exported snapshot
# (a REPEATABLE READ transaction held open for the whole backup). The stack
# writes a file (temporary name, then rename) before the row naming it
# commits, so every file a row at the snapshot names is on disk when the
# snapshot is taken; the folders are hard-linked into a staging folder right
# after it (per file atomic, no copy of the bytes), so a file written later
# is either in the archive or not, never half, and a file removed later is
# still in it. A file written after the snapshot that no row names is in the
# archive as an orphan, harmless; files still being written (hidden or *.part
# names) are left out.
#
# The media bucket (media_storage s3, lib/store.h): the files rows keep there
# (storage 's3') are listed in the snapshot and fetched, while it is still
# held, into files/ under their names (bin/stint-admin media fetch), so the
# archive looks as a local-disk one does, sums included. That is consistent
# because an object is written before the row naming it commits and never
# rewritten under the same name: every object a row at the snapshot names
# exists, with the bytes it had then. Unlike a hard link, a fetch does not
# keep an object deleted after the snapshot (a clip removed, a session
# purged in the few seconds between): it is then recorded as "missing", and
# the backup says so. Restore puts these files back into the restored
# stack's bucket (bin/stint-admin media put) before it touches the database.
#
# The archive is written to a hidden
# temporary name next to FILE, fsynced, then renamed to FILE and the folder
# fsynced: FILE exists only when it is complete.

BACKUP_DIRS=(media uploads reports)
BACKUP_SYSTEM=0
BACKUP_TMP_DIRS=()
backup_cleanup() {
	local d
	for d in "${BACKUP_TMP_DIRS[@]}"; do
		[[ -n $d && -d $d ]] && rm -rf -- "$d"
	done
	if ((${#TMP_FILES[@]} > 0)); then rm -f -- "${TMP_FILES[@]}"; fi
	if [[ -n ${SCRATCH_PGDATA:-} && -f $SCRATCH_PGDATA/postmaster.pid ]]; then
		as_user "$PG_BIN/pg_ctl" -D "$SCRATCH_PGDATA" stop -m immediate -w >/dev/null 2>&1 || true
	fi
	if [[ -n ${SCRATCH_DIR:-} && -d $SCRATCH_DIR ]]; then rm -rf -- "$SCRATCH_DIR"; fi
	return 0
}

# Split the arguments into the stack options and the rest (BACKUP_ARGS).
backup_opts() {
	BACKUP_ARGS=()
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
		--system)
			BACKUP_SYSTEM=1
			shift
			;;
		*)
			BACKUP_ARGS+=("$1")
			shift
			;;
		esac
	done
}

# The database to back up or restore into, in BACKUP_CONN (a libpq
# connection string): with --system the setting database_url, else the
# checkout stack's cluster under PREFIX, which must be running. Sets the
# paths (PREFIX: the state folders).
backup_target() {
	set_paths
	if ((BACKUP_SYSTEM)); then
		BACKUP_CONN=$(system_db)
		[[ -n $BACKUP_CONN ]] || die "no database_url in \$STINT_DATABASE_URL or $CONF_FILE"
		[[ -d $PREFIX ]] || die "the state directory $PREFIX does not exist"
		"$PG_BIN/psql" -X -q -A -t -d "$BACKUP_CONN" -c "SELECT 1" >/dev/null ||
			die "cannot reach the database of database_url ($CONF_FILE)"
	else
		pg_running || die "PostgreSQL is not running under $PREFIX: bin/stint up --prefix $PREFIX"
		BACKUP_CONN=$(db_conninfo)
	fi
}

abs_path() {
	if [[ $1 == /* ]]; then printf '%s' "$1"; else printf '%s' "$CALLER_PWD/$1"; fi
}

# The row count of every public table, "table NAME ROWS" lines, from the SQL
# connection in coprocess SNAP (inside its snapshot), or from psql args.
ROW_COUNT_SQL="SELECT 'table' || E'\t' || c.relname || E'\t' ||
	(xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', c.relname),
		false, true, '')))[1]::text
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname;"

# The paths rows name (clips, artifacts, device_files), relative to the prefix.
FILE_ROWS_SQL="SELECT DISTINCT CASE WHEN path LIKE 'media/%' THEN path ELSE 'media/' || path END
	FROM clips WHERE path IS NOT NULL
	UNION SELECT path FROM artifacts UNION SELECT path FROM device_files ORDER BY 1;"

# The files rows keep in the media bucket (storage 's3': lib/store.h), as
# "PATH<tab>CONTENT-TYPE" lines: clips, artifacts, device files, and the
# metadata .xml that lib/participants.c stores beside an EPTS device file.
S3_ROWS_SQL="SELECT p || E'\t' || min(t) FROM (
	SELECT CASE WHEN path LIKE 'media/%' THEN path ELSE 'media/' || path END AS p,
		coalesce(content_type, 'application/octet-stream') AS t FROM clips WHERE storage = 's3' AND path IS NOT NULL
	UNION ALL SELECT path, content_type FROM artifacts WHERE storage = 's3'
	UNION ALL SELECT path, 'application/octet-stream' FROM device_files WHERE storage = 's3'
	UNION ALL SELECT regexp_replace(path, '\.[^./]*\$', '') || '.xml', 'application/xml' FROM device_files
		WHERE storage = 's3' AND format = 'epts') f GROUP BY p ORDER BY p;"

# Run bin/stint-admin media fetch|put DIR (stored names on stdin) with the
# stack's media bucket settings: a checkout stack's PREFIX/stint.env (what
# its handlers run with, alone), an installed system's settings file ($STINT_CONFIG,
# else CONF_FILE).
backup_media_tool() {
	[[ -x $PROG_DIR/stint-admin ]] || die "$PROG_DIR/stint-admin is not built: bin/stint build"
	local -a stack_env=(env)
	if ((!BACKUP_SYSTEM)) && [[ -f $PREFIX/stint.env ]]; then
		# exactly the handlers' settings, none of the caller's own STINT_*
		read_env
		mapfile -d '' stack_env < <(clean_env settings)
	elif [[ -z ${STINT_CONFIG:-} && -r $CONF_FILE ]]; then
		stack_env+=("STINT_CONFIG=$CONF_FILE")
	fi
	"${stack_env[@]}" "STINT_VAR_DIR=$PREFIX" "$PROG_DIR/stint-admin" media "$@"
}

# Send SQL to the coprocess SNAP and print its answer lines up to a marker.
snap_query() {
	printf '%s\n\\echo __stint_end__\n' "$1" >&"${SNAP[1]}"
	local line
	while IFS= read -r -u "${SNAP[0]}" line; do
		[[ $line == __stint_end__ ]] && return 0
		printf '%s\n' "$line"
	done
	return 1
}

# Write "file SIZE SHA256 PATH" lines for every file under DIR (paths relative).
manifest_files() {
	local dir=$1 pfx=$2 sub
	shift 2
	(
		cd "$dir" || exit 1
		for sub in "$@"; do
			[[ -e $sub ]] || continue
			find "$sub" -type f -print0
		done | sort -z | while IFS= read -r -d '' f; do
			[[ $f != *$'\t'* && $f != *$'\n'* ]] || { echo "stint: a file name holds a tab or newline: $f" >&2; exit 1; }
			printf 'file\t%s\t%s\t%s\n' "$(stat -c %s -- "$f")" "$(sha256sum -- "$f" | cut -d' ' -f1)" "$pfx$f"
		done
	)
}

cmd_backup() {
	local verify=0 file
	backup_opts "$@"
	set -- "${BACKUP_ARGS[@]}"
	if [[ ${1:-} == --verify ]]; then
		verify=1
		shift
	fi
	if (($# != 1)) || [[ $1 == -* ]]; then die "usage: bin/stint backup [--verify] FILE [--prefix DIR | --system]"; fi
	file=$(abs_path "$1")
	trap backup_cleanup EXIT
	if ((verify)); then
		backup_verify "$file"
		return
	fi
	backup_target
	local dir base
	dir=$(dirname -- "$file")
	base=$(basename -- "$file")
	[[ -d $dir ]] || die "backup: folder $dir does not exist"
	[[ -e $file ]] && die "backup: $file exists; give a new name (a backup never overwrites one)"
	local tmp=$dir/.$base.partial.$$
	TMP_FILES+=("$tmp")
	local stage
	stage=$(mktemp -d "$PREFIX/.backup.XXXXXX")
	BACKUP_TMP_DIRS+=("$stage")
	mkdir "$stage/files"

	# The snapshot: a transaction kept open while pg_dump reads it.
	coproc SNAP { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$BACKUP_CONN" 2>&1; }
	local snapshot schema
	snapshot=$(snap_query "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot();") ||
		die "backup: could not open a snapshot of the database"
	[[ $snapshot =~ ^[0-9A-F-]+$ ]] || die "backup: could not open a snapshot of the database: $snapshot"
	# Hard links of the folders now: every file the snapshot's rows name is there.
	local sub
	for sub in "${BACKUP_DIRS[@]}"; do
		[[ -d $PREFIX/$sub ]] || continue
		cp -al -- "$PREFIX/$sub" "$stage/files/$sub" ||
			die "backup: could not link $PREFIX/$sub into the staging folder"
	done
	# Files still being written are under temporary names (lib/media.c
	# .import-*.part, lib/participants.c .*.part, pages-import *.part, a report
	# run's hidden folder until complete): not part of any snapshot.
	find "$stage/files" -mindepth 1 \( -name '.*' -o -name '*.part' \) -prune -exec rm -rf -- {} + ||
		die "backup: could not leave the temporary files out of the staging folder"
	{
		printf 'stint-backup\t1\n'
		printf 'created_at\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		printf 'snapshot\t%s\n' "$snapshot"
		schema=$(snap_query "SELECT max(version) FROM schema_migrations;") || die "backup: cannot read schema_migrations"
		printf 'schema\t%s\n' "$schema"
		snap_query "$ROW_COUNT_SQL" || die "backup: cannot count rows"
	} >"$stage/manifest.head"
	grep -q $'^table\t' "$stage/manifest.head" || die "backup: the database has no tables: $(tail -n 3 "$stage/manifest.head")"
	local named
	named=$(snap_query "$FILE_ROWS_SQL") || die "backup: cannot list the files rows name"
	# The media bucket's files, fetched now, while the snapshot is held.
	local objects fetched nobjects=0
	objects=$(snap_query "$S3_ROWS_SQL") || die "backup: cannot list the files rows keep in the media bucket"
	if [[ -n $objects ]]; then
		new_tmp fetched
		backup_media_tool fetch "$stage/files" <<<"$objects" >"$fetched" ||
			die "backup: could not copy the files rows keep in the media bucket (above); no archive written"
		awk -F'\t' 'NR == FNR { if ($1 == "fetched") got[$2] = 1; next }
			($1 in got) { printf "object\t%s\t%s\n", $1, $2 }' "$fetched" - <<<"$objects" >>"$stage/manifest.head"
		nobjects=$(grep -c $'^object\t' "$stage/manifest.head" || true)
	fi
	local err
	new_tmp err
	if ! "$PG_BIN/pg_dump" -Fc --snapshot="$snapshot" -d "$BACKUP_CONN" -f "$stage/db.dump" 2>"$err"; then
		warn "backup: pg_dump failed; no archive written. pg_dump said:"
		cat "$err" >&2
		exit 1
	fi
	{ printf 'COMMIT;\n\\q\n' >&"${SNAP[1]}"; } 2>/dev/null || true
	wait "$SNAP_PID" 2>/dev/null || true
	local p
	while IFS= read -r p; do
		[[ -z $p || -f $stage/files/$p ]] || printf 'missing\t%s\n' "$p" >>"$stage/manifest.head"
	done <<<"$named"
	{
		cat "$stage/manifest.head"
		manifest_files "$stage" "" db.dump || exit 1
		manifest_files "$stage/files" files/ "${BACKUP_DIRS[@]}" || exit 1
	} >"$stage/manifest.txt" || die "backup: could not write the manifest"
	rm -f "$stage/manifest.head"
	tar -C "$stage" --format=posix -cf "$tmp" manifest.txt db.dump files ||
		die "backup: writing $tmp failed; no archive written"
	sync -- "$tmp" || die "backup: fsync of $tmp failed"
	mv -T -- "$tmp" "$file" || die "backup: could not rename $tmp to $file"
	sync -- "$dir" 2>/dev/null || sync
	local nfiles nmissing
	nfiles=$(awk -F'\t' '$1 == "file" && $4 ~ /^files\//' "$stage/manifest.txt" | wc -l)
	nmissing=$(grep -c $'^missing\t' "$stage/manifest.txt" || true)
	say "backup: $file ($(stat -c %s -- "$file") bytes; database at snapshot $snapshot, schema $schema; $nfiles files, $nobjects of them from the media bucket)"
	((nmissing == 0)) || warn "backup: $nmissing files named by rows were already missing from the stack (listed as 'missing' in the manifest)"
}

# Unpack FILE into DIR and check every file against the manifest; on a
# difference name the file and exit 1.
backup_unpack_check() {
	local file=$1 dir=$2
	[[ -f $file ]] || die "$file: no such archive"
	tar -C "$dir" -xf "$file" || die "$file: not a readable tar archive"
	[[ -f $dir/manifest.txt ]] || die "$file: no manifest.txt: not a Stint backup"
	[[ $(head -n 1 "$dir/manifest.txt") == $'stint-backup\t1' ]] || die "$file: manifest.txt is not a Stint backup manifest (version 1)"
	local bad=0 kind size sum path actual
	while IFS=$'\t' read -r kind size sum path; do
		[[ $kind == file ]] || continue
		if [[ ! -f $dir/$path ]]; then
			warn "verify: $path is in the manifest but not in the archive"
			bad=1
			continue
		fi
		actual=$(stat -c %s -- "$dir/$path")
		if [[ $actual != "$size" ]]; then
			warn "verify: $path has $actual bytes, the manifest says $size"
			bad=1
			continue
		fi
		actual=$(sha256sum -- "$dir/$path" | cut -d' ' -f1)
		if [[ $actual != "$sum" ]]; then
			warn "verify: $path has SHA-256 $actual, the manifest says $sum"
			bad=1
		fi
	done <"$dir/manifest.txt"
	local f
	while IFS= read -r -d '' f; do
		f=${f#./}
		grep -qF -- $'\t'"$f" "$dir/manifest.txt" || {
			warn "verify: $f is in the archive but not in the manifest"
			bad=1
		}
	done < <(cd "$dir" && find db.dump files -type f -print0 2>/dev/null)
	((bad == 0)) || die "verify: $file does not match its manifest"
}

# Compare "table NAME ROWS" of the manifest in DIR with the database at CONN.
backup_compare_counts() {
	local dir=$1 conn=$2 label=$3 got bad=0
	got=$("$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$conn" -c "$ROW_COUNT_SQL") ||
		die "$label: cannot count the restored rows"
	local want
	want=$(grep $'^table\t' "$dir/manifest.txt")
	if [[ $got != "$want" ]]; then
		warn "$label: row counts differ from the manifest (< manifest, > restored):"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | grep '^[<>]' >&2
		bad=1
	fi
	return "$bad"
}

backup_verify() {
	local file=$1 err
	[[ -f $file ]] || die "verify: $file: no such archive"
	SCRATCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stint-verify.XXXXXX")
	chmod 0755 "$SCRATCH_DIR"
	mkdir "$SCRATCH_DIR/unpacked" "$SCRATCH_DIR/pg" "$SCRATCH_DIR/run"
	backup_unpack_check "$file" "$SCRATCH_DIR/unpacked"
	say "verify: every file matches its size and SHA-256 in the manifest"
	# A scratch cluster, as the test stack makes one: initdb in a temporary
	# folder, unix socket only, on a port no other server under it uses.
	if is_root; then chown "$RUN_USER:$RUN_USER" "$SCRATCH_DIR/pg" "$SCRATCH_DIR/run"; fi
	SCRATCH_PGDATA=$SCRATCH_DIR/pg
	local port
	port=$(free_pg_port "$SCRATCH_DIR/run")
	quiet_run "initdb (scratch)" as_user "$PG_BIN/initdb" -D "$SCRATCH_PGDATA" -U stint --auth=trust \
		-E UTF8 --locale=C.UTF-8 --no-sync
	quiet_run "PostgreSQL (scratch)" as_user "$PG_BIN/pg_ctl" -D "$SCRATCH_PGDATA" -l "$SCRATCH_DIR/run/postgres.log" \
		-o "-k $SCRATCH_DIR/run -c listen_addresses='' -p $port -c fsync=off -c jit=off" -w -t 30 start
	local conn="host=$SCRATCH_DIR/run port=$port dbname=stint user=stint"
	quiet_run "createdb (scratch)" "$PG_BIN/createdb" -h "$SCRATCH_DIR/run" -p "$port" -U stint stint
	new_tmp err
	if ! "$PG_BIN/pg_restore" --exit-on-error --no-owner -d "$conn" "$SCRATCH_DIR/unpacked/db.dump" 2>"$err"; then
		warn "verify: pg_restore of db.dump failed:"
		cat "$err" >&2
		exit 1
	fi
	backup_compare_counts "$SCRATCH_DIR/unpacked" "$conn" verify ||
		die "verify: $file: the restored database does not match the manifest's row counts"
	local ntables nfiles
	ntables=$(grep -c $'^table\t' "$SCRATCH_DIR/unpacked/manifest.txt")
	nfiles=$(grep -c $'^file\t' "$SCRATCH_DIR/unpacked/manifest.txt")
	say "verify: $file is good ($ntables tables restored with the manifest's row counts, $nfiles files with its sums)"
}

# A port whose socket is free in DIR (the scratch cluster listens on no TCP).
free_pg_port() {
	local p
	for ((p = 16600; p < 16700; p++)); do
		[[ -e $1/.s.PGSQL.$p ]] || { printf '%s' "$p"; return; }
	done
	printf '16600'
}

cmd_restore() {
	backup_opts "$@"
	set -- "${BACKUP_ARGS[@]}"
	if (($# != 1)) || [[ $1 == -* ]]; then die "usage: bin/stint restore FILE [--prefix DIR | --system]"; fi
	local file
	file=$(abs_path "$1")
	trap backup_cleanup EXIT
	backup_target
	[[ -f $file ]] || die "restore: $file: no such archive"
	# Only into an empty stack: no sessions (live or archived), no timeline
	# rows, tasks, API tokens or files. The admin account `up` makes in a new
	# stack does not count: the archive's accounts replace it.
	local conn has sub what=()
	conn=$BACKUP_CONN
	if ((BACKUP_SYSTEM)); then
		has=1 # backup_target reached it
	else
		has=$("$PG_BIN/psql" -X -q -A -t -d "$(db_conninfo postgres)" -c "SELECT 1 FROM pg_database WHERE datname = 'stint'") ||
			die "restore: cannot reach PostgreSQL under $PREFIX"
	fi
	if [[ $has == 1 ]]; then
		local t n
		while IFS=$'\t' read -r t n; do
			[[ -n $t && $n != 0 ]] && what+=("$n rows in $t")
		done < <("$PG_BIN/psql" -X -q -A -t -F $'\t' -d "$conn" -c "
			SELECT relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I', relname),
				false, true, '')))[1]::text FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname = 'public' AND relkind = 'r'
			AND relname IN ('sessions', 'events', 'clips', 'artifacts', 'backups', 'device_files', 'tasks', 'api_tokens')
			ORDER BY 1")
	fi
	for sub in "${BACKUP_DIRS[@]}"; do
		if [[ -d $PREFIX/$sub && -n $(find "$PREFIX/$sub" -type f -print -quit) ]]; then
			what+=("files in $PREFIX/$sub")
		fi
	done
	if ((${#what[@]} > 0)); then
		local list
		list=$(IFS=,; echo "${what[*]}")
		die "restore: the stack under $PREFIX is not empty (${list//,/, }); restore only into a new stack (bin/stint up --prefix NEW --no-demo)"
	fi
	local stage err
	stage=$(mktemp -d "$PREFIX/.restore.XXXXXX")
	BACKUP_TMP_DIRS+=("$stage")
	chmod 0755 "$stage"
	backup_unpack_check "$file" "$stage"
	say "restore: every file in $file matches its manifest"
	# The files the source kept in its media bucket ("object" records) go
	# into this stack's bucket first: when that fails the stack is as it
	# was (an object no row names is harmless). They are then left out of
	# the local folders, as in the source.
	local objects put nobjects=0
	objects=$(awk -F'\t' '$1 == "object" { print $2 "\t" $3 }' "$stage/manifest.txt")
	if [[ -n $objects ]]; then
		new_tmp put
		backup_media_tool put "$stage/files" <<<"$objects" >"$put" ||
			die "restore: $file holds $(wc -l <<<"$objects") files its stack kept in the media bucket (media_storage s3), and this stack could not store them in its bucket (above); give it the media bucket settings (docs/storage.md) and restore again. Nothing was changed"
		local kind p
		while IFS=$'\t' read -r kind p; do
			[[ $kind == put ]] || continue
			rm -f -- "$stage/files/$p"
			nobjects=$((nobjects + 1))
		done <"$put"
	fi
	new_tmp err
	if ((BACKUP_SYSTEM)); then
		# The database of database_url is the administrator's (made once,
		# owned by the user stint; docs/operations.md): emptied and restored
		# in one transaction, a failure leaves it as it was. Its schema public
		# is dropped and made again (the dump does not create it).
		if ! {
			printf 'BEGIN;\nDROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n'
			"$PG_BIN/pg_restore" --no-owner -f - "$stage/db.dump" || printf '\\echo pg_restore failed\nSELECT 1/0;\n'
			printf 'COMMIT;\n'
		} | "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$conn" >/dev/null 2>"$err"; then
			warn "restore: restoring db.dump failed; the database is as it was. psql said:"
			cat "$err" >&2
			exit 1
		fi
		# shellcheck disable=SC2034 # migrate (database.sh) reads it
		MIGRATE_CONN=$conn
	else
		"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(db_conninfo postgres)" \
			-c "DROP DATABASE IF EXISTS stint WITH (FORCE)" -c "CREATE DATABASE stint" >/dev/null 2>"$err" || {
			cat "$err" >&2
			die "restore: could not recreate the stint database"
		}
	fi
	if ((!BACKUP_SYSTEM)) && ! "$PG_BIN/pg_restore" --exit-on-error --no-owner --single-transaction -d "$conn" "$stage/db.dump" 2>"$err"; then
		warn "restore: pg_restore failed; the database is empty again. pg_restore said:"
		cat "$err" >&2
		exit 1
	fi
	backup_compare_counts "$stage" "$conn" restore || die "restore: the restored rows differ from the manifest"
	for sub in "${BACKUP_DIRS[@]}"; do
		[[ -d $stage/files/$sub ]] || continue
		mkdir -p "$PREFIX/$sub"
		(cd "$stage/files/$sub" && find . -mindepth 1 -maxdepth 1 -print0 | xargs -0 -r mv -t "$PREFIX/$sub/") ||
			die "restore: could not move the files into $PREFIX/$sub"
		if is_root; then chown -R "$RUN_USER:$RUN_USER" "$PREFIX/$sub"; fi
	done
	local nfiles
	nfiles=$(awk -F'\t' '$1 == "file" && $4 ~ /^files\//' "$stage/manifest.txt" | wc -l)
	say "restore: $file restored into $PREFIX (schema $(sed -n 's/^schema\t//p' "$stage/manifest.txt"), $nfiles files, $nobjects of them into the media bucket)"
	migrate
}

# migrate --check: the migrations that would run, and the function files,
# without running anything.
migrate_check() {
	local conn applied f version n=0
	conn=$(db_conninfo)
	applied=$("$PG_BIN/psql" -X -q -A -t -d "$conn" -c "SELECT version FROM schema_migrations" 2>/dev/null) || applied=
	for f in "$REPO"/sql/migrations/*.sql; do
		version=${f##*/}
		version=${version%.sql}
		grep -qxF -- "$version" <<<"$applied" && continue
		say "would migrate: $version"
		n=$((n + 1))
	done
	local -a fn=("$REPO"/sql/functions/*.sql)
	if ((n == 0)); then say "migrations: up to date"; else say "migrations: $n pending"; fi
	say "functions: would apply sql/functions (${#fn[@]} files, CREATE OR REPLACE)"
}

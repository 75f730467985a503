#!/bin/sh
# Lint (STYLE.md habit 4): SQL only through the statement catalogue in
# lib/sql.h; no PQexec, no SQL text assembled with printf-style builders.
# And sql/: migrations change the schema only, every function has one
# CREATE OR REPLACE definition in sql/functions/ (trigger functions in
# triggers.sql, which the migrator applies before migrations too), and every
# file is installed (Makefile.am's nobase_dist_pkgdata_DATA).
set -u
cd "${top_srcdir:-.}" || exit 99
status=0
hits=$(grep -n -E '\bPQexec(Params)?\s*\(' lib/*.c cgi-bin/*.c bin/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	echo "SQL must run through stint_db_exec and the catalogue (lib/sql.h):"
	echo "$hits"
	status=1
fi
hits=$(grep -n -i -E 'printf\s*\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE)\b' lib/*.c cgi-bin/*.c bin/*.c 2>/dev/null)
if [ -n "$hits" ]; then
	echo "SQL text built with printf:"
	echo "$hits"
	status=1
fi
hits=$(grep -n -i -E '\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b' sql/migrations/*.sql)
if [ -n "$hits" ]; then
	echo "a function's definition belongs in sql/functions/ (sql/functions/README.md), not in a migration:"
	echo "$hits"
	status=1
fi
hits=$(grep -n -i -E '\bCREATE\s+(FUNCTION|PROCEDURE)\b' sql/functions/*.sql)
if [ -n "$hits" ]; then
	echo "sql/functions/ is applied on every migrate: write CREATE OR REPLACE FUNCTION:"
	echo "$hits"
	status=1
fi
names=$(grep -h -i -o -E '\bCREATE\s+OR\s+REPLACE\s+FUNCTION\s+[a-z0-9_.]+' sql/functions/*.sql |
	awk '{ print tolower($NF) }' | sort)
hits=$(printf '%s\n' "$names" | uniq -d)
if [ -n "$hits" ]; then
	echo "a function defined twice in sql/functions/ (one definition each):"
	echo "$hits"
	status=1
fi
hits=$(grep -n -i -E '\bFUNCTION\b.*\bRETURNS\s+trigger\b' sql/functions/*.sql | grep -v '^sql/functions/triggers\.sql:')
hits2=$(grep -n -i -E '\bFUNCTION\b' sql/functions/triggers.sql | grep -v -i -E '\bRETURNS\s+trigger\b')
if [ -n "$hits$hits2" ]; then
	echo "trigger functions, and only they, go in sql/functions/triggers.sql (applied before migrations):"
	printf '%s\n' "$hits" "$hits2" | sed '/^$/d'
	status=1
fi
for f in sql/migrations/*.sql sql/functions/*.sql; do
	if ! grep -q -E "(^|[[:space:]])$f([[:space:]]|\\\\|\$)" Makefile.am; then
		echo "$f is not in Makefile.am's nobase_dist_pkgdata_DATA (not installed, not in the tarball)"
		status=1
	fi
done
[ $status -eq 0 ] && echo "lint-sql: ok"
exit $status

#!/bin/sh
# Lint (STYLE.md habit 4): SQL only through the statement catalogue in
# lib/sql.h; no PQexec, no SQL text assembled with printf-style builders.
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
[ $status -eq 0 ] && echo "lint-sql: ok"
exit $status

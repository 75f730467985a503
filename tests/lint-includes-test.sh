#!/bin/sh
# Tests of tests/lint-includes.sh on small trees: a cycle through includes,
# a cycle through a header declaring another module's function, and a tree
# without cycles.
set -u
lint="$(cd "${top_srcdir:-.}" && pwd)/tests/lint-includes.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
status=0

# tree NAME FILE=TEXT...: a tree of lib/ and cgi-bin/ files under $tmp/NAME.
tree() {
	dir="$tmp/$1"
	shift
	mkdir -p "$dir/lib" "$dir/cgi-bin"
	for spec; do
		printf '%b\n' "${spec#*=}" > "$dir/${spec%%=*}"
	done
}

# expect NAME RC TEXT: the lint on tree NAME exits RC and prints TEXT.
expect() {
	out=$(top_srcdir="$tmp/$1" sh "$lint" 2>&1)
	rc=$?
	if [ "$rc" -ne "$2" ] || ! printf '%s\n' "$out" | grep -qF -- "$3"; then
		echo "FAIL $1: want exit $2 and \"$3\", got exit $rc:"
		printf '%s\n' "$out"
		status=1
	fi
}

tree includes \
	'lib/a.h=int a_run(void);' 'lib/a.c=#include "a.h"\n#include "b.h"\nint a_run(void) { return b_run(); }' \
	'lib/b.h=int b_run(void);' 'lib/b.c=#include "b.h"\n#include "a.h"\nint b_run(void) { return 0; }'
expect includes 1 'lib/a -> lib/b -> lib/a'
expect includes 1 'lib/b.c includes a.h'

tree declares \
	'cgi-bin/prog.h=void page_one(void);\nvoid prog_helper(void);' \
	'cgi-bin/prog.c=#include "prog.h"\nvoid prog_helper(void) {}\nint main(void) { page_one(); return 0; }' \
	'cgi-bin/prog-one.c=#include "prog.h"\nvoid page_one(void) { prog_helper(); }'
expect declares 1 'cgi-bin/prog-one -> cgi-bin/prog -> cgi-bin/prog-one'
expect declares 1 'cgi-bin/prog.h declares page_one, defined in cgi-bin/prog-one.c'

tree acyclic \
	'lib/a.h=#include "b.h"\nint a_run(void);' 'lib/a.c=#include "a.h"\nint a_run(void) { return b_run(); }' \
	'lib/b.h=int b_run(void);' 'lib/b.c=#include "b.h"\nstatic int a_run(void);\nint b_run(void) { return 0; }' \
	'cgi-bin/prog.c=#include "a.h"\nint main(void) { return a_run(); }'
expect acyclic 0 'lint-includes: ok'

[ $status -eq 0 ] && echo "lint-includes-test: ok"
exit $status

#!/bin/sh
# Lint: the route manifest (lib/routes.def) is consistent, renders the nginx
# locations, and names the same handler programs as Makefile.am's
# handler_PROGRAMS (cgi-bin/NAME.fcgi for each STINT_PROGRAM(NAME, ...)).
set -u
routes=$PWD/bin/stint-routes
cd "${top_srcdir:-.}" || exit 99
[ -x "$routes" ] || { echo "lint-routes: $routes is not built"; exit 99; }
status=0
"$routes" check || status=1
"$routes" nginx-locations >/dev/null || status=1
in_manifest=$("$routes" programs | cut -d' ' -f1 | sort)
in_makefile=$(awk '/^handler_PROGRAMS[ \t]*=/ { on = 1 } on { print; if ($0 !~ /\\$/) exit }' Makefile.am |
	sed -e 's/^handler_PROGRAMS[ \t]*=//' -e 's/\\$//' | tr ' \t' '\n\n' |
	sed -n 's|^cgi-bin/\([a-z0-9_]*\)\.fcgi$|\1|p' | sort)
if [ "$in_manifest" != "$in_makefile" ]; then
	echo "Makefile.am's handler_PROGRAMS and lib/routes.def's programs differ (< manifest, > Makefile.am):"
	printf '%s\n' "$in_manifest" >lint-routes.manifest.tmp
	printf '%s\n' "$in_makefile" >lint-routes.makefile.tmp
	diff lint-routes.manifest.tmp lint-routes.makefile.tmp
	rm -f lint-routes.manifest.tmp lint-routes.makefile.tmp
	status=1
fi
[ $status -eq 0 ] && echo "lint-routes: ok ($(echo "$in_manifest" | wc -l) programs, $("$routes" tsv | wc -l) routes)"
exit $status

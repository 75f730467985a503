#!/bin/sh
# Lint: no include cycle among the modules of lib/ and cgi-bin/.
#
# A module is foo.c with foo.h (either may be missing). Module foo depends on
# module bar when foo.c or foo.h includes bar.h, or when foo.h declares a
# function or variable that bar.c defines (a header speaking for another
# module's code hides that dependency from the includes). Every cycle of
# that graph is reported with the includes and declarations that close it.
# `tests/lint-includes.sh --graph` prints the graph's edges instead.
set -u
cd "${top_srcdir:-.}" || exit 99
files=$(find lib cgi-bin -type f -name '*.[ch]' | LC_ALL=C sort)
[ -n "$files" ] || exit 99
# shellcheck disable=SC2086
exec awk -v graph="${1:-}" '
function module(path) { sub(/\.[ch]$/, "", path); return path }
function dir(path) { sub(/\/[^\/]*$/, "", path); return path }
function add_edge(from, to, why) {
	if (from == to || (from, to) in reason)
		return
	reason[from, to] = why
	adj[from] = adj[from] " " to
}
# The header #include "inc" in file names: the includer'\''s folder, then
# lib/, then any header of lib/ or cgi-bin/ whose path ends in /inc.
function resolve(file, inc,   p, f) {
	if ((dir(file) "/" inc) in is_file)
		return dir(file) "/" inc
	if (("lib/" inc) in is_file)
		return "lib/" inc
	for (f in is_file)
		if (length(f) > length(inc) && substr(f, length(f) - length(inc)) == "/" inc)
			return f
	return ""
}
FNR == 1 {
	is_file[FILENAME] = 1
	mod = module(FILENAME)
	if (!(mod in mods))
		order[++nmods] = mod
	mods[mod] = 1
	header = FILENAME ~ /\.h$/
}
/^#[ \t]*include[ \t]*"/ {
	inc = $0
	sub(/^#[ \t]*include[ \t]*"/, "", inc)
	sub(/".*/, "", inc)
	includes[++ninc] = FILENAME SUBSEP inc
	next
}
# A declaration or definition starts at column 0: [extern] type name( or name[ or name;
/^[A-Za-z_]/ && !/^(static|typedef|struct|enum|union)[ \t]/ {
	line = $0
	sub(/[ \t]*=.*/, "", line)
	if (!match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*(\(|\[|;)/))
		next
	name = substr(line, RSTART, RLENGTH)
	sub(/[ \t]*[(\[;]$/, "", name)
	if (RSTART == 1 || name == "return")
		next
	if (header)
		declared[++ndecl] = FILENAME SUBSEP name
	else if (!(name in defined))
		defined[name] = mod
}
END {
	for (i = 1; i <= ninc; i++) {
		split(includes[i], part, SUBSEP)
		h = resolve(part[1], part[2])
		if (h != "")
			add_edge(module(part[1]), module(h), part[1] " includes " part[2])
	}
	for (i = 1; i <= ndecl; i++) {
		split(declared[i], part, SUBSEP)
		if (part[2] in defined)
			add_edge(module(part[1]), defined[part[2]],
				 part[1] " declares " part[2] ", defined in " defined[part[2]] ".c")
	}
	if (graph == "--graph") {
		for (e in reason) {
			split(e, part, SUBSEP)
			print part[1] " -> " part[2] "\t(" reason[e] ")" | "LC_ALL=C sort"
		}
		exit 0
	}
	# Reachability (the graph is small: a few dozen modules).
	for (a in mods) {
		n = split(adj[a], next_, " ")
		for (k = 1; k <= n; k++)
			reach[a, next_[k]] = 1
	}
	for (k in mods)
		for (a in mods)
			if ((a, k) in reach)
				for (b in mods)
					if ((k, b) in reach)
						reach[a, b] = 1
	status = 0
	for (m = 1; m <= nmods; m++) {
		a = order[m]
		if (!((a, a) in reach) || a in shown)
			continue
		# a is on a cycle: its group is every module reachable both ways.
		group = ""
		for (k = 1; k <= nmods; k++) {
			b = order[k]
			if ((a, b) in reach && (b, a) in reach) {
				shown[b] = 1
				group = group " " b
			}
		}
		# The shortest cycle through a (breadth first), for the message.
		split("", prev)
		split("", seen)
		queue[1] = a
		head = 1
		tail = 1
		found = 0
		while (head <= tail && !found) {
			u = queue[head++]
			n = split(adj[u], next_, " ")
			for (k = 1; k <= n && !found; k++) {
				v = next_[k]
				if (v == a) {
					found = 1
					last = u
				} else if (!(v in seen)) {
					seen[v] = 1
					prev[v] = u
					queue[++tail] = v
				}
			}
		}
		path = a
		steps = reason[last, a]
		for (u = last; u != a; u = prev[u]) {
			path = u " -> " path
			steps = reason[prev[u], u] "\n    " steps
		}
		cycles[++ncycles] = "  " a " -> " path "\n    " steps "\n    (cycle group:" group ")"
		status = 1
	}
	if (status) {
		print "lint-includes: include cycles among the modules of lib/ and cgi-bin/:"
		for (i = 1; i <= ncycles; i++)
			print cycles[i]
	} else {
		print "lint-includes: ok"
	}
	exit status
}' $files

# shellcheck shell=bash
# bin/stint.d/build.sh, sourced by bin/stint: deps (the Debian packages) and
# build (autoreconf, configure, make).

DEB_PACKAGES=(gcc make autoconf automake libtool pkg-config libfcgi-dev libpq-dev
	libcjson-dev libcurl4-openssl-dev libssl-dev libsodium-dev check postgresql
	postgresql-contrib nginx libnginx-mod-nchan curl tidy nodejs npm wrk libcsv-dev ffmpeg clang libclang-rt-14-dev llvm chromium
	logrotate libxml2-dev libinih-dev)
# the install test: systemd-analyze verify/security of the units, a self-signed certificate
DEB_PACKAGES+=(systemd openssl)
# bin/stint cluster: nchan's Redis backend shared by the web hosts
DEB_PACKAGES+=(redis-server)

# Packages that another install may stand in for (NodeSource's nodejs ships npm
# and conflicts with Debian's): satisfied when the command exists.
declare -A DEB_COMMANDS=([nodejs]=node [npm]=npm)

cmd_deps() {
	parse_opts "$@"
	deps
}

deps() {
	local p status
	local -a missing=()
	for p in "${DEB_PACKAGES[@]}"; do
		# shellcheck disable=SC2016 # ${Status} is dpkg-query's field, not ours
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ $status == "install ok installed" ]] && continue
		[[ -n ${DEB_COMMANDS[$p]:-} ]] && command -v "${DEB_COMMANDS[$p]}" >/dev/null && continue
		missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	if ! is_root; then
		warn "missing Debian packages: ${missing[*]}"
		printf 'Install them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' \
			"${missing[*]}" >&2
		exit 1
	fi
	say "Installing Debian packages: ${missing[*]}"
	quiet_run "apt-get update" apt-get update
	quiet_run "apt-get install" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

cmd_build() {
	parse_opts "$@"
	build
}

# Quiet unless a step fails. Runs in the checkout (main cds there).
build() {
	[[ $INSTALLED != yes ]] || die "this is an installed Stint ($REPO): build it from its source (make install)"
	[[ -f configure.ac ]] || die "no configure.ac in $REPO"
	if [[ ! -x configure || configure.ac -nt configure ||
		(-f Makefile.am && Makefile.am -nt configure) ]]; then
		quiet_run "autoreconf -fi" autoreconf -fi
	fi
	local -a flags=()
	read -ra flags <<<"${STINT_CONFIGURE_FLAGS:-}"
	# Reconfigure (and rebuild all) when the flags differ from the last
	# ./configure's, which config.status prints shell-quoted.
	local want have quoted=''
	want=$(printf '%s\n' "${flags[@]}")
	if [[ -f Makefile && -x config.status ]]; then
		quoted=$(./config.status --config 2>/dev/null || true)
		have=$(printf '%s' "$quoted" | xargs -r printf '%s\n')
		if [[ $have != "$want" ]]; then
			say "Reconfiguring: ./configure ${flags[*]} (was: ${quoted:-no flags})"
			quiet_run "./configure" ./configure "${flags[@]}"
			quiet_run "make clean" make clean
		fi
	else
		quiet_run "./configure" ./configure "${flags[@]}"
	fi
	quiet_run "make" make -j2
}

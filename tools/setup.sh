#!/usr/bin/env bash
# setup.sh — installs everything pocketc needs on a fresh Debian 12 machine (run as root):
# the build toolchain and libraries from apt, and (with --tests) the npm packages of the
# API tests. Safe to run again: apt and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
for a in "$@"; do
	case "$a" in
	--tests) want_tests=1 ;;
	esac
done

pkgs=(build-essential cmake pkg-config git ca-certificates
	libevent-dev libsqlite3-dev sqlite3 libjansson-dev libssl-dev libcrypt-dev libcurl4-openssl-dev libpcre2-dev libvips-dev libzip-dev libmimalloc-dev)
if [ "$want_tests" = 1 ]; then
	pkgs+=(clang wrk curl)
	# Node.js ≥ 18 runs the API tests; use the machine's if it has one, else Debian's
	command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
	command -v npm >/dev/null 2>&1 || pkgs+=(npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$want_tests" = 1 ]; then
	(cd tests/api && npm ci --no-audit --no-fund --loglevel=error)
fi

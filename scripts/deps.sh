#!/usr/bin/env bash
# Install what yaksok needs to build, run and test, from Debian's packages.
# Does nothing when everything is there already.  Uses sudo when not root.
set -euo pipefail

PACKAGES=(
	build-essential cmake pkg-config git
	libuv1-dev libprotobuf-c-dev protobuf-c-compiler libpq-dev postgresql
	libsodium-dev libutf8proc-dev libjansson-dev libyaml-dev libcmocka-dev libxlsxwriter-dev libzip-dev
	libssl-dev openssl clang libclang-rt-14-dev libsystemd-dev help2man
	libcairo2-dev libpango1.0-dev fonts-nanum chromium unzip prometheus jq poppler-utils time bc python3
)

# Node.js and npm drive the browser tests (tests/web).  A machine that has
# them from elsewhere (NodeSource) keeps its own: Debian's npm would clash.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# Packages that are services (PostgreSQL, Prometheus -- which we want for
# promtool only) are not started: yaksok runs its own private clusters.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
	$SUDO chmod +x /usr/sbin/policy-rc.d
	trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/dev/null

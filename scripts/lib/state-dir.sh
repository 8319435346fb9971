#!/usr/bin/env bash
# Print the directory that holds the private cluster and the daemon's files:
# .yaksok inside the checkout, unless PostgreSQL (which runs as `postgres`
# when we are root) cannot reach it there, e.g. under a 0700 /root.
# YAKSOK_STATE_DIR, when set, is used as it is.
set -euo pipefail
if [ -n "${YAKSOK_STATE_DIR:-}" ]; then
	echo "$YAKSOK_STATE_DIR"
	exit 0
fi
cd "$(dirname "$0")/../.."
dir=$(pwd)/.yaksok
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(pwd)" 2>/dev/null; then
	dir=/var/tmp/yaksok-$(pwd | md5sum | cut -c1-12)
fi
echo "$dir"

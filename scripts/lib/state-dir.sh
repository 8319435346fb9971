#!/usr/bin/env bash
# Print the directory that holds the private cluster and the daemon's files:
# .yaksok inside the checkout, unless PostgreSQL (which runs as `postgres`
# when we are root) cannot reach it there, e.g. under a 0700 /root.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(pwd)/.yaksok
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(pwd)" 2>/dev/null; then
	dir=/var/tmp/yaksok-$(pwd | md5sum | cut -c1-12)
fi
echo "$dir"

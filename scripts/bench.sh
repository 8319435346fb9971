#!/usr/bin/env bash
# The older name of scripts/bench.
exec "$(dirname "$0")/bench" "$@"

#!/usr/bin/env bash
# Rewrite docs/cli.md from the client's own command table and help texts
# (`yaksok help --markdown`); unit.cli_doc fails when the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bin/yaksok}
[ -x "$BIN" ] || { echo "gen-cli-doc.sh: build first (no $BIN)" >&2; exit 1; }
"$BIN" help --markdown >docs/cli.md.new
mv docs/cli.md.new docs/cli.md
echo "docs/cli.md rewritten"

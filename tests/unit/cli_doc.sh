#!/usr/bin/env bash
# docs/cli.md is what `yaksok help --markdown` prints: the reference is made
# from the command table, so a command or flag added without regenerating it
# (scripts/gen-cli-doc.sh) fails here.
set -euo pipefail
SRC=${1:?usage: cli_doc.sh SOURCE_DIR YAKSOK}
YK=${2:?usage: cli_doc.sh SOURCE_DIR YAKSOK}
if ! diff -u "$SRC/docs/cli.md" <("$YK" help --markdown); then
	echo "FAIL: docs/cli.md is not current; run scripts/gen-cli-doc.sh"
	exit 1
fi
echo "ok: docs/cli.md is current"

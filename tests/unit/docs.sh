#!/usr/bin/env bash
# docs/architecture.md stays true to the tree: every path it names exists,
# and it names the file of every SQL function (each defined in exactly one
# file of migrations/, as `CREATE ... FUNCTION`).
set -euo pipefail
SRC=${1:?usage: docs.sh SOURCE_DIR}
cd "$SRC"
DOC=docs/architecture.md
bad=0
for p in $(grep -oE '\b(server|common|client|migrations|tests|proto|docs|scripts)/[A-Za-z0-9_./-]*[A-Za-z0-9_]' "$DOC" | sort -u); do
	case $p in *NNNN*) continue ;; esac
	[ -e "$p" ] || { echo "FAIL: $DOC names $p, which does not exist"; bad=1; }
done
defs=$(grep -rhoE 'CREATE( OR REPLACE)? FUNCTION [a-z0-9_]+' migrations | awk '{print $NF}' | sort)
dups=$(echo "$defs" | uniq -d)
[ -z "$dups" ] || { echo "FAIL: functions defined in more than one place: $dups"; bad=1; }
for f in $(echo "$defs" | uniq); do
	file=$(grep -lE "CREATE( OR REPLACE)? FUNCTION $f\(" -r migrations)
	grep -qE "^\| $file \|.*\`$f\`" "$DOC" || { echo "FAIL: $DOC does not give $f its file ($file)"; bad=1; }
done
[ "$bad" = 0 ] && echo "ok: every path in $DOC exists; every SQL function has one file, named there"
exit "$bad"

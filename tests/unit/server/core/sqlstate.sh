#!/usr/bin/env bash
# The SQLSTATEs of yaksok's SQL and server/core/sqlstate.h name the same
# codes: each code a function raises is listed in the header (so the daemon
# maps it on purpose, not by falling through to INTERNAL), and each code
# listed is raised somewhere (no stale constant).
set -euo pipefail
SRC=${1:?usage: sqlstate.sh SOURCE_DIR}
raised=$(grep -rhoE "ERRCODE = 'YK[0-9]{3}'" "$SRC/migrations" | grep -oE 'YK[0-9]{3}' | sort -u)
listed=$(grep -oE '^#define YK_SQLSTATE_[A-Z_]+ "YK[0-9]{3}"' "$SRC/server/core/sqlstate.h" | grep -oE 'YK[0-9]{3}' | sort -u)
[ -n "$raised" ] || { echo "FAIL: found no ERRCODE in migrations/"; exit 1; }
if [ "$raised" != "$listed" ]; then
	echo "FAIL: raised by the SQL but not in sqlstate.h: $(comm -23 <(echo "$raised") <(echo "$listed") | tr '\n' ' ')"
	echo "      in sqlstate.h but raised nowhere: $(comm -13 <(echo "$raised") <(echo "$listed") | tr '\n' ' ')"
	exit 1
fi
# and the C compares against the constants, never a literal code
if grep -rnE '"YK[0-9]{3}"' "$SRC/server" --include=*.c; then
	echo "FAIL: a literal SQLSTATE in C (use server/core/sqlstate.h)"
	exit 1
fi
echo "ok: $(echo "$raised" | wc -l) SQLSTATEs, the same in the SQL and in sqlstate.h"

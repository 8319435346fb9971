#!/usr/bin/env bash
# The README's walkthrough runs as written: scripts/run.sh on a fresh state,
# then the README's command block, line for line, in a working tree that has
# the paths it names (build/bin is this build's) -- and every claim it makes
# holds: section 5 gets the approved change with its vote, the completion is
# confirmed, a reader sees the approved card, the export is written.
source "$(dirname "$0")/lib.sh"
W=$T/walk
mkdir -p "$W/build" "$W/tests"
ln -s "$YK_BIN" "$W/build/bin"
ln -s "$YK_SRC/examples" "$W/examples"
ln -s "$YK_SRC/scripts" "$W/scripts"
ln -s "$YK_SRC/tests/fixtures" "$W/tests/fixtures"
export YAKSOK_STATE_DIR=$T/state YAKSOK_BIN=$YK_BIN YAKSOK_LISTEN=127.0.0.1:0 YAKSOK_PG_PORT=5432
export XDG_CONFIG_HOME=$T/config
trap '"$YK_SRC/scripts/stop.sh" >/dev/null 2>&1; cleanup' EXIT
"$YK_SRC/scripts/run.sh" >"$T/run.out" 2>&1 || fail "scripts/run.sh: $(tail -5 "$T/run.out")"

# the block between the walkthrough marker and the end of its code fence
awk '/<!-- walkthrough/ { on = 1; next } on && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside { print }' \
	"$YK_SRC/README.md" >"$T/walkthrough.sh"
[ "$(wc -l <"$T/walkthrough.sh")" -gt 20 ] || fail "no walkthrough found in the README"
(cd "$W" && bash -e -x "$T/walkthrough.sh") >"$T/walk.out" 2>"$T/walk.err" ||
	fail "the README's walkthrough stopped: $(grep -v '^+' "$T/walk.err" | tail -5) at $(grep '^+' "$T/walk.err" | tail -1)"

# what it claims
yw() { XDG_CONFIG_HOME=$T/config "$YK_BIN/yaksok" "$@"; }
XDG_CONFIG_HOME=$T/config "$YK_BIN/yaksok" login admin --password-stdin <"$T/state/passwords/admin" >/dev/null
yw get SW7-GOV-01 -o json >"$T/final.json" || fail "get"
grep -q '"status": "completed"' "$T/final.json" || fail "the completion was not confirmed"
grep -q '"target_month": "2022-06"' "$T/final.json" || fail "the approved change was not applied"
grep -q '"item": "목표연월"' "$T/final.json" && grep -q '"votes_for": 7' "$T/final.json" ||
	fail "section 5 lacks the approved change with its vote: $(grep -A12 '"changes"' "$T/final.json")"
grep -q "5. 사업변경내역" "$T/walk.out" && grep -q "위원회 심의: 찬성 7, 반대 1" "$T/walk.out" || fail "show does not print section 5 as claimed"
[ -s "$W/공약.xlsx" ] || fail "the export was not written"
yw get SW7-GOV-02 >/dev/null || fail "the imported card is not there"
# a reader sees the card approved in 2021-Q2, not the later working copy
XDG_CONFIG_HOME=$T/viewer "$YK_BIN/yaksok" --server "127.0.0.1:$(cat "$T/state/port")" login demo-viewer --password-stdin \
	<"$T/state/passwords/demo-viewer" >/dev/null || fail "login as the viewer"
XDG_CONFIG_HOME=$T/viewer "$YK_BIN/yaksok" get SW7-GOV-01 -o json >"$T/viewer.json" || fail "the viewer's get"
grep -q '"target_month": "2019-12"' "$T/viewer.json" && grep -q '"as_of": "2021-06-30"' "$T/viewer.json" ||
	fail "the viewer does not read the card approved in 2021-Q2: $(grep -E '"(target_month|as_of|version)"' "$T/viewer.json")"
pass "the README's walkthrough runs as written, and section 5, the completion, the export and the import hold"

#!/usr/bin/env bash
# 16 clients for 10 seconds writing the same and different pledges with quick
# updates and whole documents.  Then: every acknowledged change is in the
# pledge and in its history, versions have no gaps and none repeats, each
# pledge's current version is its last acknowledged one, the audit chain holds.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
expect_rc 0 yk department add 정책기획과
for i in 1 2 3 4; do
	"$YK_BIN/docedit" "$EX" "code=\"CC-$i\"" >"$T/cc.json"
	expect_rc 0 yk apply -f "$T/cc.json"
done
CLIENTS=${YK_CC_CLIENTS:-16}
SECONDS_=${YK_CC_SECONDS:-10}
YK_ADMIN_PW=$ADMIN_PW "$YK_BIN/it_concurrency" "$CLIENTS" "$SECONDS_" >"$T/acks" 2>"$T/cc.err" || {
	cat "$T/cc.err" >&2
	fail "a client failed"
}
acks=$(grep -c '^ack ' "$T/acks")
conflicts=$(grep -c '^conflict ' "$T/acks" || true)
echo "acknowledged writes: $acks, stale whole-document writes refused: $conflicts"
[ "$acks" -ge 100 ] || fail "too few acknowledged writes ($acks) to mean anything"

for i in 1 2 3 4; do
	code=CC-$i
	yk get "$code" -o json >"$T/$code.json"
	cur=$(sed -n 's/^  "version": \([0-9]*\),$/\1/p' "$T/$code.json")
	# versions: 1..cur, each once
	[ "$(ykpsql -c "SELECT count(*) = max(v.version) AND min(v.version) = 1 AND max(v.version) = $cur
		FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id WHERE p.code = '$code'")" = t ] ||
		fail "$code: versions have gaps (current $cur)"
	# acknowledged versions never repeat, and the last one is the current one
	dups=$(awk -v c="$code" '$1 == "ack" && $2 == c { print $3 }' "$T/acks" | sort | uniq -d | head -3)
	[ -z "$dups" ] || fail "$code: versions acknowledged twice: $dups"
	last=$(awk -v c="$code" '$1 == "ack" && $2 == c { print $3 }' "$T/acks" | sort -n | tail -1)
	[ "$last" = "$cur" ] || fail "$code: current version $cur, last acknowledged $last"
	# every acknowledged item and plan is in the final document
	for m in $(awk -v c="$code" '$1 == "ack" && $2 == c && ($4 == "progress" || $4 == "whole") { print $5 }' "$T/acks"); do
		grep -q "\"$m\"" "$T/$code.json" || fail "$code: acknowledged $m is missing"
	done
	# and every acknowledged version is an accepted change in the history
	ykpsql -c "SELECT version FROM audit_log WHERE pledge_code = '$code' AND outcome = 'accepted' ORDER BY version" >"$T/hist"
	for v in $(awk -v c="$code" '$1 == "ack" && $2 == c { print $3 }' "$T/acks"); do
		grep -qx "$v" "$T/hist" || fail "$code: version $v is not in the history"
	done
done
pass "$acks acknowledged changes all present; versions contiguous and unique; final = last acknowledged"
expect_rc 0 yk audit verify
pass "audit chain intact after the run"

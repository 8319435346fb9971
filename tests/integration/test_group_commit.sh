#!/usr/bin/env bash
# Group commit: progress items that reach the daemon while another group is
# with the database go together in one transaction, each in its own
# subtransaction.  With one group out at a time (--db-pool 2), 24 concurrent
# items — two per pledge on eight pledges, and eight that must fail (no such
# pledge, a stale --if-version) — are grouped; each gets its own answer, the
# good ones are all there once, the bad ones changed nothing, every stored
# document is the one its rows make, and the audit chain holds.
source "$(dirname "$0")/lib.sh"
setup_all --db-pool 2 --log-level debug
expect_rc 0 yk department add 정책기획과
for i in 1 2 3 4 5 6 7 8; do
	cat >"$T/g$i.yaml" <<DOC
schema: yaksok/pledge/v1
code: G-$i
title: 묶음 기록 $i
department: 정책기획과
status: in_progress
progress_pct: 10
DOC
	expect_rc 0 yk apply -f "$T/g$i.yaml"
done

# Hold the audit chain's lock, so that the first group waits at its end and
# the items that arrive meanwhile must queue for the next group; release it
# only when the first group waits on it and two items wait behind it.
hold_lock "SELECT pg_advisory_lock(7450002)"
pids=()
for round in 1 2 3; do
	for i in 1 2 3 4 5 6 7 8; do
		case $round in
		1|2) args=(progress add "G-$i" --indicator "묶음" --activity "활동 $round" --text "good-$round-$i") ;;
		3) if [ $((i % 2)) = 0 ]; then
			args=(progress add "NONE-$i" --indicator "묶음" --activity "x" --text "bad-$i")
		   else
			args=(progress add "G-$i" --if-version 99 --indicator "묶음" --activity "x" --text "bad-$i")
		   fi ;;
		esac
		( yk "${args[@]}" >"$T/out.$round.$i" 2>"$T/err.$round.$i"; echo $? >"$T/rc.$round.$i" ) &
		pids+=($!)
	done
done
wait_until "the first group to wait on the chain's lock" lock_waiter yk_progress_add
wait_until "two items to queue behind it" grep -qE "event=group_queued queued=([2-9]|[1-9][0-9])" "$T/yaksokd.log"
release_lock
wait "${pids[@]}"

for i in 1 2 3 4 5 6 7 8; do
	for round in 1 2; do
		[ "$(cat "$T/rc.$round.$i")" = 0 ] || fail "good-$round-$i: exit $(cat "$T/rc.$round.$i"): $(cat "$T/err.$round.$i")"
	done
	rc=$(cat "$T/rc.3.$i")
	if [ $((i % 2)) = 0 ]; then
		[ "$rc" = 3 ] || fail "bad-$i (no such pledge): exit $rc: $(cat "$T/err.3.$i")"
	else
		[ "$rc" = 4 ] || fail "bad-$i (stale version): exit $rc: $(cat "$T/err.3.$i")"
		grep -q "is at version" "$T/err.3.$i" || fail "bad-$i: $(cat "$T/err.3.$i")"
	fi
	yk get "G-$i" -o json >"$T/G-$i.json" || fail "get G-$i"
	for round in 1 2; do
		[ "$(grep -c "\"good-$round-$i\"" "$T/G-$i.json")" = 1 ] || fail "good-$round-$i is not in G-$i once"
	done
	grep -q "bad-$i" "$T/G-$i.json" && fail "bad-$i was written"
	[ "$(sed -n 's/^  "version": \([0-9]*\),$/\1/p' "$T/G-$i.json")" = 3 ] || fail "G-$i is not at version 3"
done
grep -q "event=group_commit writes=" "$T/yaksokd.log" || fail "no two items went in one group"
[ "$(ykpsql -c "SELECT bool_and(v.document::jsonb = yk_pledge_document(p.id)::jsonb) FROM pledges p
	JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version")" = t ] ||
	fail "a stored document is not the one its rows make"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'pledge_update' AND outcome = 'accepted'")" = 16 ] ||
	fail "not one accepted audit row per good item"
expect_rc 0 yk audit verify
pass "24 concurrent progress items in groups: 16 written once each, 8 refused on their own, chain intact ($(grep -c "event=group_commit" "$T/yaksokd.log") groups of two or more)"

# The other quick updates go in the groups too, beside progress items: an
# indicator, a budget cell, a status and an evaluation's suggestion and
# answer, each the daemon's edit of the document written as an apply of its
# sections -- and a whole card applied.  With the chain's lock held they
# queue; released, each is written once in one group, a stale --if-version
# is refused, the chain holds.
for k in 1 2 3 4 5 6 7; do
	"$YK_BIN/docedit" "$YK_SRC/examples/suwon-governance.yaml" "code=\"Q-$k\"" >"$T/q$k.json"
	expect_rc 0 yk apply -f "$T/q$k.json"
done
groups_before=$(grep -c "event=group_commit writes=" "$T/yaksokd.log")
lines_before=$(wc -l <"$T/yaksokd.log")
queued_since() {  # N: N or more updates wait for a group, by the log since here
	tail -n +$((lines_before + 1)) "$T/yaksokd.log" | grep -qE "event=group_queued queued=([$1-9]|[1-9][0-9])"
}
hold_lock "SELECT pg_advisory_lock(7450002)"
pids=()
run() {  # name, then the yaksok arguments
	local name=$1
	shift
	( yk "$@" >"$T/q.out.$name" 2>"$T/q.err.$name"; echo $? >"$T/q.rc.$name" ) &
	pids+=($!)
}
run first progress add Q-5 --indicator "묶음" --activity "먼저" --text "group opener"
wait_until "the opening group to wait on the chain's lock" lock_waiter yk_progress_add
run indicator indicator set Q-1 --indicator "협치 계획 수립" --period 2021-Q2 --actual 1
run budget budget set Q-2 --source city --period 2021 --executed 12
run status status set Q-3 --status delayed --progress 55
run suggest evaluation add Q-4 --suggestion "묶음 제안" --round 2021-H1 --committee 좋은시정위원회
run progress progress add Q-6 --indicator "묶음" --activity "활동" --text "group item"
expect_rc 0 yk get Q-7 -o json
jq '.title = "묶음으로 쓴 카드"' "$T/out" >"$T/q7-edited.json"
run apply apply -f "$T/q7-edited.json"
wait_until "six writes to queue behind it" queued_since 6
release_lock
wait "${pids[@]}"
for name in first indicator budget status suggest progress apply; do
	[ "$(cat "$T/q.rc.$name")" = 0 ] || fail "$name: exit $(cat "$T/q.rc.$name"): $(cat "$T/q.err.$name")"
done
# (a refusal's audit row would wait on the held lock too, and hold the one
# connection the others read on: the stale update comes after)
expect_rc 4 yk indicator set Q-1 --indicator "협치 계획 수립" --period 2021-Q3 --actual 1 --if-version 99
expect_rc 0 yk get Q-1 -o json
[ "$(jq -c '[.version, .indicator_sets[1].indicators[0].actuals["2021-Q2"], .indicator_sets[1].indicators[0].actuals["2021-Q3"]]' "$T/out")" = '[2,1,null]' ] ||
	fail "Q-1: $(jq -c '[.version, .indicator_sets[1].indicators[0]]' "$T/out")"
expect_rc 0 yk get Q-2 -o json
[ "$(jq -c '[.version, .budget.sources.city.amounts["2021"].executed]' "$T/out")" = '[2,12]' ] || fail "Q-2: $(jq -c .budget "$T/out")"
expect_rc 0 yk get Q-3 -o json
[ "$(jq -c '[.version, .status, .progress_pct]' "$T/out")" = '[2,"delayed",55]' ] || fail "Q-3: $(jq -c '[.status, .progress_pct]' "$T/out")"
expect_rc 0 yk get Q-7 -o json
[ "$(jq -c '[.version, .title]' "$T/out")" = '[2,"묶음으로 쓴 카드"]' ] || fail "Q-7: $(jq -c '[.version, .title]' "$T/out")"
expect_rc 0 yk get Q-4 -o json
[ "$(jq -c '[.version, (.evaluations | map(.suggestion) | index("묶음 제안") != null)]' "$T/out")" = '[2,true]' ] ||
	fail "Q-4: $(jq -c .evaluations "$T/out")"
n=$(jq '.evaluations | length' "$T/out")
expect_rc 0 yk evaluation answer Q-4 "$n" --text "묶음 답변"
expect_rc 0 yk get Q-4 -o json
jq -e '.evaluations[-1].actions[-1].text == "묶음 답변"' "$T/out" >/dev/null || fail "Q-4's answer: $(jq -c '.evaluations[-1]' "$T/out")"
# the queued updates went together: one group after the opener held them all
awk -v n="$groups_before" '/event=group_commit writes=/ { c++; if (c > n) { sub(/.*writes=/, ""); if ($1 + 0 >= 6) ok = 1 } } END { exit !ok }' "$T/yaksokd.log" ||
	fail "the quick updates of every kind did not go in one group: $(grep 'event=group_commit' "$T/yaksokd.log" | tail -3)"
[ "$(ykpsql -c "SELECT bool_and(v.document::jsonb = yk_pledge_document(p.id)::jsonb) FROM pledges p
	JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version")" = t ] ||
	fail "a stored document is not the one its rows make"
expect_rc 0 yk audit verify
pass "indicator, budget, status and evaluation updates and a whole card go in one group with progress items, each once, the stale one refused alone, chain intact"

# A refused write's audit row goes with a group's rows too.  It used to be a
# statement of its own that waited for the chain's lock on a pool
# connection: two refusals behind a long group took both connections of
# --db-pool 2, and nothing else reached the database until the lock was
# free.  Now, with the lock held and two refusals waiting for it, a list
# (which needs the database) still answers, and each refusal is recorded
# once the lock is free.
refused_before=$(ykpsql -c "SELECT count(*) FROM audit_log WHERE outcome = 'refused'")
hold_lock "SELECT pg_advisory_lock(7450002)"
pids=()
for k in 1 2; do
	( yk progress add "NONE-$k" --indicator "묶음" --text "refused-$k" >"$T/r.out.$k" 2>"$T/r.err.$k"
	  echo $? >"$T/r.rc.$k" ) &
	pids+=($!)
done
wait_until "the refusals to wait on the chain's lock" lock_waiter
expect_rc 0 timeout 60 env XDG_CONFIG_HOME="$T/xdg-admin" "$YK_BIN/yaksok" --server "$YK_SERVER" list
grep -q "G-1" "$T/out" || fail "the list while refusals wait: $(cat "$T/out")"
release_lock
wait "${pids[@]}"
for k in 1 2; do
	[ "$(cat "$T/r.rc.$k")" = 3 ] || fail "refusal $k: exit $(cat "$T/r.rc.$k"): $(cat "$T/r.err.$k")"
done
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE outcome = 'refused'")" = $((refused_before + 2)) ] ||
	fail "the two refusals were not each recorded once"
expect_rc 0 yk audit verify
pass "refusals wait for the chain's lock in a group, not on pool connections: a list answers meanwhile; each is recorded"

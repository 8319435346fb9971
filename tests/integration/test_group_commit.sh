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

#!/usr/bin/env bash
# Reads from streaming replicas that never show a client something older
# than what it wrote: a primary and two asynchronous streaming replicas on
# loopback (pg_basebackup -R, each its own cluster), the daemon given both
# (--db-replica twice).  Writers each write then read their write back while
# a reader loads the daemon, and both replicas serve reads; with replay
# paused the reads still see the writes (the primary serves them after
# --replica-wait-ms) and they use the replicas again once it resumes; with
# one replica down the other serves, with both down the primary, and status
# says so.
source "$(dirname "$0")/lib.sh"
start_db
bin=$(yk_pg_bindir)
PRIMARY=$T/pg REPLICA=$T/pg2 REPLICA2=$T/pg3
trap 'yk_pg_stop "$REPLICA"; yk_pg_stop "$REPLICA2"; cleanup' EXIT

yk_pg_replica "$PRIMARY" "$REPLICA" || fail "the replica did not start"
yk_pg_replica "$PRIMARY" "$REPLICA2" || fail "the second replica did not start"
replica_sql() { # on both replicas
	yk_pg_as_owner "$bin/psql" -X -q -A -t -h "$REPLICA" -p 5432 -U postgres -d postgres -c "$1" &&
		yk_pg_as_owner "$bin/psql" -X -q -A -t -h "$REPLICA2" -p 5432 -U postgres -d postgres -c "$1"
}

start_daemon --db-replica "host=$REPLICA port=5432 user=yaksok dbname=yaksok target_session_attrs=standby" \
	--db-replica "host=$REPLICA2 port=5432 user=yaksok dbname=yaksok target_session_attrs=standby" \
	--replica-wait-ms 1000
login_admin
status_json() { yk status -o json 2>/dev/null; }
replica_reads() { status_json | jq '[.pools[1:][].reads // 0] | add'; }
replica_connected() { [ "$(status_json | jq -r '[.pools[1:][].connected] | all')" = true ]; }
wait_until "the daemon to connect to both replicas" replica_connected
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"
for w in 1 2 3 4; do add_user "w$w" coordinator 정책기획과; done

# writer W N: N pairs of a progress item and a read of the pledge that must
# hold it; W 4 passes its token itself, so it never sends min_lsn (the
# daemon's own memory of what it acknowledged must do)
writer() {
	local w=$1 n=$2 tok= v
	[ "$w" = 4 ] && tok=$(grep '^token=' "$T/xdg-w4/yaksok/credentials" | cut -d= -f2)
	for i in $(seq 1 "$n"); do
		YK_USER=w$w yk ${tok:+--token "$tok"} progress add SW7-GOV-01 --indicator "복제 시험" --activity "w$w" \
			--text "w$w-$i" >"$T/w$w.wrote" 2>>"$T/w$w.err" || { echo "write w$w-$i failed" >>"$T/bad"; continue; }
		v=$(sed -n 's/.*(version \([0-9]*\)).*/\1/p' "$T/w$w.wrote")
		# the document (a cached read, confirmed against the primary, or a
		# read from the replica) and the list (never cached) hold the write
		YK_USER=w$w yk ${tok:+--token "$tok"} get SW7-GOV-01 -o json >"$T/w$w.read" 2>>"$T/w$w.err" ||
			{ echo "read after w$w-$i failed" >>"$T/bad"; continue; }
		grep -q "\"w$w-$i\"" "$T/w$w.read" || echo "get after w$w-$i did not see it" >>"$T/bad"
		YK_USER=w$w yk ${tok:+--token "$tok"} list -o json >"$T/w$w.list" 2>>"$T/w$w.err" ||
			{ echo "list after w$w-$i failed" >>"$T/bad"; continue; }
		[ "$(jq '.[0].version' "$T/w$w.list")" -ge "$v" ] ||
			echo "list after w$w-$i (version $v) shows version $(jq '.[0].version' "$T/w$w.list")" >>"$T/bad"
	done
}
reader() {
	while [ ! -e "$T/stop-reader" ]; do
		yk list >/dev/null 2>&1
		yk get SW7-GOV-01 >/dev/null 2>&1
	done
}
: >"$T/bad"
before=$(replica_reads)
reader &
READER=$!
pids=()
for w in 1 2 3 4; do
	writer $w 50 &
	pids+=($!)
done
wait "${pids[@]}"
touch "$T/stop-reader"
wait $READER
[ ! -s "$T/bad" ] || fail "$(wc -l <"$T/bad") of 200 write-then-read pairs went wrong: $(head -5 "$T/bad")"
after=$(replica_reads)
[ "$after" -gt "$before" ] || fail "no read went to a replica ($before -> $after): $(status_json)"
[ "$(status_json | jq '[.pools[1:][] | select(.reads > 0)] | length')" = 2 ] ||
	fail "the reads did not take turns between the replicas: $(status_json | jq -c .pools)"
grep -q '"commit_lsn"\|lsn=[1-9]' "$T/xdg-w1/yaksok/credentials" || fail "the CLI did not keep the commit LSN: $(cat "$T/xdg-w1/yaksok/credentials" | grep -v token)"
pass "200 write-then-read pairs from four clients under a read load each saw their write; $((after - before)) reads served by the two replicas"

# replay paused: reads still see the writes (after waiting, the primary)
replica_sql "SELECT pg_wal_replay_pause()" >/dev/null || fail "pausing replay"
paused() { [ "$(replica_sql "SELECT pg_get_wal_replay_pause_state()" | sort -u)" = paused ]; }
wait_until "replay to pause" paused
: >"$T/bad"
writer 1 10
[ ! -s "$T/bad" ] || fail "with replay paused: $(head -5 "$T/bad")"
grep -q 'event=replica_fallback why=lag' "$T/yaksokd.log" || fail "no fallback logged while replay was paused"
[ "$(status_json | jq '.pools[1].fallbacks')" -ge 10 ] || fail "status does not count the fallbacks: $(status_json | jq -c .pools)"
pass "with the replica's replay paused, reads after writes fell back to the primary and saw them"

replica_sql "SELECT pg_wal_replay_resume()" >/dev/null || fail "resuming replay"
before=$(replica_reads)
reads_on_replica() { yk list >/dev/null 2>&1; [ "$(replica_reads)" -gt "$before" ]; }
wait_until "reads to use the replica again" reads_on_replica
expect_rc 0 yk status
grep -q "^replica: .*connected, [0-9]* reads" "$T/out" || fail "status: $(cat "$T/out")"
# with no read waiting, the replicas' positions are still polled: after a
# write, status sees them catch up by themselves
expect_rc 0 yk progress add SW7-GOV-01 --indicator "복제 시험" --text "조용한 쓰기"
caught_up() { [ "$(status_json | jq '[.pools[1:][] | .lag_bytes // 1] | add')" = 0 ]; }
wait_until "the replicas' lag to reach 0 with no read asking" caught_up
pass "after the replay resumed, reads use the replicas again; their positions are polled with no read waiting"

# one replica down: the other serves; both down: the primary; status says so
yk_pg_stop "$REPLICA"
replica_down() { [ "$(status_json | jq -r '.pools[1].connected')" = false ]; }
wait_until "the daemon to see the first replica down" replica_down
before=$(status_json | jq '.pools[2].reads')
: >"$T/bad"
writer 2 5
[ ! -s "$T/bad" ] || fail "with one replica down: $(head -5 "$T/bad")"
[ "$(status_json | jq '.pools[2].reads')" -gt "$before" ] || fail "the second replica did not take the reads"
yk_pg_stop "$REPLICA2"
both_down() { [ "$(status_json | jq -r '[.pools[1:][].connected] | any')" = false ]; }
wait_until "the daemon to see both replicas down" both_down
: >"$T/bad"
writer 3 5
[ ! -s "$T/bad" ] || fail "with both replicas down: $(head -5 "$T/bad")"
expect_rc 0 yk status
[ "$(grep -c "^replica: .*NOT connected" "$T/out")" = 2 ] || fail "status does not show the replicas down: $(cat "$T/out")"
pass "with one replica down the other serves the reads; with both down the primary; status shows it"

#!/usr/bin/env bash
# Surviving a primary's failover: a primary and a synchronous streaming
# standby on loopback (pg_basebackup -R, the standby its own cluster), the
# daemon given both hosts (libpq's multi-host form, target_session_attrs=
# read-write).  A client writes continuously, each write with its own
# idempotency key; the primary is stopped at once (-m immediate) and the
# standby promoted; the daemon reconnects by itself to whichever host is now
# read-write.  Afterwards every acknowledged write is there exactly once, and
# writing goes on.
source "$(dirname "$0")/lib.sh"
start_db
bin=$(yk_pg_bindir)
PRIMARY=$T/pg STANDBY=$T/pg2
trap 'yk_pg_stop "$STANDBY"; cleanup' EXIT

# the standby: a base backup of the primary that follows it (-R), on its own
# socket directory; synchronous, so that no acknowledged commit is only on
# the primary when it dies
yk_pg_replica "$PRIMARY" "$STANDBY" standby1 || fail "the standby did not start"
yk_pg_as_owner "$bin/psql" -X -q -h "$PRIMARY" -p 5432 -U postgres -d postgres \
	-c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null || fail "synchronous standby"
sync_standbys() {
	yk_pg_as_owner "$bin/psql" -X -q -A -t -h "$PRIMARY" -p 5432 -U postgres -d postgres \
		-c "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'"
}
standby_synchronous() { [ "$(sync_standbys)" = 1 ]; }
wait_until "the standby to stream synchronously" standby_synchronous

# the daemon, given both hosts
YK_CONNINFO="host=$PRIMARY,$STANDBY port=5432,5432 user=yaksok dbname=yaksok target_session_attrs=read-write"
YK_OWNER_CONNINFO="host=$PRIMARY,$STANDBY port=5432,5432 user=yaksok_owner dbname=yaksok target_session_attrs=read-write"
start_daemon
login_admin
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"

# a client writing continuously: each write its own key, retried with it
writer() {
	local n=0
	while [ ! -e "$T/stop" ]; do
		n=$((n + 1))
		if YAKSOK_TIMEOUT_MS=20000 yk progress add SW7-GOV-01 --indicator "장애 조치" --activity "전환 시험" --text "쓰기 $n" >/dev/null 2>>"$T/writer.err"; then
			echo "쓰기 $n" >>"$T/acked"
		else
			echo "쓰기 $n" >>"$T/refused"
		fi
	done
}
: >"$T/acked"
writer &
WRITER=$!
acked_at_least() { [ "$(wc -l <"$T/acked")" -ge "$1" ]; }
wait_until "some writes before the failover" acked_at_least 20

# the primary dies; the standby is promoted
yk_pg_as_owner "$bin/pg_ctl" -D "$PRIMARY/data" -m immediate stop >/dev/null || fail "stopping the primary"
before=$(wc -l <"$T/acked")
yk_pg_as_owner "$bin/pg_ctl" -D "$STANDBY/data" -w promote >/dev/null || fail "promote"
wait_until "writes acknowledged after the failover" acked_at_least $((before + 20))
touch "$T/stop"
wait "$WRITER"
grep -q "event=db_conn_ready" "$T/yaksokd.log" || fail "the daemon never connected"
[ "$(grep -c 'event=db_conn_lost' "$T/yaksokd.log")" -ge 1 ] || fail "the daemon did not see the primary go"

# every acknowledged write is there exactly once; nothing else is
expect_rc 0 yk get SW7-GOV-01 -o json
grep -o '"text": "쓰기 [0-9]*"' "$T/out" | sed 's/"text": "//; s/"$//' | sort >"$T/stored"
[ -z "$(sort "$T/stored" | uniq -d)" ] || fail "writes stored twice: $(sort "$T/stored" | uniq -d | head)"
sort "$T/acked" >"$T/acked.sorted"
missing=$(comm -23 "$T/acked.sorted" "$T/stored" | wc -l)
[ "$missing" = 0 ] || fail "$missing acknowledged writes lost: $(comm -23 "$T/acked.sorted" "$T/stored" | head)"
if [ -s "$T/refused" ]; then
	sort "$T/refused" >"$T/refused.sorted"
	[ -z "$(comm -12 "$T/refused.sorted" "$T/stored")" ] || fail "a write reported as failed is stored: $(comm -12 "$T/refused.sorted" "$T/stored" | head)"
fi
expect_rc 0 yk audit verify
pass "failover: $(wc -l <"$T/acked") writes acknowledged ($(cat "$T/refused" 2>/dev/null | wc -l) reported failed) across the primary's death and the standby's promotion, each stored once; the daemon reconnected by itself"

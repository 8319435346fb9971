#!/usr/bin/env bash
# Faults, Jepsen-style: the daemon starts while PostgreSQL is down and says
# so until it is up; then many clients each apply uniquely named changes while
# the daemon is killed with -9 and restarted (5 times) and PostgreSQL is
# stopped with -m immediate and restarted (3 times).  Afterwards every
# acknowledged change is present exactly once, none that was refused is
# present, and none is present twice.
source "$(dirname "$0")/lib.sh"
start_db
BIN=$(yk_pg_bindir)
pg_crash() { yk_pg_as_owner "$BIN/pg_ctl" -D "$T/pg/data" -m immediate -w -t 60 stop >/dev/null 2>&1; }

# ---------------------------------------------------------------- start while down
pg_crash
YK_NO_WAIT_READY=1 start_daemon --db-wait-ms 500
PORT=$(cat "$T/port")
expect_rc 7 yk status
grep -qi "not reachable" "$T/out" || fail "status while the database is down: $(cat "$T/out")"
wait_until "the daemon to say it waits for the database" grep -q "event=db_waiting" "$T/yaksokd.log"
kill -0 "$DAEMON_PID" || fail "the daemon gave up while the database was down"
expect_rc 7 yk status
yk_pg_start "$T/pg" || fail "PostgreSQL did not restart"
ok=
for _ in $(seq 1 150); do
	if yk status >/dev/null 2>&1; then ok=1; break; fi
	sleep 0.1
done
[ -n "$ok" ] || fail "the daemon did not come up after PostgreSQL did"
login_admin
expect_rc 0 yk status
pass "started while PostgreSQL was down: status unavailable, then ready once it came up"

# ---------------------------------------------------------------- the set workload
expect_rc 0 yk department add 정책기획과
CLIENTS=6
PLEDGES=3
for p in $(seq 1 $PLEDGES); do
	"$YK_BIN/docedit" "$YK_SRC/examples/suwon-governance.yaml" "code=\"F-$p\"" >"$T/f$p.json"
	expect_rc 0 yk apply -f "$T/f$p.json"
done

restart_daemon() {
	start_daemon --listen "127.0.0.1:$PORT" --db-wait-ms 2000
	[ "$(cat "$T/port")" = "$PORT" ] || fail "the daemon came back on another port"
}

# Each client: op n adds the item "c<c>-<n>" (its own idempotency key); every
# seventh op is invalid on purpose (a bad date) and must never be stored.
client() {
	local c=$1 n=0 rc
	: >"$T/ops.$c"
	while [ ! -e "$T/stop" ]; do
		n=$((n + 1))
		local date=2021-04-20
		[ $((n % 7)) = 0 ] && date=2021-13-45
		rc=0
		YK_USER=admin yk --idempotency-key "fault-$c-$n-$$" progress add "F-$(( (c % PLEDGES) + 1 ))" \
			--indicator "결함 시험" --activity "client $c" --date "$date" --text "c$c-n$n" \
			>/dev/null 2>>"$T/client.$c.err" || rc=$?
		echo "$n $rc" >>"$T/ops.$c"
	done
}
rm -f "$T/stop"
pids=()
for c in $(seq 1 $CLIENTS); do client "$c" & pids+=($!); done

# acknowledged ops so far, all clients together
acked() { cat "$T"/ops.* 2>/dev/null | awk '$2 == 0' | wc -l; }
acked_at_least() { [ "$(acked)" -ge "$1" ]; }
# between faults the workload makes progress: ten more acknowledged items
progress_made() {
	wait_until "ten more acknowledged items" acked_at_least $(( $(acked) + 10 ))
}

faults=0
for i in 1 2 3 4 5 6 7 8; do
	progress_made
	if [ $((i % 3)) = 2 ]; then
		pg_crash
		yk_pg_start "$T/pg" || fail "PostgreSQL did not restart"
		echo "fault $i: PostgreSQL stopped -m immediate and restarted"
	else
		kill -9 "$DAEMON_PID"
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
		restart_daemon
		echo "fault $i: yaksokd killed -9 and restarted"
	fi
	faults=$((faults + 1))
done
progress_made
touch "$T/stop"
for p in "${pids[@]}"; do wait "$p"; done
kills=$(grep -c "event=starting" "$T/yaksokd.log")
[ "$kills" -ge 6 ] || fail "expected 5 restarts of the daemon, the log shows $((kills - 1))"

# ---------------------------------------------------------------- check
for p in $(seq 1 $PLEDGES); do
	expect_rc 0 yk get "F-$p" -o json
	cp "$T/out" "$T/final.$p.json"
done
python3 - "$T" "$CLIENTS" "$PLEDGES" <<'EOF' || fail "the set check failed"
import collections, json, sys
t, clients, pledges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seen = collections.Counter()
for p in range(1, pledges + 1):
    d = json.load(open(f"{t}/final.{p}.json"))
    for g in d["progress"]["by_indicator"]:
        for a in g["activities"]:
            for i in a.get("items", []):
                if i.get("text", "").startswith("c"):
                    seen[i["text"]] += 1
acked = refused = unknown = 0
problems = []
for c in range(1, clients + 1):
    for line in open(f"{t}/ops.{c}"):
        n, rc = line.split()
        text, rc = f"c{c}-n{n}", int(rc)
        k = seen.get(text, 0)
        if rc == 0:
            acked += 1
            if k != 1:
                problems.append(f"{text}: acknowledged, present {k} times")
        elif rc in (2, 3, 4, 5, 6):
            refused += 1
            if k != 0:
                problems.append(f"{text}: refused (exit {rc}) yet present {k} times")
        else:
            unknown += 1
            if k > 1:
                problems.append(f"{text}: outcome unknown (exit {rc}), present {k} times")
dups = [t for t, k in seen.items() if k > 1]
print(f"acknowledged {acked}, refused {refused}, unknown {unknown}, stored {sum(seen.values())}, duplicated {len(dups)}")
for p in problems[:20]:
    print("  " + p)
assert acked > 50 and refused > 5, "too little work got through to mean anything"
assert not problems and not dups
EOF
expect_rc 0 yk audit verify
pass "$faults faults (5 daemon kills, 3 PostgreSQL crashes): every acknowledged change present once, no refused one, no duplicate"

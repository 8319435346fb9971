#!/usr/bin/env bash
# Several daemons, one database: writes acknowledged through one daemon are
# seen by reads through the other at once, under load from both sides, and
# the two give the same answers.
source "$(dirname "$0")/lib.sh"
setup_all
A=$YK_SERVER
A_PID=$DAEMON_PID
PORT_A=$(cat "$T/port")
# the second daemon: same database, its own port (it finds the schema ready)
YAKSOK_ADMIN_PASSWORD=$ADMIN_PW "$YK_BIN/yaksokd" --db "$YK_CONNINFO" --db-owner "$YK_OWNER_CONNINFO" \
	--listen 127.0.0.1:0 --port-file "$T/port-b" >>"$T/yaksokd-b.log" 2>&1 &
B_PID=$!
for _ in $(seq 1 100); do [ -s "$T/port-b" ] && break; sleep 0.1; done
B=127.0.0.1:$(cat "$T/port-b")
for _ in $(seq 1 100); do "$YK_BIN/yaksok" --server "$B" status >/dev/null 2>&1 && break; sleep 0.1; done
yb() { XDG_CONFIG_HOME="$T/xdg-b" "$YK_BIN/yaksok" --server "$B" "$@"; }
echo "$ADMIN_PW" | yb login admin --password-stdin >/dev/null || fail "login through the second daemon"

expect_rc 0 yk department add 정책기획과
for p in 1 2 3 4; do
	"$YK_BIN/docedit" "$YK_SRC/examples/suwon-governance.yaml" "code=\"M-$p\"" >"$T/m$p.json"
	expect_rc 0 yk apply -f "$T/m$p.json"
done

# Four writers through A, each followed at once by a read of the same pledge
# through B that must carry the acknowledged version and the new item; two
# more readers through B and writers through B keep both daemons busy.
worker() {
	local w=$1 n=0
	# a fixed count, not a time box: a loaded machine makes it slower, not weaker
	while [ $n -lt 10 ]; do
		n=$((n + 1))
		local p=$(( (w % 4) + 1 )) text="w$w-$n"
		local out
		out=$(yk progress add "M-$p" --indicator "두 데몬" --activity "w$w" --text "$text" 2>&1) ||
			{ echo "write failed: $out" >"$T/bad.$w"; return; }
		local v=${out##*version }
		v=${v%%)*}
		yb get "M-$p" -o json >"$T/read.$w" 2>&1 || { echo "read failed" >"$T/bad.$w"; return; }
		python3 - "$T/read.$w" "$v" "$text" <<'PY' || { cp "$T/read.$w" "$T/bad.$w"; return; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] >= int(sys.argv[2]), (d["version"], sys.argv[2])
assert any(i.get("text") == sys.argv[3] for g in d["progress"]["by_indicator"] for a in g["activities"] for i in a.get("items", []))
PY
	done
	echo "$n" >"$T/count.$w"
}
load_b() {
	local n=0
	while [ $n -lt 30 ]; do
		n=$((n + 1))
		yb status set "M-$(( (n % 4) + 1 ))" --progress $(( n % 100 )) >/dev/null 2>&1 || { echo "B write failed" >"$T/bad.b"; return; }
		yb list >/dev/null 2>&1 || { echo "B list failed" >"$T/bad.b"; return; }
	done
}
pids=()
for w in 1 2 3 4; do worker "$w" & pids+=($!); done
load_b & pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done
for f in "$T"/bad.*; do [ -e "$f" ] && fail "$(basename "$f"): $(cat "$f")"; done
total=0
for f in "$T"/count.*; do total=$((total + $(cat "$f"))); done
[ "$total" = 40 ] || fail "expected 40 writes read back, got $total"

# both daemons give the same answers
for p in 1 2 3 4; do
	yk get "M-$p" -o json >"$T/a.json"
	yb get "M-$p" -o json >"$T/b.json"
	"$YK_BIN/doccmp" "$T/a.json" "$T/b.json" || fail "M-$p differs between the daemons"
done
yk list -o csv >"$T/la.csv"
yb list -o csv >"$T/lb.csv"
cmp -s "$T/la.csv" "$T/lb.csv" || fail "list differs between the daemons"
expect_rc 0 yk audit verify

# With no writes, the second daemon's checks keep seeing one snapshot and stop
# asking for the pledge's version; a write through the first must still show
# at once (the moved snapshot sends the read to a check that asks).
for k in 1 2 3 4 5; do
	for _ in 1 2 3; do yb get M-2 -o json >/dev/null || fail "quiet read $k"; done
	expect_rc 0 yk progress add M-2 --indicator "두 데몬" --activity "quiet" --text "quiet-$k"
	yb get M-2 -o json >"$T/q.json" || fail "read after quiet write $k"
	grep -q "\"quiet-$k\"" "$T/q.json" || fail "the second daemon served a stale M-2 after a quiet spell ($k)"
done
pass "after a quiet spell (no writes, checks on the snapshot only) a write through one daemon is read at once through the other"

# A logout through one daemon ends the session on the other at once, even
# where that one remembers the token and has the pledge cached.
TOKEN=$(sed -n 's/^token=//p' "$T/xdg-admin/yaksok/credentials")
for _ in 1 2; do expect_rc 0 yb --token "$TOKEN" get M-1 -o json; done
expect_rc 0 yb --token "$TOKEN" progress add M-1 --indicator "두 데몬" --activity "logout" --text "before"
expect_rc 0 yk logout
expect_rc 5 yb --token "$TOKEN" get M-1 -o json
expect_rc 5 yb --token "$TOKEN" get M-1 --at 2099-01-01
# a progress item is one statement that confirms the cached session itself
expect_rc 5 yb --token "$TOKEN" progress add M-1 --indicator "두 데몬" --activity "logout" --text "after"
login_admin
yk get M-1 -o json >"$T/m1.json" || fail "get after login"
grep -q '"text": "before"' "$T/m1.json" || fail "the item added before the logout is missing"
grep -q '"text": "after"' "$T/m1.json" && fail "an item was written with a session that had ended"
kill -TERM "$B_PID"
wait "$B_PID" || fail "the second daemon did not exit 0"
pass "two daemons, one database: $total writes through one, each read back at once through the other; same answers"

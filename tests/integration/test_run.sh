#!/usr/bin/env bash
# scripts/run.sh never destroys data: a second run after edits leaves every
# edit in place; after PostgreSQL alone was stopped it restarts it and waits
# for the daemon to reconnect instead of failing; it makes a demo account for
# every role, each password in a 0600 file, and each can log in.
source "$(dirname "$0")/lib.sh"
RUN_STATE=$T/state
export YAKSOK_STATE_DIR=$RUN_STATE YAKSOK_BIN=$YK_BIN YAKSOK_LISTEN=127.0.0.1:0 YAKSOK_PG_PORT=5432
export XDG_CONFIG_HOME=$T/run-config
trap '"$YK_SRC/scripts/stop.sh" >/dev/null 2>&1; cleanup' EXIT

run() {
	local rc=0
	"$YK_SRC/scripts/run.sh" >"$T/run.out" 2>"$T/run.err" || rc=$?
	[ "$rc" = 0 ] || fail "scripts/run.sh exited $rc: $(tail -5 "$T/run.err") $(tail -5 "$T/run.out")"
}
server() { echo "127.0.0.1:$(cat "$RUN_STATE/port")"; }
as() { # LOGIN CMD...: run the CLI as that demo account
	local who=$1
	shift
	XDG_CONFIG_HOME=$T/as-$who "$YK_BIN/yaksok" --server "$(server)" "$@"
}
login_as() {
	XDG_CONFIG_HOME=$T/as-$1 "$YK_BIN/yaksok" --server "$(server)" login "$1" --password-stdin \
		<"$RUN_STATE/passwords/$1" >/dev/null || fail "cannot log in as $1"
}

run
grep -q "사업개요" "$T/run.out" || fail "the first run did not print the report"
grep -q "demo-dept --password-stdin" "$T/run.out" || fail "the first run did not say how to log in as the demo accounts"
for who in admin demo-dept demo-coordinator demo-evaluator demo-approver demo-viewer; do
	[ "$(stat -c %a "$RUN_STATE/passwords/$who")" = 600 ] || fail "$who's password file is not mode 0600"
	login_as "$who"
done
for pair in demo-dept:department demo-coordinator:coordinator demo-evaluator:evaluator demo-approver:approver demo-viewer:viewer; do
	as "${pair%%:*}" whoami >"$T/who" || fail "whoami as ${pair%%:*}"
	grep -q "${pair#*:}" "$T/who" || fail "${pair%%:*} is not a ${pair#*:}: $(cat "$T/who")"
done
pass "the first run loads the example and makes a demo account for every role, each password in a 0600 file"

# edits: the department reports progress and budget; the coordinator changes the status
as demo-dept progress add SW7-GOV-01 --indicator "협치 계획 수립" --date 2021-04-20 --text "연구용역 착수" >/dev/null ||
	fail "progress add as the department"
as demo-dept budget set SW7-GOV-01 --source city --period 2021 --executed 7 >/dev/null || fail "budget set as the department"
as demo-coordinator get SW7-GOV-01 -o json >"$T/before.json" || fail "get"
grep -q "연구용역 착수" "$T/before.json" || fail "the edit is not there"
before=$(grep -o '"version": [0-9]*' "$T/before.json")

run
grep -q "demo-dept --password-stdin" "$T/run.out" && fail "the second run made the accounts again"
as demo-coordinator get SW7-GOV-01 -o json >"$T/after.json" || fail "get after the second run"
[ "$(grep -o '"version": [0-9]*' "$T/after.json")" = "$before" ] || fail "the second run wrote the pledge ($before before)"
grep -q "연구용역 착수" "$T/after.json" || fail "the second run lost the progress item"
cmp -s "$T/before.json" "$T/after.json" || fail "the pledge changed: $(diff "$T/before.json" "$T/after.json" | head)"
login_as demo-dept
pass "a second run after edits changes nothing ($before), and the demo passwords still work"

# PostgreSQL alone stopped: run.sh starts it and waits for the daemon to come back
yk_pg_stop "$RUN_STATE/pg"
run
as demo-coordinator get SW7-GOV-01 -o json >"$T/again.json" || fail "get after the database came back"
grep -q "연구용역 착수" "$T/again.json" || fail "the edit is gone after the database restart"
pass "after PostgreSQL alone was stopped, run.sh restarted it and waited for the daemon"

"$YK_SRC/scripts/stop.sh" >/dev/null || fail "scripts/stop.sh"
pid=$(cat "$T/run.out" | grep -o 'pid [0-9]*' | head -1 | cut -d' ' -f2)
[ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || fail "yaksokd still runs after stop.sh"
pass "scripts/stop.sh stops both"

#!/usr/bin/env bash
# Backup and restore as docs/operations.md gives it: pg_dump of a database
# that has done a quarter's work, pg_restore into a new cluster, a daemon on
# it -- audit verify passes over the same rows, and every pledge, its history
# and its approved version read the same.
source "$(dirname "$0")/lib.sh"
setup_all
trap 'yk_pg_stop "$T/pg2"; cleanup' EXIT
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit
expect_rc 0 yk department add 정책기획과
echo dept-password | expect_rc 0 yk user add dept --role department --department 정책기획과 --password-stdin
echo dept-password | YK_USER=dept expect_rc 0 yk login dept --password-stdin
expect_rc 0 yk apply -f "$EX"
"$EDIT" "$EX" 'code="SW7-GOV-02"' 'title="둘째 공약"' 'status="in_progress"' >"$T/two.json"
expect_rc 0 yk apply -f "$T/two.json"
expect_rc 0 yk round open 2021-Q2 --as-of 2021-06-30 --due 2099-12-31
YK_USER=dept expect_rc 0 yk progress add SW7-GOV-02 --indicator "협치 계획 수립" --date 2021-05-03 --text "착수보고회"
YK_USER=dept expect_rc 0 yk budget set SW7-GOV-02 --source city --period 2021 --executed 10
YK_USER=dept expect_rc 0 yk submit SW7-GOV-02 --round 2021-Q2
expect_rc 0 yk review SW7-GOV-02 --round 2021-Q2 --approve
YK_USER=dept expect_rc 0 yk status set SW7-GOV-02 --progress 55
echo "회의록" >"$T/회의록.txt"
"$EDIT" "$T/two.json" 'target_month="2022-06"' >"$T/prop.json"
YK_USER=dept expect_rc 0 yk change propose SW7-GOV-02 -f "$T/prop.json" --reason "연장" --evidence "$T/회의록.txt"

snapshot() { # DIR: what a reader sees
	mkdir -p "$1"
	for c in SW7-GOV-01 SW7-GOV-02; do
		yk get "$c" -o json >"$1/$c.json" || fail "get $c"
		yk history "$c" -o json >"$1/$c.history" || fail "history $c"
	done
	yk get SW7-GOV-02 --round 2021-Q2 -o json >"$1/approved.json" || fail "get --round"
	yk change show 1 -o json >"$1/change.json" || fail "change show"
	yk audit verify >"$1/verify" || fail "audit verify before"
}
snapshot "$T/before"

# the backup, as the schema's owner
bin=$(yk_pg_bindir)
"$bin/pg_dump" -Fc -h "$T/pg" -p 5432 -U yaksok_owner -d yaksok -f "$T/yaksok.dump" || fail "pg_dump"
stop_daemon
yk_pg_stop "$T/pg"

# a new cluster with the two roles and an empty database, then the restore
yk_pg_init "$T/pg2" 5432 || fail "the second cluster"
"$bin/pg_restore" --exit-on-error -h "$T/pg2" -p 5432 -U yaksok_owner -d yaksok "$T/yaksok.dump" || fail "pg_restore"
YK_CONNINFO=$(yk_pg_conninfo "$T/pg2" 5432)
YK_OWNER_CONNINFO=$(yk_pg_owner_conninfo "$T/pg2" 5432)
start_daemon
# (a new port: the CLI's saved sessions were for the old one; the sessions
# themselves came back with the database)
login_admin
echo dept-password | YK_USER=dept expect_rc 0 yk login dept --password-stdin
snapshot "$T/after"
for f in SW7-GOV-01.json SW7-GOV-02.json SW7-GOV-01.history SW7-GOV-02.history approved.json change.json verify; do
	diff "$T/before/$f" "$T/after/$f" >/dev/null || fail "$f differs after the restore: $(diff "$T/before/$f" "$T/after/$f" | head -5)"
done
grep -q "audit trail intact" "$T/after/verify" || fail "audit verify after the restore: $(cat "$T/after/verify")"
# and it goes on: a write after the restore chains on
YK_USER=dept expect_rc 0 yk status set SW7-GOV-02 --progress 60
expect_rc 0 yk audit verify
pass "dumped with pg_dump, restored into a new cluster with pg_restore: audit verify passes, every pledge, its history, its approved version and the change request read the same, and writing goes on"

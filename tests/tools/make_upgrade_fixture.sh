#!/usr/bin/env bash
# Makes tests/fixtures/upgrade/: a database as an earlier release leaves it,
# for tests/integration/test_upgrade.sh.  Run it with the binaries of that
# release (YK_BIN) and this tree's harness (YK_SRC):
#
#   git worktree add /tmp/old <commit> && cmake -S /tmp/old -B /tmp/old/build && cmake --build /tmp/old/build
#   YK_BIN=/tmp/old/build/bin YK_SRC=$PWD bash tests/tools/make_upgrade_fixture.sh tests/fixtures/upgrade
#
# It fills the database the way a quarter does (pledges applied and
# imported, quick updates, a department's own writes, a round submitted and
# approved, a change request on its way, refused writes in the audit trail),
# then keeps a plain pg_dump of it and every pledge as that release served it
# (`get -o json`, now and as approved in the round).
set -uo pipefail
OUT=$(realpath "${1:?usage: make_upgrade_fixture.sh OUTDIR}")
source "$YK_SRC/tests/integration/lib.sh"
ADMIN_PW=upgrade-fixture-admin
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk department add 복지과
expect_rc 0 yk apply -f "$EX"
expect_rc 0 yk import "$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt" --code SW7-GOV-02 --apply
"$YK_BIN/docedit" "$EX" 'code="WEL-01"' 'department="복지과"' 'title="어르신 돌봄"' >"$T/wel.json"
expect_rc 0 yk apply -f "$T/wel.json"
echo pw-kim-upgrade | expect_rc 0 yk user add kim --role department --department 복지과 --password-stdin
echo pw-coord-upgrade | expect_rc 0 yk user add coord --role coordinator --department 정책기획과 --password-stdin
echo pw-kim-upgrade | YK_USER=kim expect_rc 0 yk login kim --password-stdin
echo pw-coord-upgrade | YK_USER=coord expect_rc 0 yk login coord --password-stdin
K() { YK_USER=kim yk "$@"; }
C() { YK_USER=coord yk "$@"; }

expect_rc 0 yk progress add SW7-GOV-01 --indicator "협치 계획 수립" --date 2021-04-20 --text "연구용역 착수"
expect_rc 0 yk budget set SW7-GOV-01 --source city --period 2021 --executed 12.5
expect_rc 0 K progress add WEL-01 --indicator "새 지표" --activity "돌봄 시작" --date 2021-05-03 --text "첫 방문"
expect_rc 0 K progress add WEL-01 --indicator "새 지표" --date 2021-05-10 --text "두 번째 방문"
expect_rc 5 K progress add SW7-GOV-01 --indicator "협치 계획 수립" --date 2021-04-21 --text "남의 사업"
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2099-12-31
expect_rc 0 K submit WEL-01 --round 2021-Q2
expect_rc 0 C review WEL-01 --round 2021-Q2 --approve
expect_rc 0 K progress add WEL-01 --indicator "새 지표" --date 2021-07-01 --text "승인 뒤 추가"
K get WEL-01 -o json >"$T/cur.json" || fail "get WEL-01"
"$YK_BIN/docedit" "$T/cur.json" 'target_month="2023-12"' >"$T/prop.json"
expect_rc 0 K change propose WEL-01 -f "$T/prop.json" --reason "대상 확대"
expect_rc 0 C change review 1 --forward

rm -rf "$OUT" && mkdir -p "$OUT"
for code in SW7-GOV-01 SW7-GOV-02 WEL-01; do
	yk get "$code" -o json >"$OUT/$code.json" || fail "get $code"
done
yk get WEL-01 --round 2021-Q2 -o json >"$OUT/WEL-01.2021-Q2.json" || fail "get --round"
yk history WEL-01 >"$OUT/WEL-01.history.txt" || fail "history"
yk audit verify >"$OUT/audit-verify.txt" || fail "audit verify"
stop_daemon
"$(yk_pg_bindir)/pg_dump" --no-owner --no-privileges -h "$T/pg" -p 5432 -U postgres yaksok >"$OUT/database.sql" ||
	fail "pg_dump"
echo "made from $("$YK_BIN/yaksokd" --version 2>&1 | head -1)" >"$OUT/README"
pass "fixture written to $OUT"

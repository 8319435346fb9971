#!/usr/bin/env bash
# One bad pledge must not break the city: a row the daemon would refuse today
# (from an older release, or put there behind its back) -- here a target
# month in year 0, which PostgreSQL's dates cannot hold -- leaves list, the
# overdue filter, stats and export working for everyone.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit
expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$EX"
"$EDIT" "$EX" 'code="SW7-GOV-09"' 'title="둘째 공약"' >"$T/two.json"
expect_rc 0 yk apply -f "$T/two.json"
"$EDIT" "$EX" 'code="SW7-GOV-09"' 'target_month="0000-01"' >"$T/bad.json"
expect_rc 6 yk apply -f "$T/bad.json"
grep -q "target_month" "$T/err" || fail "year 0 refused without its field: $(cat "$T/err")"

owner_psql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$YK_OWNER_CONNINFO" "$@"; }
owner_psql -c "UPDATE pledges SET target_month = '0000-01' WHERE code = 'SW7-GOV-09'" || fail "psql"
expect_rc 0 yk list
grep -q "SW7-GOV-01" "$T/out" && grep -q "SW7-GOV-09" "$T/out" || fail "list lost a pledge: $(cat "$T/out")"
expect_rc 0 yk list --overdue
expect_rc 0 yk list --lagging
expect_rc 0 yk stats
expect_rc 0 yk export --format csv --out "$T/city.csv"
expect_rc 0 yk export --format json --out "$T/city.json"
pass "a pledge with a month in year 0 is refused, and one already stored breaks no city-wide view"

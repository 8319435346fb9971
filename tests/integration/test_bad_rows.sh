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
expect_rc 0 yk stats -o json
grep -A6 '"unsummarised"' "$T/out" | grep -q '"reason": "target_month 0000-01 is not a month from year 1000"' ||
	fail "stats does not name the pledge it left out: $(grep -A6 unsummarised "$T/out")"
# 집행률 has one definition, the card's: executed / secured over past periods
# (15 + 14 of 31 + 32 in each copy of the example), not over every period
# 재원 확보율: secured (prior + every period's) of what the cards require --
# the a~g total each card derives (116 each)
for c in SW7-GOV-01 SW7-GOV-09; do
	yk get "$c" -o json | grep -A3 '"budget_total"' | grep -q '"city": 116' || fail "$c's derived total is not 116"
done
sed -n '/"finance"/,/]/p' "$T/out" | tr -d ' \n' | grep -q '"source":"city","required":232,"secured":184,"secured_rate_pct":79.31' ||
	fail "재원 확보율 of city is not 184 of 232: $(grep -A30 '"finance"' "$T/out" | head -20)"
grep -A6 '"finance_all"' "$T/out" | tr -d ' \n' | grep -q '"required":232,"secured":184,"secured_rate_pct":79.31' ||
	fail "재원 확보율 in all: $(grep -A6 finance_all "$T/out")"
# 연차별 목표달성 of 2021: the example's one numeric target of 2021 (협치 계획 수립,
# 1 in 2021-Q1) has no actual in either copy; given one, that copy met the year
expect_rc 0 yk stats --year 2021 -o json
grep -A8 '"year_targets"' "$T/out" | tr -d ' \n' | grep -q '"year":2021,"pledges":2,"pledges_met":0' ||
	fail "year targets before: $(grep -A8 year_targets "$T/out")"
grep -q '"reason": "협치 계획 수립 2021-Q1: 목표 1, 실적 없음"' "$T/out" || fail "the shortfall is not named: $(grep -A12 year_unmet "$T/out")"
expect_rc 0 yk indicator set SW7-GOV-01 --indicator "협치 계획 수립" --period 2021-Q1 --actual 1
expect_rc 0 yk stats --year 2021 -o json
grep -A8 '"year_targets"' "$T/out" | tr -d ' \n' | grep -q '"year":2021,"pledges":2,"pledges_met":1,"pledges_met_pct":50' ||
	fail "year targets after: $(grep -A8 year_targets "$T/out")"
expect_rc 0 yk stats -o json
grep -A2 '"executed": 58,' "$T/out" | grep -q '"execution_rate_pct": 46.03' ||
	fail "the city's execution rate is not the cards' 46.03: $(grep -B3 -A3 execution_rate "$T/out")"
expect_rc 0 yk export --format csv --out "$T/city.csv"
expect_rc 0 yk export --format json --out "$T/city.json"
pass "a pledge with a month in year 0 is refused, and one already stored breaks no city-wide view"

# Amounts: the largest accepted amount everywhere adds up exactly -- in a
# pledge's derived totals (no 64-bit wrap) and in the city's stats, whose
# sums pass the 15 digits a JSON number keeps -- and one more is refused
# with its field.
M=9999999999.99
"$EDIT" "$EX" 'budget.sources.city.amounts.2019.secured=10000000000' >"$T/over.json"
expect_rc 6 yk apply -f "$T/over.json"
grep -q "budget.sources.city.amounts.2019.secured: 10000000000 is too large" "$T/err" || fail "amount over the bound: $(cat "$T/err")"
sets=()
for s in national provincial city private other; do
	sets+=("budget.sources.$s.prior=$M")
	for p in 2018-H2 2019 2020 2021 2022-H1 2022-07+; do
		sets+=("budget.sources.$s.amounts.$p={\"secured\":$M,\"executed\":$M,\"planned\":$M}")
	done
done
for c in 21 22 23; do
	"$EDIT" "$EX" "code=\"SW7-GOV-$c\"" "${sets[@]}" >"$T/max$c.json"
	expect_rc 0 yk apply -f "$T/max$c.json"
done
expect_rc 0 yk get SW7-GOV-21 -o json
# 5 sources x (prior + 6 periods) of M, whatever each period contributes
grep -q '"all": 349999999999.65' "$T/out" || fail "derived total of the largest amounts: $(grep -A7 budget_total "$T/out")"
expect_rc 0 yk stats -o json
expect_rc 0 yk export --format json --out "$T/city.json"
expect_rc 0 yk export --format csv --out "$T/city.csv"
# a row stored before the bound (an amount of 10^14) breaks no view either
owner_psql -c "UPDATE budget_amounts SET secured = 100000000000000, executed = 0 WHERE pledge_id = (SELECT id FROM pledges WHERE code = 'SW7-GOV-22') AND source = 'city' AND period = '2019'" || fail "psql"
# (and in the stored document the city's figures are made from)
owner_psql -c "UPDATE pledge_versions v SET document = jsonb_set(jsonb_set(v.document::jsonb,
	'{budget,sources,city,amounts,2019,secured}', '100000000000000'), '{budget,sources,city,amounts,2019,executed}', '0')::json
	FROM pledges p WHERE p.id = v.pledge_id AND p.code = 'SW7-GOV-22' AND v.version = p.version" || fail "psql"
expect_rc 0 yk stats -o json
grep -q 'budget.sources.city.amounts.2019 holds 100000000000000' "$T/out" || fail "stats does not name the old row past the bound"
want=$(owner_psql -c "SELECT sum(secured) FROM budget_amounts")
[ "${#want}" -gt 16 ] || fail "the city's sum $want is not past 15 digits: the test tests nothing"
grep -q "\"secured\": \"\\?${want%.00}\"\\?," "$T/out" || fail "city secured sum is not $want: $(grep -A3 budget_all "$T/out")"
expect_rc 0 yk export --format json --out "$T/city.json"
expect_rc 0 yk list
pass "the largest amounts add up exactly in a pledge and across the city; a larger one is refused by field; an old larger row breaks nothing"

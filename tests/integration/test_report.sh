#!/usr/bin/env bash
# The whole report: a document using every option round-trips (NFD in, NFC
# out), every rule of the spec is refused with its path and stores nothing,
# the derived figures, show in three formats against checked-in output, and
# reading a pledge back as it stood at an earlier moment.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
FULL=$YK_SRC/tests/fixtures/full-options.yaml
GOLD=$YK_SRC/tests/fixtures/show
CMP=$YK_BIN/doccmp
EDIT=$YK_BIN/docedit

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk department add 노인복지과
expect_rc 0 yk apply -f "$EX"

# ---------------------------------------------------------------- fidelity
expect_rc 0 yk apply -f "$FULL"
expect_rc 0 yk get SW7-WEL-03 -o json
cp "$T/out" "$T/full.json"
"$CMP" --nfc "$FULL" "$T/full.json" || fail "the full-options document did not round-trip"
grep -q '"title": "어르신 일자리 1만개 창출"' "$T/full.json" || fail "NFD title did not come back as NFC"
grep -q '"secured": 300.25' "$T/full.json" || fail "decimal amount"
grep -q '"basis": "changed"' "$T/full.json" || fail "changed set"
grep -q '"done": true' "$T/full.json" || fail "plan done"
[ "$(ykpsql -c "SELECT title IS NFC NORMALIZED FROM pledges WHERE code = 'SW7-WEL-03'")" = t ] || fail "stored title is not NFC"
pass "a document using every option round-trips; NFD comes back NFC"

# ---------------------------------------------------------------- derived
expect_rc 0 yk get SW7-GOV-01 -o json
cp "$T/out" "$T/ex.json"
for want in '"all": 116' '"city": 116' '"national": 0' '"year": 2021' '"amount": 29' '"execution_rate_pct": 46.03' '"overdue": false'; do
	grep -q "$want" "$T/ex.json" || fail "example derived: no $want"
done
for want in '"national": 1301.25' '"provincial": 165.75' '"city": 769.99' '"private": 9.5' '"other": 8' \
	'"all": 2254.49' '"amount": 450' '"execution_rate_pct": 93.31' '"overdue": true'; do
	grep -q "$want" "$T/full.json" || fail "full-options derived: no $want"
done
pass "derived figures: 116 in all, 29 for 2021, execution 46.03%, overdue as the spec defines"

# ---------------------------------------------------------------- validation
# Each case changes one value of the stored example (as an update of version 1)
# and must be refused with exit 6, naming the path and the problem.
yk get SW7-GOV-01 -o json >"$T/base.json"
refuse() {
	local path=$1 problem=$2
	shift 2
	"$EDIT" "$T/base.json" "$@" >"$T/bad.json" || fail "docedit $*"
	expect_rc 6 yk apply -f "$T/bad.json"
	grep -qF "  $path: " "$T/err" || { cat "$T/err" >&2; fail "no problem reported at $path ($*)"; }
	grep -F "  $path: " "$T/err" | grep -qF "$problem" || { cat "$T/err" >&2; fail "$path: expected \"$problem\""; }
	n=$((n + 1))
}
n=0
refuse schema "must be yaksok/pledge/v1" 'schema="yaksok/pledge/v2"'
refuse code "must be 2 to 32 of A-Z" 'code="sw7 gov"'
refuse title "is required" 'title=""'
refuse title "is only blanks" 'title="  　 "'
refuse department "is required" 'department=""'
refuse status "must be one of" 'status="done"'
refuse progress_pct "is over 100" 'progress_pct=101'
refuse progress_pct "at most 2 decimals" 'progress_pct=12.345'
refuse progress_pct "is required" 'progress_pct=-'
refuse target_month "is not a month" 'target_month="2019-13"'
refuse as_of "is not a date" 'as_of="2021-02-30"'
# year 0 is no year to PostgreSQL: one such month used to break every
# city-wide view (list, stats, export) for everyone
refuse target_month "years from 1000" 'target_month="0000-01"'
refuse as_of "years from 1000" 'as_of="0000-03-31"'
refuse 'budget.periods[0]' "years from 1000" 'budget.periods[0]="0999"'
refuse reporting_from "is not a month" 'reporting_from="2018/07"'
refuse parent "cannot be its own parent" 'parent="SW7-GOV-01"'
refuse parent "is not a pledge code" 'parent="없음"'
refuse overview.period.end "comes before start" 'overview.period.end="2017-01"'
refuse overview.period.start "is not a month" 'overview.period.start="2018"'
refuse 'budget.periods[1]' "is not a period" 'budget.periods[1]="2019-H3"'
refuse 'budget.periods[2]' "periods must ascend" 'budget.periods[2]="2018"' 'budget.sources.city.amounts.2020=-'
refuse 'budget.periods[1]' "overlaps" 'budget.periods[1]="2018"' 'budget.sources.city.amounts.2019=-'
refuse 'budget.periods[2]' "listed twice" 'budget.periods[2]="2019"' 'budget.sources.city.amounts.2020=-'
refuse budget.sources.city.amounts.2019.executed "40 exceeds secured 31" 'budget.sources.city.amounts.2019.executed=40'
refuse budget.sources.city.amounts.2022-H1.executed "5 exceeds secured 0" 'budget.sources.city.amounts.2022-H1.executed=5'
refuse budget.sources.city.amounts.2017 "is not one of budget.periods" 'budget.sources.city.amounts.2017={"secured":1}'
refuse budget.sources.city.prior "is negative" 'budget.sources.city.prior=-1'
refuse budget.sources.city.amounts.2019.secured "at most 2 decimals" 'budget.sources.city.amounts.2019.secured=31.001'
refuse budget.sources.foreign "unknown source" 'budget.sources.foreign={"prior":1}'
refuse 'indicator_sets[0].periods[0]' "is not a period" 'indicator_sets[0].periods[0]="20X8"'
refuse 'indicator_sets[1].periods[0]' "overlaps 2020 of another indicator set" 'indicator_sets[1].periods[0]="2020"' 'indicator_sets[1].indicators[0].targets={}' 'indicator_sets[1].indicators[1].targets={}' 'indicator_sets[1].indicators[2].targets={}'
refuse 'indicator_sets[0].basis' "must be original" 'indicator_sets[0].basis="revised"'
refuse 'indicator_sets[0].change_reason' "is required when basis is changed" 'indicator_sets[0].basis="changed"'
refuse 'indicator_sets[0].indicators[0].targets.2025' "is not one of this set's periods" 'indicator_sets[0].indicators[0].targets.2025=1'
refuse 'indicator_sets[0].indicators[0].actuals.2017' "is not one of this set's periods" 'indicator_sets[0].indicators[0].actuals.2017=1'
refuse 'indicator_sets[0].indicators[0].name' "is required" 'indicator_sets[0].indicators[0].name=""'
refuse 'indicator_sets[0].indicators[1].targets.2019' "short text" "indicator_sets[0].indicators[1].targets.2019=\"$(printf '운%.0s' $(seq 1 101))\""
refuse 'indicator_sets[0].cumulative_progress.2019.current' "is over 100" 'indicator_sets[0].cumulative_progress.2019.current=120'
refuse 'indicator_sets[0].cumulative_progress.2030' "is not one of this set's periods" 'indicator_sets[0].cumulative_progress.2030={"target":5}'
refuse progress.from "is not a month" 'progress.from="2018-7"'
refuse progress.to "is not a date" 'progress.to="2021-03-32"'
refuse 'progress.by_indicator[0].indicator' "is required" 'progress.by_indicator[0].indicator=""'
refuse 'progress.by_indicator[0].activities[0].title' "is required" 'progress.by_indicator[0].activities[0].title=""'
refuse 'progress.by_indicator[0].activities[0].items[0].until' "needs a date" 'progress.by_indicator[0].activities[0].items[0].date=-' 'progress.by_indicator[0].activities[0].items[0].until="2019-02-01"'
refuse 'progress.by_indicator[0].activities[0].items[0].until' "comes before date" 'progress.by_indicator[0].activities[0].items[0].until="2018-12-31"'
refuse 'progress.by_indicator[0].activities[0].items[0].dates' "not both" 'progress.by_indicator[0].activities[0].items[0].dates=["2019-01-11"]'
refuse 'progress.by_indicator[1].activities[0].items[11].dates[1]' "is not a date" 'progress.by_indicator[1].activities[0].items[11].dates[1]="2020-08-32"'
refuse 'progress.by_indicator[0].activities[0].items[1].date' "is not a date" 'progress.by_indicator[0].activities[0].items[1].date="2019-04-31"'
refuse 'progress.by_indicator[2].activities[1].items[3].items[0]' "needs a label or a text" 'progress.by_indicator[2].activities[1].items[3].items[0].text=""'
refuse 'changes[0].date' "is not a date" 'changes=[{"date":"2021-13-01","item":"사업기간"}]'
refuse 'changes[0].item' "is required" 'changes=[{"date":"2021-01-01"}]'
refuse 'evaluations[0].round' "is not a period" 'evaluations[0].round="2020-H3"'
refuse 'evaluations[1].suggestion' "is required" 'evaluations[1].suggestion=""'
refuse 'evaluations[0].actions[0].text' "is required" 'evaluations[0].actions[0].text=""'
refuse 'evaluations[0].actions[0].items[0].date' "is not a date" 'evaluations[0].actions[0].items[0].date="soon"'
refuse 'problems[0].problem' "is required" 'problems=[{"countermeasure":"대책"}]'
refuse 'plans[0].from' "is required" 'plans[0].from=-'
refuse 'plans[0].to' "comes before from" 'plans[0].to="2021-03"'
refuse 'plans[1].from' "is not a month" 'plans[1].from="2021.4"'
refuse 'officials[0].name' "is required" 'officials[0].name=""'
refuse 'officials[1].phone' "is not a telephone number" 'officials[1].phone="전화 주세요"'
refuse 'officials[2].phone' "is not a telephone number" 'officials[2].phone="---"'
refuse title "longer than 4000" "title=\"$(head -c 4001 /dev/zero | tr '\0' 'x')\""
refuse department 'department "없는과" does not exist' 'department="없는과"'
yk get SW7-GOV-01 -o json >"$T/after.json"
"$CMP" "$T/base.json" "$T/after.json" || fail "a refused document changed the pledge"
grep -q '"version": 1,' "$T/after.json" || fail "the version moved"
[ "$(ykpsql -c "SELECT count(*) FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id WHERE p.code = 'SW7-GOV-01'")" = 1 ] ||
	fail "a refused document left a version behind"
pass "$n refusals, each with its path; nothing stored"

# client-side refusals: unknown keys and wrong types never reach the server
"$EDIT" "$T/base.json" 'categroy="약속"' 'budget.sources.city.amounts.2019.spent=1' 'progress_pct="100"' >"$T/bad.json"
expect_rc 6 yk apply -f "$T/bad.json"
grep -q "categroy: unknown key" "$T/err" || fail "unknown top-level key"
grep -q "budget.sources.city.amounts.2019.spent: unknown key" "$T/err" || fail "unknown nested key"
grep -q 'progress_pct: expected a number, found text "100"' "$T/err" || fail "type error"
pass "unknown keys and wrong types refused with paths"

# one bad value in each of five sections: five problems, nothing stored
"$EDIT" "$T/base.json" 'target_month="2019-00"' 'overview.period.start="2018-13"' \
	'budget.sources.city.amounts.2020.executed=33' 'indicator_sets[0].basis="new"' 'plans[2].from="2021-99"' >"$T/bad5.json"
expect_rc 6 yk apply -f "$T/bad5.json"
grep -q "(5 problems)" "$T/err" || fail "five bad values: $(cat "$T/err")"
for p in target_month overview.period.start budget.sources.city.amounts.2020.executed 'indicator_sets\[0\].basis' 'plans\[2\].from'; do
	grep -q "^  $p: " "$T/err" || fail "five bad values: $p not listed"
done
yk get SW7-GOV-01 -o json >"$T/after.json"
"$CMP" "$T/base.json" "$T/after.json" || fail "five bad values changed the pledge"
pass "five bad sections: five problems listed, the earlier version unchanged"

# ---------------------------------------------------------------- show
# the printed card is the approved one: a working copy never approved is
# marked as such, and once approved as it is, it is not
expect_rc 0 yk show SW7-GOV-01
head -3 "$T/out" | grep -q "작성 중 — 아직 승인된 적 없음" || fail "a never approved card is not marked: $(head -3 "$T/out")"
expect_rc 0 yk round open 2021-Q1 --as-of 2021-03-31 --due 2099-12-31
expect_rc 0 yk submit SW7-GOV-01 --round 2021-Q1
expect_rc 0 yk review SW7-GOV-01 --round 2021-Q1 --approve
for f in text markdown html; do
	expect_rc 0 yk show SW7-GOV-01 --format "$f"
	cp "$T/out" "$T/show.$f"
done
diff -u "$GOLD/suwon-governance.txt" "$T/show.text" || fail "show (text) differs from the checked-in report"
diff -u "$GOLD/suwon-governance.md" "$T/show.markdown" || fail "show (markdown) differs"
diff -u "$GOLD/suwon-governance.html" "$T/show.html" || fail "show (html) differs"
# the seed report's figures, spelled out
S=$T/show.text
grep -q '^계       |                116 |          0 |    0 |       0 |   31 |      15 |   32 |      14 |      29 |    0 |           29 |           29$' "$S" || fail "budget 계 row"
grep -q "소요예산 : 29백만원(2021년)" "$S" || fail "as-of year budget"
for s in "수원시 협치조례 제정         | 회   | -      |      1 | -" "협치 계획 수립               | 회   |     1 |" \
	"조례 공포 : 2019. 1.10." "시민공모에 따른 공개 모집 : 2019.3.21.~4.2." "제1차 분과위원회 회의 개최 : 2020.8.12./8.14./8.19." \
	"• 협치 기본계획 수립" "• 협치위원회 권한 강화" "협치 백서 발간 ----- 2021. 11. ~ 2022. 2." \
	"정책기획과 | 정책기획과장 | 박사승 | 2050" "5. 사업변경내역 (2018. 7. ~ 2021. 3. 31.) : 해당없음"; do
	grep -qF "$s" "$S" || fail "show lacks: $s"
done
[ "$(grep -c ' ----- 2021\. ' "$S")" = 7 ] || fail "seven plans with their months"
grep -q '<html lang="ko">' "$T/show.html" || fail "html lang"
pass "show renders the seed's figures (text, markdown, html match the checked-in reports)"

# the card's own layout: section 3's sets with their mark, the year over its
# quarters on a header row of its own; section 4 as the two columns
# 성과지표 | 추진현황, each activity beside its indicator
grep -qx "○ 2021년 이후" "$S" || fail "section 3: no ○ before the set's title"
grep -qF "|      | 2021년                        | 2022년 6월까지 | 2022년 7월이후" "$S" || fail "section 3: the year does not span its quarters"
grep -qF "|      | 1분기 | 2분기 | 3분기 | 4분기 |" "$S" || fail "section 3: no row of quarters"
grep -qF "수원시 협치조례 제정          | ○ 조례 및 시행규칙 제정 완료" "$S" || fail "section 4 is not the two-column table"
grep -qF "|   • 조례 공포 : 2019. 1.10." "$S" || fail "section 4: the items are not under their activity"
grep -qF '<td rowspan="3">당초</td>' "$T/show.html" || fail "html: 당초 is not one cell over its indicators"
grep -qF '<th scope="colgroup" colspan="4">2021년</th>' "$T/show.html" || fail "html: 2021년 is not over its quarters"
pass "the card's layout: ○ sets, the year over its quarters, section 4 in two columns, merged cells"

# escaping in html: text is never markup
"$EDIT" "$T/base.json" 'remarks="<script>alert(1)</script> & \"q\""' >"$T/esc.json"
expect_rc 0 yk apply -f "$T/esc.json"
expect_rc 0 yk show SW7-GOV-01 --format html
grep -q "<script>" "$T/out" && fail "html does not escape text"
grep -qF "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" "$T/out" || fail "escaped remarks missing"
pass "html escapes text"

expect_rc 0 yk show SW7-WEL-03 --format text
grep -q "62.5 (지연)" "$T/out" || fail "status word in the header row"
grep -q "【변경사유】" "$T/out" || fail "change reason"
grep -q "국비 공모 선정 지연" "$T/out" || fail "problems"
grep -q "하반기 참여자 모집 ----- 2021. 7. ~ 8. (완료)" "$T/out" || fail "done plan"
pass "show of the full-options pledge"

# amounts as the card prints them: thousands grouped, in the table and in 소요예산
"$EDIT" "$EX" 'code="BIG-1"' 'budget.sources.city.prior=26175.75' 'budget.sources.national.amounts.2021={"secured": 4840, "executed": 1200}' >"$T/big.json"
expect_rc 0 yk apply -f "$T/big.json"
expect_rc 0 yk show BIG-1 --format text
for s in "26,175.75" "31,131.75" "4,840" "1,200" "소요예산 : 4,869백만원(2021년)"; do
	grep -qF "$s" "$T/out" || fail "show does not group $s: $(grep -E '^(계|국 비|시 비)' "$T/out")"
done
pass "amounts are grouped by thousands (26,175.75)"

# XLSX budget sheet: a period of plans alone (2022-H1, 2022-07+ of the
# example) has 계획 only, the periods with figures 확보 and 집행
expect_rc 0 yk export --format xlsx --search "협치시정 활성화" --out "$T/plans.xlsx"
unzip -p "$T/plans.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' >"$T/sheets"
n=$(grep -n '"예산"' "$T/sheets" | cut -d: -f1)
unzip -p "$T/plans.xlsx" "xl/worksheets/sheet$n.xml" >"$T/budget.xml"
for m in F1:G1 H1:I1 J1:K1 L1:M1; do grep -q "<mergeCell ref=\"$m\"/>" "$T/budget.xml" || fail "xlsx: no $m"; done
grep -q '<mergeCell ref="N1:' "$T/budget.xml" && fail "xlsx: a plan-only period spans more than its 계획 column"
[ "$(grep -o '<c r="[N-P]2"' "$T/budget.xml" | sort -u | tr -d '\n')" = '<c r="N2"<c r="O2"' ] ||
	fail "xlsx: the plan-only periods do not have one column each: $(grep -o '<c r="[A-Z]*2"[^>]*>' "$T/budget.xml" | tr -d '\n')"
pass "xlsx: periods of plans alone have 계획 only"

# XLSX numbers as the card has them: 95.32, never the 16 digits Debian's
# libxlsxwriter prints (95.31999999999999)
"$EDIT" "$EX" 'code="EXACT-1"' 'budget.sources.city.prior=95.32' >"$T/exact.json"
expect_rc 0 yk apply -f "$T/exact.json"
expect_rc 0 yk export --format xlsx --out "$T/exact.xlsx"
unzip -tq "$T/exact.xlsx" >/dev/null || fail "the workbook is corrupt after its numbers were rewritten"
unzip -p "$T/exact.xlsx" 'xl/worksheets/*.xml' | grep -oE '<v>[^<]*</v>' | sort -u >"$T/values"
grep -qx '<v>95.32</v>' "$T/values" && grep -qx '<v>26175.75</v>' "$T/values" ||
	fail "xlsx: the amount 95.32 or 26175.75 is not in a cell: $(grep '\.' "$T/values" | head -5)"
grep -E '<v>-?[0-9]*\.?[0-9]{13,}' "$T/values" && fail "xlsx: a number with a binary-float tail"
expect_rc 0 yk export --format xlsx --out "$T/exact2.xlsx"
cmp -s "$T/exact.xlsx" "$T/exact2.xlsx" || fail "xlsx: the same record gave a different workbook"
pass "xlsx: numbers exact (95.32, 26175.75), the workbook whole and the same each time"

# an XLSX on standard output is the file as it is (the terminal filter
# once turned its control bytes into U+FFFD: a corrupt zip)
yk export --format xlsx --search "협치시정 활성화" --out - >"$T/stdout.xlsx" || fail "export --out -"
unzip -tq "$T/stdout.xlsx" >/dev/null || fail "the XLSX written to standard output is corrupt"
pass "binary output on standard output is written as it is"

# A4 PDF of the card, drawn with Cairo and Pango: the example and a
# generated full-sized card; every figure and name is in its text; each page
# rendered to a PNG kept as an artifact
ART=${YK_ARTIFACTS:-$T}
mkdir -p "$ART"
mkdir -p "$T/full"
GENCITY_FULL=1 "$YK_BIN/gencity" "$T/full" 1 1 >/dev/null || fail "gencity"
yk department add "$(head -1 "$T/full/departments.txt")" >/dev/null 2>&1 || true  # the example's, perhaps
expect_rc 0 yk apply -f "$T/full/p001.json"
for code in SW7-GOV-01 GEN-001; do
	rc=0
	yk show "$code" --format pdf >"$ART/$code.pdf" 2>"$T/err" || rc=$?
	[ "$rc" = 0 ] || fail "show --format pdf of $code: exit $rc: $(cat "$T/err")"
	pdfinfo "$ART/$code.pdf" >"$T/info" || fail "$code.pdf is not a PDF"
	grep -q "Page size: *595.276 x 841.89 pts (A4)" "$T/info" || fail "$code.pdf is not A4: $(grep 'Page size' "$T/info")"
	pdftoppm -r 50 -png "$ART/$code.pdf" "$ART/$code" || fail "pdftoppm $code"
	[ "$(ls "$ART/$code"-*.png | wc -l)" = "$(sed -n 's/^Pages: *//p' "$T/info")" ] || fail "a PNG per page of $code"
	pdftotext -layout "$ART/$code.pdf" "$T/$code.txt"
done
for s in "수원시 협치시정 활성화 사업" "SW7-GOV-01" "정책기획과" "박사승" "116" "소요예산 : 29백만원(2021년)" \
	"수원시 협치조례 제정" "조례 공포 : 2019. 1.10." "협치 백서 발간" "사업변경내역"; do
	grep -qF "$s" "$T/SW7-GOV-01.txt" || fail "the example's PDF lacks: $s"
done
# the generated card: its title, and every amount of its budget table
grep -qF "$(jq -r .title "$T/full/p001.json")" "$T/GEN-001.txt" || fail "the generated card's PDF lacks its title"
expect_rc 0 yk get GEN-001 -o json
jq -r '.budget.sources[].amounts[] | (.secured, .executed, .planned) | select(. != null)' "$T/out" | sort -u >"$T/amounts"
[ -s "$T/amounts" ] || fail "the generated card has no amounts: the test tests nothing"
while read -r v; do
	g=$(echo "$v" | awk '{ n = split($1, p, "."); s = p[1]; o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } printf "%s%s%s", s, o, (n > 1 ? "." p[2] : "") }')
	grep -qF -- "$g" "$T/GEN-001.txt" || fail "the generated card's PDF lacks the amount $g"
done <"$T/amounts"
# an activity longer than a page goes on over pages: nothing is drawn past
# a page's edge (every word's box lies within the page) and nothing is lost
items=$(seq 1 160 | awk '{ printf "%s{\"text\": \"긴 활동의 항목 %03d\"}", (NR > 1 ? "," : ""), $1 }')
"$EDIT" "$EX" 'code="LONG-1"' "progress.by_indicator[0].activities[0].items=[$items]" >"$T/long.json"
expect_rc 0 yk apply -f "$T/long.json"
yk show LONG-1 --format pdf >"$ART/LONG-1.pdf" || fail "show --format pdf of a long activity"
pdftotext -bbox "$ART/LONG-1.pdf" "$T/long.html"
awk -F'"' '/<page / { h = $4 } /<word / && $8 + 0 > h + 0 { bad++ } END { exit bad > 0 }' "$T/long.html" ||
	fail "the long activity is drawn past the page's edge"
pdftotext "$ART/LONG-1.pdf" "$T/long.txt"
for n in 001 080 160; do grep -qF "긴 활동의 항목 $n" "$T/long.txt" || fail "the long activity's item $n is not in the PDF"; done
[ "$(pdfinfo "$ART/LONG-1.pdf" | sed -n 's/^Pages: *//p')" -gt "$(pdfinfo "$ART/SW7-GOV-01.pdf" | sed -n 's/^Pages: *//p')" ] ||
	fail "the long activity did not run onto more pages"
pass "a table row longer than a page goes on over pages, every line on a page"

# the card in a real browser (tests/web/card.mjs): no WCAG 2.1 A/AA
# violation, merged cells merged, a screenshot and an A4 print kept
WEB=$YK_SRC/tests/web
[ -d "$WEB/node_modules/puppeteer-core" ] || fail "tests/web has no node_modules: scripts/test.sh installs them (npm ci)"
(cd "$WEB" && timeout 180 node card.mjs "$T/show.html" "$ART") >"$T/web.out" 2>&1 ||
	fail "the card in the browser: $(cat "$T/web.out")"
pdfinfo "$ART/card-print.pdf" | grep -q "Page size: .* pts (A4)" || fail "the card's print is not A4"
pdftoppm -r 50 -png "$ART/card-print.pdf" "$ART/card-print" || fail "pdftoppm card-print"
pass "the card in Chromium: no axe violation, cells merged, screenshot and A4 print kept"

expect_rc 2 yk show SW7-GOV-01 --format doc
# export --format pdf: every card of the filter after a contents page, each
# an entry of the PDF's outline
expect_rc 0 yk export --format pdf --out "$ART/cards.pdf"
pdfinfo "$ART/cards.pdf" >"$T/info" || fail "cards.pdf is not a PDF"
cards=$(yk list -o json | jq length)
pdftotext -layout "$ART/cards.pdf" "$T/cards.txt"
head -40 "$T/cards.txt" | grep -q "공약 이행 카드 (${cards}건)" || fail "no contents page: $(head -5 "$T/cards.txt")"
for c in SW7-GOV-01 SW7-WEL-03 GEN-001; do
	# the contents line names the card with its page; the page holds the card
	page=$(head -40 "$T/cards.txt" | grep -F "($c)" | awk '{ print $NF }')
	[ -n "$page" ] || fail "the contents lack $c"
	pdftotext -f "$page" -l "$page" "$ART/cards.pdf" - | head -3 | grep -qF "($c)" ||
		fail "page $page of cards.pdf is not $c's card"
done
pass "show --format pdf: A4 pages of the example and of a full-sized card, every figure and name in their text, a PNG per page"

# ---------------------------------------------------------------- history
ykpsql -c "SELECT changed_at FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id WHERE p.code = 'SW7-WEL-03'" >/dev/null
before=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ | sed 's/\(\.[0-9]\{6\}\)[0-9]*/\1/')
wait_until "the database's clock to pass $before" sql_true "SELECT now() > '$before'::timestamptz"
yk get SW7-WEL-03 >"$T/w1.yaml"
sed 's/^status: delayed/status: in_progress/; s/secured: 300.25/secured: 301/' "$T/w1.yaml" >"$T/w2.yaml"
expect_rc 0 yk apply -f "$T/w2.yaml"
expect_rc 0 yk get SW7-WEL-03 --at "$before" -o json
grep -q '"version": 1,' "$T/out" || fail "get --at: not version 1"
grep -q '"status": "delayed"' "$T/out" || fail "get --at: not the earlier status"
grep -q '"secured": 300.25' "$T/out" || fail "get --at: not the earlier amount"
expect_rc 0 yk show SW7-WEL-03 --at "$before"
grep -q "62.5 (지연)" "$T/out" || fail "show --at: not the earlier report"
expect_rc 0 yk get SW7-WEL-03 -o json
grep -q '"version": 2,' "$T/out" || fail "current version is not 2"
expect_rc 0 yk get SW7-WEL-03 --at "$(date +%Y-%m-%d)" -o json
grep -q '"version": 2,' "$T/out" || fail "--at today (end of day) is not the latest"
expect_rc 3 yk get SW7-WEL-03 --at 2000-01-01
grep -q "did not exist at" "$T/err" || fail "--at before creation"
expect_rc 2 yk get SW7-WEL-03 --at yesterday
pass "get/show --at read the pledge as it stood, after later edits"

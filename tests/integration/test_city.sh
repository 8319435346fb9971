#!/usr/bin/env bash
# The city-wide picture on a generated city (96 pledges, 32 departments):
# list filters checked against the same questions asked of the database
# directly, stats against sums computed in SQL, every export format, the
# dashboard rendered by Chromium, and the seed report imported.
source "$(dirname "$0")/lib.sh"
setup_all
ART=${YK_ARTIFACTS:-$T}
mkdir -p "$ART"
"$YK_BIN/gencity" "$T" 96 32 || fail "gencity"
while read -r d; do expect_rc 0 yk department add "$d"; done <"$T/departments.txt"
for f in "$T"/p*.json; do expect_rc 0 yk apply -f "$f"; done
[ "$(ykpsql -c 'SELECT count(*) FROM pledges')" = 96 ] || fail "not all pledges loaded"
[ "$(ykpsql -c 'SELECT count(DISTINCT department_id) FROM pledges')" = 32 ] || fail "not 32 departments"
pass "a city of 96 pledges across 32 departments"

codes() { grep -o '"code": "[^"]*"' | sed 's/"code": "//; s/"$//' | sort; }

# --lagging: the latest period with both a target and a current, current below target
expect_rc 0 yk list --lagging -o json
codes <"$T/out" >"$T/lag.cli"
ykpsql -c "SELECT p.code FROM pledges p WHERE (SELECT c.current < c.target FROM cumulative_progress c
	WHERE c.pledge_id = p.id AND c.target IS NOT NULL AND c.current IS NOT NULL
	ORDER BY c.period DESC LIMIT 1) AND p.status NOT IN ('completed', 'completed_ongoing') ORDER BY 1" | sort >"$T/lag.sql"
[ -s "$T/lag.sql" ] || fail "the generated city has no lagging pledge"
[ "$(ykpsql -c "SELECT count(*) FROM pledges p WHERE p.status IN ('completed', 'completed_ongoing') AND (SELECT c.current < c.target
	FROM cumulative_progress c WHERE c.pledge_id = p.id AND c.target IS NOT NULL AND c.current IS NOT NULL
	ORDER BY c.period DESC LIMIT 1)")" -gt 0 ] || fail "the generated city has no completed pledge behind its figures: the test tests nothing"
diff "$T/lag.sql" "$T/lag.cli" || fail "list --lagging differs from SQL"
grep -q '"lagging": "누적 추진율 ' "$T/out" || fail "lagging reason"
pass "list --lagging ($(wc -l <"$T/lag.cli") pledges) = SQL"

# --overdue --department D: a department that has some
D=$(ykpsql -c "SELECT d.name FROM pledges p JOIN departments d ON d.id = p.department_id WHERE yk_pledge_overdue(p)
	GROUP BY d.name ORDER BY count(*) DESC, d.name LIMIT 1")
[ -n "$D" ] || fail "the generated city has no overdue pledge"
expect_rc 0 yk list --overdue --department "$D" -o json
codes <"$T/out" >"$T/ov.cli"
ykpsql -c "SELECT p.code FROM pledges p JOIN departments d ON d.id = p.department_id WHERE d.name = '$D'
	AND p.target_month IS NOT NULL AND (p.target_month || '-01')::date + interval '1 month' <= p.as_of
	AND p.status NOT IN ('completed', 'completed_ongoing', 'dropped')" | sort >"$T/ov.sql"
diff "$T/ov.sql" "$T/ov.cli" || fail "list --overdue --department differs from SQL"
expect_rc 0 yk list --overdue -o json
codes <"$T/out" >"$T/ovall.cli"
ykpsql -c "SELECT p.code FROM pledges p WHERE p.target_month IS NOT NULL
	AND (p.target_month || '-01')::date + interval '1 month' <= p.as_of
	AND p.status NOT IN ('completed', 'completed_ongoing', 'dropped')" | sort >"$T/ovall.sql"
diff "$T/ovall.sql" "$T/ovall.cli" || fail "list --overdue differs from SQL"
# one schema per noun: a pledge's overdue is a boolean in list as in get
grep -q '"overdue": true' "$T/out" && ! grep -q '"overdue": "' "$T/out" || fail "list -o json: overdue is not a boolean"
pass "list --overdue, alone ($(wc -l <"$T/ovall.cli")) and with --department ($(wc -l <"$T/ov.cli"))"

# filters combine
expect_rc 0 yk list --status delayed --area 경제 -o json
codes <"$T/out" >"$T/c.cli"
ykpsql -c "SELECT code FROM pledges WHERE status = 'delayed' AND area = '경제'" | sort >"$T/c.sql"
diff "$T/c.sql" "$T/c.cli" || fail "--status --area"
# search, however the Hangul was typed
expect_rc 0 yk list --search 주차장 -o json
codes <"$T/out" >"$T/s.nfc"
nfd=$(printf '\xe1\x84\x8c\xe1\x85\xae\xe1\x84\x8e\xe1\x85\xa1\xe1\x84\x8c\xe1\x85\xa1\xe1\x86\xbc')
expect_rc 0 yk list --search "$nfd" -o json
codes <"$T/out" >"$T/s.nfd"
ykpsql -c "SELECT code FROM pledges WHERE title LIKE '%주차장%'" | sort >"$T/s.sql"
[ -s "$T/s.sql" ] || fail "nothing to search for"
diff "$T/s.sql" "$T/s.nfc" || fail "--search (NFC)"
diff "$T/s.sql" "$T/s.nfd" || fail "--search (NFD)"
expect_rc 0 yk list --sort progress -o csv
sed -n '2p' "$T/out" | grep -q ',100,' || fail "--sort progress puts 100 first"
expect_rc 6 yk list --submission missing
expect_rc 6 yk list --status done
pass "filters combine; search is NFC/NFD-insensitive; sort"

# a round: some submitted
expect_rc 0 yk round open 2021-Q2 --as-of 2021-06-30 --due 2099-12-31
for c in GEN-001 GEN-002 GEN-003; do expect_rc 0 yk submit "$c" --round 2021-Q2; done
expect_rc 0 yk review GEN-002 --round 2021-Q2 --approve
expect_rc 0 yk list --round 2021-Q2 --submission submitted -o json
[ "$(codes <"$T/out" | tr '\n' ' ')" = "GEN-001 GEN-003 " ] || fail "--submission submitted: $(cat "$T/out")"
expect_rc 0 yk list --round 2021-Q2 --submission missing -o json
[ "$(codes <"$T/out" | wc -l)" = 93 ] || fail "--submission missing"
expect_rc 3 yk list --round 2031-Q1 --submission missing
pass "list --round --submission"

# a round alone lists and counts the versions approved in it (GEN-002)
expect_rc 0 yk list --round 2021-Q2 -o json
[ "$(codes <"$T/out" | tr '\n' ' ')" = "GEN-002 " ] || fail "list --round is not the approved version: $(cat "$T/out")"
expect_rc 0 yk stats --round 2021-Q2 -o json
grep -q '"pledges": 1,' "$T/out" && grep -q '"not_approved": 95' "$T/out" ||
	fail "stats --round is not the one approved version: $(head -5 "$T/out")"
[ "$(grep -o '"reported": [0-9]*' "$T/out" | awk '{s += $2} END {print s}')" = 3 ] ||
	fail "stats --round does not count the round's three submissions: $(grep -c "\"department\":" "$T/out") $(grep -o "\"reported\": [0-9]*" "$T/out" | tr "\n" " ")"
pass "list --round and stats --round: the versions approved in the round; the round's submissions counted"

# stats against sums computed in SQL
expect_rc 0 yk stats -o json
cp "$T/out" "$T/stats.json"
j() { grep -o "\"$1\": [0-9.]*" "$T/stats.json" | head -1 | sed 's/.*: //'; }
[ "$(j pledges)" = 96 ] || fail "stats pledges"
trimz() { sed -E 's/(\.[0-9]*[1-9])0+$/\1/; s/\.0+$//'; }
want=$(ykpsql -c "SELECT round(100.0 * count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing'))
	/ count(*) FILTER (WHERE status <> 'dropped'), 2) FROM pledges" | trimz)
[ "$(j completion_rate_pct)" = "$want" ] || fail "completion rate $(j completion_rate_pct) vs $want"
want=$(ykpsql -c "SELECT round(100.0 * count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing'))
	/ count(*), 2) FROM pledges" | trimz)
[ "$(j evaluation_completion_rate_pct)" = "$want" ] || fail "the evaluation's completion rate $(j evaluation_completion_rate_pct) vs $want"
# by area (정책분야), each figure as SQL computes it on its own
ykpsql -c "SELECT coalesce(area, ''), count(*), count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing')),
	round(avg(progress_pct) FILTER (WHERE status <> 'dropped'), 2) FROM pledges GROUP BY 1 ORDER BY 1" >"$T/areas.sql"
[ "$(wc -l <"$T/areas.sql")" -ge 2 ] || fail "the generated city has fewer than two areas: the test tests nothing"
while IFS='|' read -r area n done avg; do
	avg=$(echo "$avg" | trimz)
	grep -A6 "\"area\": \"$area\"" "$T/stats.json" | tr -d '\n ' | grep -q "\"pledges\":$n,\"completed\":$done,.*\"average_progress_pct\":$avg" ||
		fail "stats area '$area' is not $n pledges, $done completed, $avg% average: $(grep -A6 "\"area\": \"$area\"" "$T/stats.json")"
done <"$T/areas.sql"
want=$(ykpsql -c "SELECT round(avg(progress_pct), 2) FROM pledges WHERE status <> 'dropped'" | trimz)
[ "$(j average_progress_pct)" = "$want" ] || fail "average progress $(j average_progress_pct) vs $want"
for s in in_progress completed delayed dropped; do
	want=$(ykpsql -c "SELECT count(*) FROM pledges WHERE status = '$s'")
	grep -q "\"$s\": $want\b" "$T/stats.json" || fail "stats by_status $s != $want"
done
for src in national city private; do
	for k in secured executed planned; do
		want=$(ykpsql -c "SELECT coalesce(sum($k), 0) FROM budget_amounts WHERE source = '$src'" | trimz)
		grep -A4 "\"source\": \"$src\"" "$T/stats.json" | grep -q "\"$k\": $want\b" ||
			fail "stats budget $src $k != $want"
	done
done
want=$(ykpsql -c "SELECT count(*) FROM pledges p WHERE yk_pledge_lagging(p.id) IS NOT NULL")
[ "$(j lagging)" = "$(wc -l <"$T/lag.cli" | tr -d ' ')" ] || fail "stats lagging vs list --lagging"
[ "$(j overdue)" = "$(wc -l <"$T/ovall.cli" | tr -d ' ')" ] || fail "stats overdue vs list --overdue"
grep -q "\"department\": \"$(sed -n 1p "$T/departments.txt")\"" "$T/stats.json" || fail "stats per department"
expect_rc 0 yk stats
grep -q "completion rate: $(j completion_rate_pct)%" "$T/out" || fail "stats table"
pass "stats agree with SQL: status counts, completion rate, average progress, budget by source; with list"

# The figures stats counts are kept per version in the background; stats
# gives the same answer from them as from the documents, for the working
# copies, the approved versions, a round and a year.
all_figured="SELECT NOT EXISTS (SELECT 1 FROM (SELECT p.id, p.version FROM pledges p
	UNION SELECT s.pledge_id, s.version FROM submissions s WHERE s.state = 'approved') w
	WHERE NOT EXISTS (SELECT 1 FROM version_figures f WHERE f.pledge_id = w.id AND f.version = w.version))"
wait_until "every version stats counts to be figured" sql_true "$all_figured"
[ "$(ykpsql -c "SELECT count(*) FROM version_money")" -gt 96 ] && [ "$(ykpsql -c "SELECT count(*) FROM version_targets")" -gt 96 ] ||
	fail "the figures kept hold no budget cells or no targets: the comparison below would test nothing"
for args in "NULL, NULL, false" "NULL, 2021, false" "NULL, 2022, false" "NULL, NULL, true" "'2021-Q2', NULL, false"; do
	kept=$(ykpsql -c "SELECT yk_stats($args)")
	from_docs=$(ykpsql <<-EOF
		BEGIN ISOLATION LEVEL REPEATABLE READ;
		DELETE FROM version_figures;
		SELECT yk_stats($args);
		ROLLBACK;
	EOF
	)
	[ -n "$kept" ] && [ "$kept" = "$from_docs" ] || fail "stats($args) from the figures kept differ from stats from the documents:
$(diff <(echo "$kept" | jq -S .) <(echo "$from_docs" | jq -S .) | head -20)"
done
# a write: the new version is figured, the old one's figures go (it is
# neither current nor approved)
old=$(ykpsql -c "SELECT version FROM pledges WHERE code = 'GEN-005'")
expect_rc 0 yk status set GEN-005 --progress 77
wait_until "the new version to be figured" sql_true "$all_figured"
wait_until "the old version's figures to go" sql_true "SELECT NOT EXISTS (SELECT 1 FROM version_figures f JOIN pledges p
	ON p.id = f.pledge_id WHERE p.code = 'GEN-005' AND f.version = $old)"
expect_rc 0 yk stats -o json
grep -q '"average_progress_pct"' "$T/out" || fail "stats after a write"
# a pledge being written is not figured version after version: a current
# version waits until it has been current for `settled` (the daemon's
# interval); an approved one does not wait.  Each figure made under a stream
# of writes was thrown away at the next (PROGRESS through the daemon fell by
# a third).  The advisory lock keeps the daemon's own pass out meanwhile.
expect_rc 0 yk status set GEN-005 --progress 78
figured="SELECT count(*) FROM version_figures f JOIN pledges p ON p.id = f.pledge_id AND f.version = p.version
	WHERE p.code = 'GEN-005'"
settle=$(ykpsql <<-EOF | tr '\n' ' '
	BEGIN;
	SELECT 'locked' FROM (SELECT pg_advisory_xact_lock(hashtext('yk_figures_refresh'))) x;
	DELETE FROM version_figures f USING pledges p WHERE p.code = 'GEN-005' AND f.pledge_id = p.id AND f.version = p.version;
	SELECT yk_figures_refresh(100, interval '1 hour');
	$figured;
	SELECT yk_figures_refresh(100, interval '0');
	$figured;
	ROLLBACK;
EOF
)
[ "$settle" = "locked 0 0 1 1 " ] || fail "a version current for less than 'settled' was figured, or one current longer was not
(figured, then its count; the first pass with an hour, the second with nothing): $settle"
# list takes each pledge's lagging reason from the figures kept: the same as
# the rows say
expect_rc 0 yk list -o json
jq -r '.[] | [.code, (.lagging // "")] | @tsv' "$T/out" | sort >"$T/lagging.list"
ykpsql -F "$(printf '\t')" -c "SELECT code, coalesce(yk_pledge_lagging(id), '') FROM pledges" | sort >"$T/lagging.rows"
[ "$(grep -c '누적' "$T/lagging.rows")" -gt 0 ] || fail "no pledge lags: the comparison tests nothing"
diff "$T/lagging.rows" "$T/lagging.list" || fail "list's lagging reasons (from the figures kept) differ from the rows'"
pass "stats from the figures kept per version = stats from the documents (working, approved, a round, two years); kept after a write, once settled"

# ---------------------------------------------------------------- exports
expect_rc 0 yk export --format csv --out "$T/city.csv"
[ "$(head -c 3 "$T/city.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "csv has no BOM"
"$YK_BIN/csvcheck" "$T/city.csv" >"$T/csv.out" || fail "csv: $(cat "$T/csv.out")"
grep -q "rows 97 columns 18" "$T/csv.out" || fail "csv shape: $(cat "$T/csv.out")"
"$YK_BIN/csvcheck" "$T/city.csv" 0 | sed -n '2,$p' | head -96 | sort >"$T/csv.codes"
ykpsql -c "SELECT code FROM pledges ORDER BY 1" >"$T/all.codes"
diff "$T/all.codes" "$T/csv.codes" || fail "csv codes"
"$YK_BIN/csvcheck" "$T/city.csv" 1 | grep -qx '친환경 버스, "특별" 사업\|[^,]*, "특별" 사업' || fail "csv quoting did not round-trip"
grep -q '""특별""' "$T/city.csv" || fail "csv quotes were not doubled"
total=$("$YK_BIN/csvcheck" "$T/city.csv" 14 | sed 1d | head -96 | awk '{s+=$1} END {printf "%.2f", s}')
want=$(ykpsql -c "SELECT to_char(sum(secured), 'FM999999990.00') FROM budget_amounts")
[ "$total" = "$want" ] || fail "csv secured total $total vs SQL $want"
pass "csv: BOM, CRLF, RFC 4180 quoting round-trips, numbers raw, totals agree with SQL"

# a title a spreadsheet would run as a formula shows as the text it is
code=$(sed -n 1p "$T/all.codes")
yk get "$code" -o json >"$T/f.json" || fail "get $code"
"$YK_BIN/docedit" "$T/f.json" 'title="=HYPERLINK(\"http://evil.example\",\"보기\")"' >"$T/f2.json"
expect_rc 0 yk apply -f "$T/f2.json"
expect_rc 0 yk export --format csv --out "$T/formula.csv"
grep -q "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"보기\"\")\"" "$T/formula.csv" || fail "export csv: the formula is not neutralised"
grep -q ',=HYPERLINK\|,"=HYPERLINK' "$T/formula.csv" && fail "export csv: a cell begins with ="
expect_rc 0 yk list -o csv
grep -q "\"'=HYPERLINK" "$T/out" || fail "list -o csv: the formula is not neutralised"
grep -q ',=HYPERLINK\|,"=HYPERLINK' "$T/out" && fail "list -o csv: a cell begins with ="
pass "csv cells that begin with = + - @ are neutralised with an apostrophe (export and list -o csv)"

expect_rc 0 yk export --format json --out "$T/city.json"
[ "$(grep -c '"schema": "yaksok/pledge/v1"' "$T/city.json")" = 96 ] || fail "json export count"
grep -q '"budget_total"' "$T/city.json" || fail "json export carries derived figures"
jq -e 'length == 96 and ([.[].code] | . == (sort | unique))' "$T/city.json" >/dev/null ||
	fail "json export: not 96 documents in code order, each once"
# the daemon sends pages; the client writes them as they come: the same
# bytes whatever the page size, and nothing lost or repeated at the seams
expect_rc 0 yk export --format json --page 7 --out "$T/city7.json"
cmp "$T/city.json" "$T/city7.json" || fail "json export in pages of 7 differs"
expect_rc 0 yk export --format csv --out "$T/city100.csv"
expect_rc 0 yk export --format csv --page 5 --out "$T/city5.csv"
cmp "$T/city100.csv" "$T/city5.csv" || fail "csv export in pages of 5 differs"
expect_rc 0 yk export --format xlsx --page 9 --out "$T/city9.xlsx"
expect_rc 0 yk export --format xlsx --out "$T/city100.xlsx"
cmp "$T/city9.xlsx" "$T/city100.xlsx" || fail "xlsx export in pages of 9 differs"
expect_rc 2 yk export --format json --page 0 --out "$T/x.json"
expect_rc 2 yk export --format json --page 101 --out "$T/x.json"
pass "json export: 96 documents; in pages of 5, 7 or 9 the same bytes (csv, json, xlsx)"

expect_rc 0 yk export --format xlsx --out "$ART/city.xlsx"
unzip -l "$ART/city.xlsx" >"$T/xl.list" || fail "xlsx is not a zip"
for s in sheet1 sheet2 sheet3 sheet4 sheet5; do grep -q "xl/worksheets/$s.xml" "$T/xl.list" || fail "xlsx lacks $s"; done
# the summary first, laid out like a city's 공약 이행 현황 표
unzip -p "$ART/city.xlsx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | head -1 | grep -q '"요약"' || fail "xlsx: 요약 is not the first sheet"
unzip -p "$ART/city.xlsx" xl/workbook.xml | grep -q 'name="예산"' || fail "xlsx: budget sheet"
# (written in constant memory, the strings stand in the sheets themselves)
unzip -p "$ART/city.xlsx" >"$T/ss.xml"
for w in 공영주차장 확보 집행 정책기획과 "2019년" 공약이행완료율 "재원 확보율" 정책분야 국비; do grep -q "$w" "$T/ss.xml" || fail "xlsx strings lack $w"; done
unzip -p "$ART/city.xlsx" xl/worksheets/sheet3.xml >"$T/s2.xml"
grep -q '<mergeCell ref="F1:G1"/>' "$T/s2.xml" || fail "xlsx: 확보/집행 under a merged period header"
grep -q '<f>SUM(' "$T/s2.xml" || fail "xlsx: 계 row formulas"
grep -q '<c r="F4" s="[0-9]*"><v>[0-9.]*</v>' "$T/s2.xml" || fail "xlsx: numbers"
grep -q '<c r="F3" s="[0-9]*"><f>SUM(F4:F[0-9]*)</f><v>[1-9][0-9.]*</v>' "$T/s2.xml" || fail "xlsx: 계 formula with its value"
pass "xlsx: four sheets, Korean strings, budget laid out like the report"

expect_rc 0 yk export --format html --out "$ART/dashboard.html"
H=$ART/dashboard.html
grep -q '<html lang="ko">' "$H" || fail "html lang"
[ "$(grep -o '<svg ' "$H" | wc -l)" -ge 3 ] || fail "html has fewer than three charts"
for w in 상태별 부서별 재원별 정상추진 시비 확보 집행 공약이행완료율 "재원 확보율" "정책분야별 이행"; do grep -q "$w" "$H" || fail "html lacks $w"; done
grep -q '<script' "$H" && fail "the dashboard should need no script"
grep -q 'src="http\|href="http' "$H" && fail "the dashboard refers to the network"
[ "$(grep -c '<section><h3>' "$H")" = 32 ] || fail "a table per department"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium is not installed (scripts/deps.sh installs it)"
timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$T/chrome" --hide-scrollbars \
	--window-size=1000,1800 --screenshot="$ART/dashboard.png" "file://$H" >"$T/chrome.log" 2>&1 ||
	fail "chromium: $(tail -5 "$T/chrome.log")"
[ "$(head -c 4 "$ART/dashboard.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] || fail "not a PNG"
size=$(stat -c %s "$ART/dashboard.png")
[ "$size" -gt 40000 ] || fail "the rendered dashboard looks blank ($size bytes)"
pass "html dashboard: three charts with Korean labels, renders in Chromium ($size-byte PNG kept at $ART/dashboard.png)"

expect_rc 0 yk export --format csv --department "$D" --out "$T/d.csv"
want=$(($(ykpsql -c "SELECT count(*) FROM pledges p JOIN departments d ON d.id = p.department_id WHERE d.name = '$D'") + 1))
"$YK_BIN/csvcheck" "$T/d.csv" | grep -q "rows $want columns" || fail "export with a filter: $("$YK_BIN/csvcheck" "$T/d.csv")"
expect_rc 2 yk export --format docx --out "$T/x.docx"
pass "export takes the list filters"

# ---------------------------------------------------------------- import
SEED=$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt
expect_rc 0 yk import "$SEED"
cp "$T/out" "$T/imported.yaml"
[ ! -s "$T/err" ] || fail "import reported problems: $(cat "$T/err")"
"$YK_BIN/doccmp" "$YK_SRC/examples/suwon-governance.yaml" "$T/imported.yaml" code || fail "the seed import differs from the example"
grep -q '^code: IMPORTED$' "$T/imported.yaml" || fail "import code"
{ head -20 "$SEED"; echo "이 줄은 어디에도 맞지 않는다"; tail -n +21 "$SEED"; } >"$T/odd.txt"
expect_rc 6 yk import "$T/odd.txt"
grep -q "line 21: not understood: 이 줄은 어디에도 맞지 않는다" "$T/err" || fail "unmapped line not reported: $(cat "$T/err")"
expect_rc 6 yk import "$T/odd.txt" --apply --code SEED-ODD
grep -qx 정책기획과 "$T/departments.txt" || expect_rc 0 yk department add 정책기획과
expect_rc 0 yk import "$SEED" --apply --code SEED-01
expect_rc 0 yk get SEED-01 -o json
"$YK_BIN/doccmp" "$YK_SRC/examples/suwon-governance.yaml" "$T/out" code || fail "the applied import differs"
expect_rc 0 yk import "$YK_SRC/tests/fixtures/suwon-governance-with-changes.txt" -o json
grep -q '"date": "2020-11-02"' "$T/out" || fail "import: a change's date"
grep -q '"after": "2018. 2월 ~ 지속"' "$T/out" || fail "import: a change's after"
[ "$(grep -c '"reason": ' "$T/out")" = 2 ] || fail "import: two changes"
pass "import: the seed equals the example (but for code); section 5 tables; unmapped lines are reported with their number"

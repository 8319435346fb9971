#!/usr/bin/env bash
# yaksok import accounts for every line, as an invariant rather than a list
# of cases: each fixture, and every version of it with one line removed,
# doubled or garbled, is imported and applied; a run that exits 0 must have
# stored everything it was given -- every word of the input (runs of Hangul
# or Latin letters, two or more, markup aside) is found in the card the
# daemon then shows or in the stored document -- and any other run must exit
# 6 (refused, nothing stored).  A doubled row of a table must not quietly
# collapse into one: that is less content than given.  The check here is the
# test's own, not the importer's.
source "$(dirname "$0")/lib.sh"
setup_all
for d in 정책기획과 대중교통과 도서관정책과 공원녹지과 청년정책과 복지정책과 관광정책과 평생학습과; do
	expect_rc 0 yk department add "$d"
done

cat >"$T/mutate.py" <<'PY'
import json, os, re, subprocess, sys

yk = sys.argv[1:]                      # the CLI, with its --server
word = re.compile(r"[가-힣A-Za-z]{2,}")
tag = re.compile(r"<[^>]*>")

# the funding sources' other names, as the card prints them
same = {"시도비": "도비", "시군구비": "시비", "민자": "민간자본"}

def words(text):
    return [same.get(w, w) for w in word.findall(tag.sub(" ", text))]

def run(args, stdin=None):
    p = subprocess.run(yk + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr

def check(name, text, n):
    """Import `text`; on exit 0 everything must be stored. Returns the exit code."""
    path = os.path.join(os.environ["T"], "mutant.txt")
    with open(path, "w") as f:
        f.write(text)
    code = "MUT-%d" % n
    rc, out, err = run(["import", path, "--apply", "--code", code])
    if rc == 6:
        if "could not be mapped" not in err and "not applied" not in err and "problem" not in err:
            sys.exit("%s: exit 6 without saying why: %s" % (name, err[-300:]))
        g, _, _ = run(["get", code])
        if g != 3:
            sys.exit("%s: refused, yet %s was stored" % (name, code))
        return rc
    if rc != 0:
        sys.exit("%s: exit %d: %s" % (name, rc, err[-300:]))
    _, shown, _ = run(["show", code, "--format", "markdown"])
    _, stored, _ = run(["get", code, "-o", "json"])
    hay = re.sub(r"\s+", "", shown + json.dumps(json.loads(stored), ensure_ascii=False))
    lost = sorted({w for w in words(text) if w not in hay})
    if lost:
        sys.exit("%s: exit 0 but lost %s" % (name, ", ".join(lost[:8])))
    return rc

n = 0
summary = {"0": 0, "6": 0}
for fixture in os.environ["FIXTURES"].split():
    lines = open(fixture, encoding="utf-8").read().split("\n")
    base = os.path.basename(fixture)
    n += 1
    if check(base, "\n".join(lines), n) != 0:
        sys.exit("%s itself does not import" % base)
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        mutants = [
            ("without line %d" % (k + 1), lines[:k] + lines[k + 1:]),
            ("line %d doubled" % (k + 1), lines[:k + 1] + [line] + lines[k + 1:]),
        ]
        # garbled: the line's first word replaced by one no card has
        g = word.sub("뷁뷁뷁", tag.sub(lambda m: m.group(0), line), count=1)
        if g != line:
            mutants.append(("line %d garbled" % (k + 1), lines[:k] + [g] + lines[k + 1:]))
        for what, mlines in mutants:
            n += 1
            rc = check("%s %s" % (base, what), "\n".join(mlines), n)
            summary[str(rc)] += 1
print("%d mutants: %d imported whole, %d refused" % (summary["0"] + summary["6"], summary["0"], summary["6"]))
PY
export T
FIXTURES="$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt $YK_SRC/tests/fixtures/suwon-governance-with-changes.txt
	$YK_SRC/tests/fixtures/hwp-bullets.txt $YK_SRC/tests/fixtures/conventions.txt
	$(ls "$YK_SRC"/tests/fixtures/cities/*.txt | grep -v wrong-totals)" \
	python3 "$T/mutate.py" env XDG_CONFIG_HOME="$T/xdg-admin" "$YK_BIN/yaksok" --server "$YK_SERVER" >"$T/m.out" 2>&1 ||
	fail "$(tail -5 "$T/m.out")"
pass "import: $(tail -1 "$T/m.out"); no run stored less than it was given"

# bullets and dates as cards written in 한글 have them: ㅇ and □ activities,
# - and ▪ items, '19. years, several days after commas
expect_rc 0 yk import "$YK_SRC/tests/fixtures/hwp-bullets.txt" -o json
jq -c '.progress.by_indicator[0].activities' "$T/out" >"$T/g0"
[ "$(cat "$T/g0")" = '[{"title":"조례 및 시행규칙 제정 완료","items":[{"text":"조례 공포","date":"2019-01-10"},{"text":"시행규칙 공포","date":"2019-04-04"}]}]' ] ||
	fail "ㅇ and - bullets, '19. dates: $(cat "$T/g0")"
jq -c '.progress.by_indicator[1].activities[0] | [.title, .items[0]]' "$T/out" >"$T/g1"
[ "$(cat "$T/g1")" = '["수원시 협치위원회 구성 및 운영",{"text":"수원시 협치위원회 구성 및 운영계획 수립","dates":["2019-03-12","2019-03-14"]}]' ] ||
	fail "□ and ▪ bullets, days after commas: $(cat "$T/g1")"
pass "bullets and dates as 한글 cards write them: ㅇ □ activities, - ▪ items, '19. years, 3.12., 3.14."

# more of what converted cards hold: ■ ◦ · marks, a leader (……), ISO and
# zero-padded dates, an ideographic space, ～, 시도비/시군구비/기타 rows,
# thousands separators
expect_rc 0 yk import "$YK_SRC/tests/fixtures/conventions.txt" -o json
jq -c '.progress.by_indicator[0].activities' "$T/out" >"$T/g0"
[ "$(cat "$T/g0")" = '[{"title":"조례 및 시행규칙 제정 완료","items":[{"text":"조례 공포","date":"2019-01-10"},{"text":"시행규칙 공포","date":"2019-04-04"}]}]' ] ||
	fail "■ ◦ · marks, a leader, ISO dates: $(cat "$T/g0")"
jq -c '.progress.by_indicator[1].activities[0].items[2]' "$T/out" >"$T/g1"
[ "$(cat "$T/g1")" = '{"text":"시민공모에 따른 공개 모집","date":"2019-03-21","until":"2019-04-02"}' ] || fail "～ ranges: $(cat "$T/g1")"
jq -e '.budget.sources.city.amounts["2019"].secured == 31' "$T/out" >/dev/null || fail "the 시군구비 row"
pass "■ ◦ · marks, leaders, ISO dates, U+3000, ～, 시도비/시군구비/기타 rows, thousands separators"

# 당초 and 변경 rows in one table: the 변경 rows are a set of their own over
# the same periods, right after the 당초 one, with the 누적 추진율 and the
# reason after them; the daemon takes the pair, show prints it as the one
# table it was, and `indicator set` of an indicator in both reaches the 변경 one
expect_rc 0 yk import "$YK_SRC/tests/fixtures/changed-indicators.txt" -o json
jq -c '[.indicator_sets[1:][] | [.basis, (.periods | length), [.indicators[].name], .change_reason != null]]' "$T/out" >"$T/pair"
[ "$(cat "$T/pair")" = '[["original",6,["협치 계획 수립","협치위원회 지원운영","시민 및 공무원 대상교육 실시"],false],["changed",6,["협치 계획 수립(연 2회)","시민 협치 교육"],true]]' ] ||
	fail "당초 and 변경 rows of one table: $(cat "$T/pair")"
expect_rc 0 yk import "$YK_SRC/tests/fixtures/changed-indicators.txt" --code PAIR-1 --apply
expect_rc 0 yk show PAIR-1
awk '/^○ 2021년 이후/,/^【변경사유】/' "$T/out" >"$T/table"
grep -q "^당초 *| 협치 계획 수립 " "$T/table" && grep -q "^변경 *| 협치 계획 수립(연 2회) " "$T/table" ||
	fail "show: the pair is not one table of 당초 and 변경 rows: $(cat "$T/table")"
[ "$(grep -c '^○ 2021년 이후' "$T/out")" = 1 ] || fail "show: the pair's table is printed twice"
# a 변경 set sharing periods with anything but the 당초 set right before it is refused
expect_rc 0 yk get PAIR-1 -o json
jq '.indicator_sets |= [.[0], .[2], .[1]]' "$T/out" >"$T/swapped.json"
expect_rc 6 yk apply -f "$T/swapped.json"
grep -q "overlaps" "$T/err" || fail "a changed set before its original was not refused as overlapping: $(cat "$T/err")"
pass "당초 and 변경 rows of one table: two sets over the same periods, shown as one table; any other overlap refused"
# the card's own totals: a 계 row that is not the sum of the rows above it
F=$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt
sed '26s/\t31\t15\t/\t35\t15\t/' "$F" >"$T/bad-total.txt"
cmp -s "$F" "$T/bad-total.txt" && fail "the budget row was not changed: the test tests nothing"
expect_rc 6 yk import "$T/bad-total.txt"
grep -q "line 23: the 계 row's 2019년 확보 is 31, but the rows above add up to 35" "$T/err" ||
	fail "a printed total that differs: $(cat "$T/err")"
expect_rc 6 yk import "$T/bad-total.txt" --apply --code BAD-TOTAL
expect_rc 3 yk get BAD-TOTAL
expect_rc 0 yk import "$T/bad-total.txt" --accept-derived-totals
grep -q "line 23: note: the 계 row's 2019년 확보 is 31" "$T/err" || fail "--accept-derived-totals: $(cat "$T/err")"
pass "a 계 row that is not its sources' sum: line, printed and derived value; exit 6 unless --accept-derived-totals"

# the printed 소요예산 (a~g합계) of a source row and of 계, and section 1's
# 소요예산 of the as-of year, against what the budget's figures make
sed -e '26s/^시 비\t116\t/시 비\t120\t/' -e 's/^- 소요예산 : 29백만원(2021년)/- 소요예산 : 30백만원(2021년)/' "$F" >"$T/bad-sum.txt"
[ "$(diff "$F" "$T/bad-sum.txt" | grep -c '^>')" = 2 ] || fail "the card was not changed on two lines: the test tests nothing"
expect_rc 6 yk import "$T/bad-sum.txt"
grep -q "^line 26: the 시 비 is printed 120, but the budget table's figures make 116" "$T/err" ||
	fail "a source's 소요예산 that differs: $(cat "$T/err")"
grep -q "^line 15: the 사업개요의 소요예산 is printed 30, but the budget table's figures make 29" "$T/err" ||
	fail "section 1's 소요예산 that differs: $(cat "$T/err")"
sed 's/^- 소요예산 : 29백만원(2021년)/- 소요예산 : 29백만원(2020년)/' "$F" >"$T/bad-year.txt"
expect_rc 6 yk import "$T/bad-year.txt"
grep -q "^line 15: the 사업개요의 소요예산 is for 2020년, but the report's as-of year is 2021년" "$T/err" ||
	fail "section 1's 소요예산 of another year: $(cat "$T/err")"
expect_rc 0 yk import "$T/bad-sum.txt" --accept-derived-totals
[ "$(grep -c "note: the .* is printed" "$T/err")" = 2 ] || fail "--accept-derived-totals: $(cat "$T/err")"
pass "a printed 소요예산 (a source's, 계's, section 1's) that its figures do not make: line, printed and derived value"

# Cards laid out the way other cities write them (tests/fixtures/cities):
# plain, bold and Markdown headings; 국비, 도비, 시도비, 시군구비, 민간자본 and 기타
# filled; 당초 and 변경 rows; section 5, 6 and 7 entries; HWP noise (U+3000,
# leaders, ∼ ～, CRLF, '19. and ISO dates, lists of days, ※ notes, 미정);
# one with wrong printed totals.  A city at once: each card imports whole
# (the mutation test above also runs every line of them removed, doubled
# and garbled) or is refused line by line.
C=$YK_SRC/tests/fixtures/cities
expect_rc 6 yk import "$C" --apply
for f in gimhae-ebus jeonju-library pohang-changed suncheon-noise gangneung-tourism; do
	grep -q "^$C/$f.txt: [0-9]* lines, 0 unmapped, 0 problems: applied$" "$T/err" || fail "$f: $(grep "$f" "$T/err")"
done
grep -q "^$C/cheongju-wrong-totals.txt: [0-9]* lines, 0 unmapped, 3 problems: not applied$" "$T/err" ||
	fail "the card with wrong totals: $(cat "$T/err")"
for l in "line 19: the 계 row's 소요예산 (a~g합계) is 3500, but the rows above add up to 3600" \
	"line 19: the 계 row's 2022년 계획(e) is 1000, but the rows above add up to 900" \
	"line 22: the 시 비 is printed 2100, but the budget table's figures make 2000"; do
	grep -qF "$l" "$T/err" || fail "wrong totals: no \"$l\": $(cat "$T/err")"
done
expect_rc 3 yk get CHEONGJU-WRONG-TOTALS
# what each stored card holds, read back from the daemon
expect_rc 0 yk get GIMHAE-EBUS -o json
[ "$(jq -c '[.derived.budget_total | .national, .provincial, .city, .all]' "$T/out")" = '[550,165,435,1150]' ] ||
	fail "gimhae: the sources: $(jq -c .derived.budget_total "$T/out")"
jq -e '.progress.by_indicator[0].activities[1].items[1].dates == ["2020-10-05", "2020-10-19"]' "$T/out" >/dev/null ||
	fail "gimhae: a list of days after a comma: $(jq -c '.progress.by_indicator[0].activities[1]' "$T/out")"
expect_rc 0 yk get JEONJU-LIBRARY -o json
[ "$(jq -c '[.status, (.budget.sources | keys), .progress.by_indicator[0].activities[0].items[0].until, (.officials | map(.department) | unique)]' "$T/out")" = \
	'["completed_ongoing",["city","other","private"],"2019-04-30",["도서관정책과","평생학습과"]]' ] ||
	fail "jeonju: $(jq -c '[.status, (.budget.sources | keys), .progress.by_indicator[0].activities[0], .officials]' "$T/out")"
expect_rc 0 yk get POHANG-CHANGED -o json
[ "$(jq -c '[.term, .indicator_sets[0].basis, (.changes | length), (.evaluations | map(.round) | unique)]' "$T/out")" = '["민선8기","changed",2,["2023-H2"]]' ] ||
	fail "pohang: $(jq -c '[.term, .indicator_sets, .changes, .evaluations]' "$T/out")"
expect_rc 0 yk get SUNCHEON-NOISE -o json
[ "$(jq -c '[.budget.sources.provincial.amounts["2019"].executed, .indicator_sets[0].indicators[0].targets["2022-H1"], .progress.by_indicator[0].activities[1].items[1].note]' "$T/out")" = \
	'[142.5,"미정","※ 방역수칙 준수"]' ] || fail "suncheon: $(jq -c '.progress.by_indicator[0].activities[1]' "$T/out")"
# 당초 and 변경: the 변경 set's targets are the year's (one row per indicator, not both)
expect_rc 0 yk get GANGNEUNG-TOURISM -o json
[ "$(ykpsql -c "SELECT count(*) FROM yk_doc_targets('$(jq -c . "$T/out" | sed "s/'/''/g")'::jsonb) WHERE year = '2020'")" = 2 ] ||
	fail "the year's targets count the 당초 set that the 변경 set replaced"
expect_rc 0 yk indicator set GANGNEUNG-TOURISM --indicator "무인 안내기 설치" --period 2020 --actual 6
expect_rc 0 yk get GANGNEUNG-TOURISM -o json
[ "$(jq -c '[.indicator_sets[].indicators[0].actuals["2020"]]' "$T/out")" = '[null,6]' ] ||
	fail "indicator set of an indicator in both sets did not reach the 변경 one: $(jq -c '.indicator_sets' "$T/out")"
pass "six cards of other cities: five import whole and read back, one with wrong totals refused line by line"

# Round trip: a card that yaksok printed (show, as text) imports back to the
# very document it was printed from -- for the cards of other cities above,
# the 당초/변경 pair, and a generated city of full-sized cards
mkdir -p "$T/gen"
GENCITY_FULL=1 "$YK_BIN/gencity" "$T/gen" 6 2 >/dev/null || fail "gencity"
while read -r d; do yk department add "$d" >/dev/null 2>&1 || true; done <"$T/gen/departments.txt"
for f in "$T"/gen/p*.json; do expect_rc 0 yk apply -f "$f"; done
expect_rc 0 yk apply -f "$YK_SRC/examples/suwon-governance.yaml"
k=0
for f in suwon-governance-2021Q1 suwon-governance-with-changes hwp-bullets conventions; do
	k=$((k + 1))
	expect_rc 0 yk import "$YK_SRC/tests/fixtures/$f.txt" --code "FX-$k" --apply
done
codes="SW7-GOV-01 FX-1 FX-2 FX-3 FX-4 GIMHAE-EBUS JEONJU-LIBRARY POHANG-CHANGED SUNCHEON-NOISE GANGNEUNG-TOURISM PAIR-1
	$(jq -r .code "$T"/gen/p*.json | tr '\n' ' ')"
for c in $codes; do
	yk show "$c" >"$T/printed.txt" || fail "show $c"
	yk get "$c" -o json >"$T/stored.json" || fail "get $c"
	rc=0
	yk import "$T/printed.txt" -o json >"$T/back.json" 2>"$T/back.err" || rc=$?
	[ "$rc" = 0 ] || fail "$c printed did not import: exit $rc: $(head -5 "$T/back.err")"
	"$YK_BIN/doccmp" "$T/stored.json" "$T/back.json" version updated_at updated_by derived >"$T/cmp" 2>&1 ||
		fail "$c printed and imported is not the document it was printed from: $(head -8 "$T/cmp")"
done
pass "round trip: $(echo $codes | wc -w) cards printed by show import back to the documents they were printed from"

# nothing that is not a card imports as an empty one
printf '\n\n' >"$T/empty.txt"
printf 'some title (ABC-1) — 2021. 3. 31. 기준\n' >"$T/title-only.txt"
for f in empty title-only; do
	expect_rc 6 yk import "$T/$f.txt"
	grep -q "^line 1: no card here" "$T/err" || fail "$f: $(cat "$T/err")"
done
pass "a file with no card in it is refused, not imported as an empty card"

# a city's cards at once: a line each, one bad card stops nothing, and a
# card with problems is not applied; --allow-unmapped keeps a card anyway
mkdir -p "$T/city"
cp "$F" "$T/city/sw-a.txt"
{ cat "$F"; printf '\n뜻 모를 줄 하나\n'; } >"$T/city/sw-c.txt"
cp "$YK_SRC/tests/fixtures/hwp-bullets.txt" "$T/city/sw-b.txt"
expect_rc 6 yk import "$T/city/sw-a.txt" "$T/city/sw-c.txt" "$T/city/sw-b.txt" --apply
grep -q "sw-a.txt: [0-9]* lines, 0 unmapped, 0 problems: applied" "$T/err" || fail "the first card's line: $(cat "$T/err")"
grep -q "sw-c.txt: [0-9]* lines, 1 unmapped, 0 problems: not applied" "$T/err" || fail "the bad card's line: $(cat "$T/err")"
grep -q "sw-b.txt: [0-9]* lines, 0 unmapped, 0 problems: applied" "$T/err" || fail "the card after the bad one: $(cat "$T/err")"
grep -q "2 of 3 reports imported" "$T/err" || fail "the count: $(cat "$T/err")"
expect_rc 0 yk get SW-A
expect_rc 0 yk get SW-B
expect_rc 3 yk get SW-C
expect_rc 0 yk import "$T/city/sw-c.txt" --code SW-C --apply --allow-unmapped
grep -q "line [0-9]*: not understood: 뜻 모를 줄 하나" "$T/err" || fail "--allow-unmapped still lists the line: $(cat "$T/err")"
expect_rc 0 yk get SW-C
expect_rc 6 yk import "$T/bad-total.txt" --code SW-D --apply --allow-unmapped
expect_rc 3 yk get SW-D
pass "import of several cards: a line each, the bad one refused alone; --allow-unmapped keeps a card, listing its lines"

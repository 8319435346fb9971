#!/usr/bin/env bash
# A whole reporting round through the CLI: three department accounts and a
# coordinator, three pledges; submit, return one, resubmit, approve all; round
# status along the way; the approved snapshot rendered; a second round and the
# diff between the two.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit

for d in 정책기획과 노인복지과 교통정책과; do expect_rc 0 yk department add "$d"; done
echo coord-password | expect_rc 0 yk user add coord --role coordinator --department 정책기획과 --password-stdin
i=0
for d in 정책기획과 노인복지과 교통정책과; do
	i=$((i + 1))
	echo "dept-password-$i" | expect_rc 0 yk user add "dept$i" --role department --department "$d" --password-stdin
	echo "dept-password-$i" | YK_USER=dept$i expect_rc 0 yk login "dept$i" --password-stdin
	"$EDIT" "$EX" "code=\"P-$i\"" "department=\"$d\"" "title=\"약속 $i\"" 'status="in_progress"' >"$T/p$i.json"
	YK_USER=dept$i expect_rc 0 yk apply -f "$T/p$i.json"
done
echo coord-password | YK_USER=coord expect_rc 0 yk login coord --password-stdin
C() { YK_USER=coord yk "$@"; }
D() { local n=$1; shift; YK_USER=dept$n yk "$@"; }

# only a coordinator opens rounds
YK_USER=dept1 expect_rc 5 yk round open 2021-Q1 --as-of 2021-03-31 --due 2099-12-31
expect_rc 6 C round open 2021-Q5 --as-of 2021-03-31 --due 2021-04-10
expect_rc 6 C round open 2021-Q1 --as-of 2021-03-31 --due 2021-03-01
expect_rc 0 C round open 2021-Q1 --as-of 2021-03-31 --due 2099-12-31
expect_rc 4 C round open 2021-Q1 --as-of 2021-03-31 --due 2099-12-31

expect_rc 0 C round status 2021-Q1
grep -q "3 missing, 0 submitted" "$T/out" || fail "status before anything: $(cat "$T/out")"
pass "round opened; status shows every pledge missing"

expect_rc 0 D 1 submit P-1 --round 2021-Q1
expect_rc 0 D 2 submit P-2 --round 2021-Q1
expect_rc 5 D 1 submit P-3 --round 2021-Q1
grep -q "another department" "$T/err" || fail "submitting another department's pledge"
expect_rc 4 D 1 submit P-1 --round 2021-Q1
expect_rc 5 D 1 review P-1 --round 2021-Q1 --approve
expect_rc 0 C round status 2021-Q1
grep -q "1 missing, 2 submitted" "$T/out" || fail "status after two submissions: $(cat "$T/out")"
grep -q "교통정책과 .*P-3 .*missing" "$T/out" || fail "P-3 should be missing"
pass "departments submit their own pledges"

# return one with a comment; the department fixes it and resubmits
expect_rc 6 C review P-2 --round 2021-Q1 --return
expect_rc 0 C review P-2 --round 2021-Q1 --return --comment "예산 집행액을 확인하세요"
expect_rc 0 C round status 2021-Q1
grep -q "P-2 .*returned .*예산 집행액을 확인하세요" "$T/out" || fail "returned with comment: $(cat "$T/out")"
expect_rc 0 D 2 budget set P-2 --source city --period 2021 --executed 5
expect_rc 0 D 2 submit P-2 --round 2021-Q1
grep -q "version 2" "$T/out" || fail "resubmission carries the new version: $(cat "$T/out")"
expect_rc 0 D 3 submit P-3 --round 2021-Q1
pass "return with a comment, fix, resubmit"

# approve all; an edit after submitting does not change what was approved
expect_rc 0 D 1 status set P-1 --progress 99
expect_rc 0 C review P-1 --round 2021-Q1 --approve
grep -q "P-1 approved for 2021-Q1 (version 1)" "$T/out" || fail "approve applies to the submitted version: $(cat "$T/out")"
expect_rc 0 C review P-2 --round 2021-Q1 --approve
expect_rc 0 C review P-3 --round 2021-Q1 --approve --comment "좋습니다"
expect_rc 4 C review P-3 --round 2021-Q1 --approve
expect_rc 0 C round status 2021-Q1
grep -q "0 missing, 0 submitted, 0 returned, 3 approved, 0 late" "$T/out" || fail "all approved: $(cat "$T/out")"
expect_rc 0 C round status 2021-Q1 -o json
grep -q '"state": "approved"' "$T/out" || fail "status json"
pass "approve all; the snapshot is the submitted version"

expect_rc 0 yk show P-1 --round 2021-Q1
grep -q "약속 1 (P-1)" "$T/out" || fail "show --round"
grep -q "|                         100 |" "$T/out" || fail "snapshot keeps progress 100 (the edit to 99 came after submitting)"
expect_rc 0 yk get P-2 --round 2021-Q1 -o json
grep -q '"executed": 5' "$T/out" || fail "P-2 snapshot is the fixed version"
expect_rc 3 yk show P-1 --round 2020-Q4
pass "show --round renders the approved snapshot"

# the round closes; nothing more can be submitted to it
expect_rc 0 C round close 2021-Q1
expect_rc 4 D 1 submit P-1 --round 2021-Q1
grep -q "closed" "$T/err" || fail "submit to a closed round"
# what the closed round reported stays: a department's edit of a closed
# period's figures or items is refused, naming change propose; a coordinator
# may correct it
expect_rc 5 D 2 budget set P-2 --source city --period 2019 --executed 31
grep -q "budget: what was reported up to 2021-03-31 (round 2021-Q1, closed)" "$T/err" && grep -q "change propose P-2" "$T/err" ||
	fail "a closed period's budget: $(cat "$T/err")"
expect_rc 5 D 2 progress add P-2 --indicator "협치 계획 수립" --activity "연구용역" --date 2021-03-02 --text "뒤늦은 기록"
grep -q "progress: what was reported up to 2021-03-31" "$T/err" || fail "an item dated in the closed round: $(cat "$T/err")"
expect_rc 5 D 2 indicator set P-2 --indicator "협치 계획 수립" --period 2021-Q1 --actual 9
grep -q "indicator_sets: what was reported up to 2021-03-31 (round 2021-Q1, closed)" "$T/err" ||
	fail "a closed period's actual: $(cat "$T/err")"
expect_rc 5 D 2 indicator set P-2 --indicator "협치 계획 수립" --period 2021-Q2 --target 9
grep -q "indicator_sets: indicators, their periods and targets need an approved change request" "$T/err" ||
	fail "a department's target: $(cat "$T/err")"
expect_rc 0 D 2 get P-2 -o json
cp "$T/out" "$T/p2.json"
"$EDIT" "$T/p2.json" 'progress.by_indicator[0].activities[0].items=[]' >"$T/p2-items.json"
expect_rc 5 D 2 apply -f "$T/p2-items.json"
grep -q "progress: what was reported" "$T/err" || fail "deleting a closed round's items: $(cat "$T/err")"
"$EDIT" "$T/p2.json" 'indicator_sets[0].cumulative_progress={"2019": {"current": 50}}' >"$T/p2-cum.json"
expect_rc 5 D 2 apply -f "$T/p2-cum.json"
grep -q "indicator_sets: what was reported" "$T/err" || fail "a closed period's cumulative progress: $(cat "$T/err")"
"$EDIT" "$T/p2.json" 'evaluations[0].suggestion="위원회 제안을 고쳐 씀"' >"$T/p2-eval.json"
expect_rc 5 D 2 apply -f "$T/p2-eval.json"
grep -q "evaluations: the suggestions of section 6 are the evaluation committee's" "$T/err" || fail "a department rewrote a suggestion: $(cat "$T/err")"
# a coordinator may correct it, with a reason, and section 5 records the correction
expect_rc 6 C budget set P-2 --source city --period 2019 --executed 30
grep -q "reason: budget: this corrects what round 2021-Q1 reported" "$T/err" || fail "a correction without a reason: $(cat "$T/err")"
expect_rc 0 C budget set P-2 --source city --period 2019 --executed 30 --reason "집행액 오기 정정 (회계과 확인)"
expect_rc 0 C progress add P-2 --indicator "협치 계획 수립" --activity "연구용역" --date 2021-03-02 --text "누락된 기록" --reason "1분기 보고 누락분"
expect_rc 6 C indicator set P-2 --indicator "협치 계획 수립" --period 2021-Q1 --actual 2
grep -q "reason: indicator_sets: this corrects what round 2021-Q1 reported" "$T/err" || fail "an actual's correction without a reason: $(cat "$T/err")"
expect_rc 0 C indicator set P-2 --indicator "협치 계획 수립" --period 2021-Q1 --actual 2 --reason "실적 집계 정정"
expect_rc 0 yk get P-2 -o json
grep -q '"item": "2021-Q1 마감 후 정정 (성과지표 실적)"' "$T/out" || fail "section 5 lacks the actual's correction"
grep -q '"item": "2021-Q1 마감 후 정정 (예산)"' "$T/out" && grep -q '"reason": "집행액 오기 정정 (회계과 확인)"' "$T/out" &&
	grep -q '"item": "2021-Q1 마감 후 정정 (추진현황)"' "$T/out" && grep -q '"decided_by": "coord"' "$T/out" ||
	fail "section 5 lacks the corrections: $(grep -A30 '"changes"' "$T/out" | head -30)"
grep -q '"executed": 30' "$T/out" && grep -q '누락된 기록' "$T/out" || fail "the corrections were not applied"
pass "a closed round's figures, items and the committee's suggestions are refused to a department, naming change propose; a coordinator corrects them with a reason, recorded in section 5"

# a second round, late, with changes: indicator values, budget cells, a new activity
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2021-07-10
# the round's date reaches the cards: a card still dated for Q1 is refused,
# naming what fixes it; a department's first write dates it -- by the
# whole-document path and by the progress fast path, whose cached build
# must not go stale
expect_rc 4 C submit P-3 --round 2021-Q2
grep -q "reports on 2021-03-31 but round 2021-Q2 on 2021-06-30" "$T/err" && grep -q "yaksok status set P-3" "$T/err" ||
	fail "a card dated for the last round: $(cat "$T/err")"
expect_rc 0 yk get P-3 -o json
grep -q '"as_of": "2021-03-31"' "$T/out" || fail "P-3 before the round's first write"
expect_rc 0 D 3 progress add P-3 --indicator "협치 계획 수립" --activity "연구용역" --date 2021-05-03 --text "3번 착수보고회"
expect_rc 0 yk get P-3 -o json
grep -q '"as_of": "2021-06-30"' "$T/out" || fail "progress add did not date the card for the round: $(grep as_of "$T/out")"
grep -q '3번 착수보고회' "$T/out" || fail "the item is not in the read after the fast path"
expect_rc 0 yk show P-3
grep -q "2021. 6. 30." "$T/out" || fail "the rendering is not dated for the round"
# 누적 추진율 현재 of the new quarter is the department's to report; its target is the plan
expect_rc 0 D 3 get P-3 -o json
"$EDIT" "$T/out" 'indicator_sets[1].cumulative_progress={"2021-Q2": {"current": 40}}' >"$T/cum.json"
expect_rc 0 D 3 apply -f "$T/cum.json"
expect_rc 0 D 3 get P-3 -o json
"$EDIT" "$T/out" 'indicator_sets[1].cumulative_progress={"2021-Q2": {"current": 40, "target": 50}}' >"$T/cum.json"
expect_rc 5 D 3 apply -f "$T/cum.json"
grep -q "indicator_sets" "$T/err" || fail "a cumulative target set by a department: $(cat "$T/err")"
pass "round-driven cards: a department's write dates the card; an undated card is refused at submit; the quarter's 누적 추진율 현재 is the department's"
expect_rc 0 D 1 indicator set P-1 --indicator "협치 계획 수립" --period 2021-Q2 --actual 1
expect_rc 0 D 1 budget set P-1 --source city --period 2021 --executed 12
expect_rc 0 D 1 progress add P-1 --indicator "협치 계획 수립" --activity "연구용역" --date 2021-05-03 --text "착수보고회"
expect_rc 0 D 1 submit P-1 --round 2021-Q2
grep -q ", late" "$T/out" || fail "a submission after the due date is late: $(cat "$T/out")"
expect_rc 0 C review P-1 --round 2021-Q2 --approve
expect_rc 0 C round status 2021-Q2
grep -q "2 missing, 0 submitted, 0 returned, 1 approved, 3 late" "$T/out" || fail "late count: $(cat "$T/out")"
expect_rc 0 yk diff P-1 2021-Q1 2021-Q2
D=$T/out
grep -q "^P-1: 2021-Q1 (version 1) -> 2021-Q2 (version 5)$" "$D" || fail "diff header: $(head -1 "$D")"
grep -q '^~ progress_pct: 100 -> 99$' "$D" || fail "diff: progress"
grep -q '^~ budget.sources.city.amounts.2021.executed: 0 -> 12$' "$D" || fail "diff: budget cell"
grep -q '^+ indicator_sets\[1\].indicators\[0\].actuals: ' "$D" || fail "diff: indicator value"
grep -q '^+ progress.by_indicator\[3\].activities\[1\]: {title: "연구용역"}' "$D" || fail "diff: new activity"
pass "second round: late, and diff shows indicator, budget and activity changes"

# readers see the record: a viewer reads the latest approved version, never a
# department's working copy; others see the working copy, marked as such
echo viewer-password | expect_rc 0 yk user add reader --role viewer --password-stdin
echo viewer-password | YK_USER=reader expect_rc 0 yk login reader --password-stdin
V() { YK_USER=reader yk "$@"; }
expect_rc 0 C get P-3 -o json
grep -q '3번 착수보고회' "$T/out" || fail "the working copy of P-3 lacks the Q2 edit"
expect_rc 0 V get P-3 -o json
grep -q '3번 착수보고회' "$T/out" && fail "the viewer reads P-3's working copy"
grep -q '"as_of": "2021-03-31"' "$T/out" || fail "the viewer does not read Q1's approved P-3: $(grep -E '"(as_of|version)"' "$T/out")"
expect_rc 0 C get P-3 --approved -o json
cmp -s "$T/out" <(V get P-3 -o json) || fail "get --approved differs from what the viewer reads"
expect_rc 0 V show P-3
grep -q "작성 중" "$T/out" && fail "the viewer's rendering is marked as a working copy"
expect_rc 0 C show P-3
grep -q "작성 중 — 승인본과 다름" "$T/out" || fail "the working copy is not marked: $(head -3 "$T/out")"
expect_rc 0 C show P-1
grep -q "작성 중" "$T/out" && fail "P-1, approved as it is, is marked as a working copy"
expect_rc 5 V get P-3 --at 2099-01-01
grep -q "approved versions" "$T/err" || fail "a viewer's --at: $(cat "$T/err")"
expect_rc 0 V get P-3 --round 2021-Q1 -o json
# list: a viewer's rows are the approved versions; for a pledge approved as it
# is (P-1), they are the same as the working copy's, field for field
row() { awk -v c="\"$2\"," 'BEGIN { RS = "}" } index($0, "\"code\": " c) { gsub(/[ \n]+/, " "); print }' "$1"; }
expect_rc 0 V list -o json
cp "$T/out" "$T/vlist.json"
expect_rc 0 C list -o json
cp "$T/out" "$T/clist.json"
[ -n "$(row "$T/vlist.json" P-1)" ] && [ "$(row "$T/vlist.json" P-1)" = "$(row "$T/clist.json" P-1)" ] ||
	fail "P-1 (approved as it is) lists differently for a viewer: $(row "$T/vlist.json" P-1) vs $(row "$T/clist.json" P-1)"
[ "$(row "$T/vlist.json" P-3)" != "$(row "$T/clist.json" P-3)" ] || fail "the viewer lists P-3's working copy"
v3=$(grep -o '"version": [0-9]*' <(V get P-3 -o json) | head -1)
row "$T/vlist.json" P-3 | grep -q "$v3" || fail "the viewer's P-3 row is not its approved $v3: $(row "$T/vlist.json" P-3)"
expect_rc 5 V list --round 2021-Q2 --submission approved
pass "a viewer reads the latest approved version (get, show, list), never a working copy; the working copy is marked for others"

# export: --round R is the versions approved in R; a viewer's export is the
# latest approved versions; --out - is standard output
expect_rc 0 C export --format json --round 2021-Q1 --out -
[ "$(grep -c '"schema": "yaksok/pledge/v1"' "$T/out")" = 3 ] || fail "export --round 2021-Q1 is not the three approved snapshots"
grep -q '착수보고회' "$T/out" && fail "export --round 2021-Q1 holds a later edit"
cp "$T/out" "$T/q1.json"
for c in P-1 P-2 P-3; do
	expect_rc 0 C get "$c" --round 2021-Q1 -o json
	v=$(grep -o '"version": [0-9]*' "$T/out" | head -1)
	awk -v c="\"$c\"," '$1 == "\"code\":" { cur = $2 } $1 == "\"version\":" && cur == c { print "\"version\": " $2 }' "$T/q1.json" |
		grep -q "^$v,\?$" || fail "export --round 2021-Q1: $c is not its approved $v"
done
expect_rc 0 C export --format json --round 2021-Q2 --out -
[ "$(grep -c '"schema": "yaksok/pledge/v1"' "$T/out")" = 1 ] || fail "export --round 2021-Q2: only P-1 was approved there"
grep -q '"version": 5,' "$T/out" || fail "export --round 2021-Q2 is not P-1's approved version 5"
expect_rc 0 V export --format json --out -
[ "$(grep -c '"schema": "yaksok/pledge/v1"' "$T/out")" = 3 ] || fail "the viewer's export lacks approved pledges"
grep -q '3번 착수보고회' "$T/out" && fail "the viewer's export holds P-3's working copy"
grep -q '"version": 5,' "$T/out" || fail "the viewer's export lacks P-1's latest approved version"
expect_rc 0 C export --format json --out -
grep -q '3번 착수보고회' "$T/out" || fail "the coordinator's export is not the working copies"
expect_rc 0 C export --format xlsx --out - --approved
[ "$(head -c 2 "$T/out")" = PK ] || fail "xlsx to standard output is not a zip"
pass "export: --round R gives R's approved versions, a viewer the latest approved, others the working copies; --out - writes to stdout"

# 공약일치도: what of the plan changed since each pledge's first approval. The
# coordinator moves P-1's target month and a planned amount; approved again
# in 2021-Q3, P-1 counts as changed in both; P-2 and P-3 keep their plan.
expect_rc 0 C round open 2021-Q3 --as-of 2021-09-30 --due 2099-12-31
expect_rc 0 C get P-1 -o json
"$EDIT" "$T/out" 'target_month="2022-12"' 'budget.sources.city.amounts.2022-H1.planned=40' 'as_of="2021-09-30"' >"$T/p1-plan.json"
expect_rc 0 C apply -f "$T/p1-plan.json"
expect_rc 0 C submit P-1 --round 2021-Q3
expect_rc 0 C review P-1 --round 2021-Q3 --approve
expect_rc 0 C stats -o json
sed -n '/"consistency"/,/}/p' "$T/out" | tr -d ' \n' |
	grep -q '"pledges":3,"unchanged":2,"target_month":1,"contents":0,"indicators":0,"budget":1,"dropped":0' ||
	fail "공약일치도: $(sed -n '/"consistency"/,/}/p' "$T/out")"
grep -q '"reason": "목표연월, 예산"' "$T/out" || fail "what changed for P-1: $(grep -A8 consistency_changed "$T/out")"
pass "공약일치도: P-1's target month and planned budget changed since its first approval, P-2 and P-3 unchanged"

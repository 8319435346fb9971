#!/usr/bin/env bash
# Two whole quarters through the CLI with an account of every role, as a
# city runs them: Q2 opened with its as-of date; the department reports
# (its 누적 추진율 현재 included); the coordinator returns the card, the
# department resubmits, the coordinator approves; a change request with the
# committee's deliberation approved with --effective; a completion with
# evidence confirmed; Q2 closed.  Then Q3: the department's edits of Q2's
# figures are refused naming change propose; a reader sees Q2's approved
# card while the department works on Q3; export --round 2021-Q2 is the
# approved snapshots; the stats' measures equal SQL computed on its own.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit
expect_rc 0 yk department add 정책기획과
add_user dept department 정책기획과
add_user coord coordinator 정책기획과
add_user eval evaluator
add_user mayor approver
add_user citizen viewer
D() { YK_USER=dept yk "$@"; }
C() { YK_USER=coord yk "$@"; }
E() { YK_USER=eval yk "$@"; }
M() { YK_USER=mayor yk "$@"; }
V() { YK_USER=citizen yk "$@"; }
"$EDIT" "$EX" 'code="Q-1"' 'status="in_progress"' 'progress_pct=60' 'target_month="2021-12"' >"$T/q1.json"
expect_rc 0 D apply -f "$T/q1.json"
"$EDIT" "$EX" 'code="Q-2"' 'title="둘째 공약"' 'status="in_progress"' 'progress_pct=30' >"$T/q2.json"
expect_rc 0 D apply -f "$T/q2.json"

# ---------------------------------------------------------------- 2021-Q2
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2099-07-10
expect_rc 0 D progress add Q-1 --indicator "협치 계획 수립" --date 2021-05-03 --text "착수보고회"
expect_rc 0 D get Q-1 -o json
"$EDIT" "$T/out" 'indicator_sets[1].cumulative_progress={"2021-Q2": {"current": 55}}' >"$T/cum.json"
expect_rc 0 D apply -f "$T/cum.json"
expect_rc 0 D submit Q-1 --round 2021-Q2
expect_rc 0 C review Q-1 --round 2021-Q2 --return --comment "2분기 집행액을 넣으세요"
expect_rc 0 D budget set Q-1 --source city --period 2021 --executed 12
expect_rc 0 D submit Q-1 --round 2021-Q2
expect_rc 0 C review Q-1 --round 2021-Q2 --approve
expect_rc 0 D status set Q-2 --progress 35
expect_rc 0 D submit Q-2 --round 2021-Q2
expect_rc 0 C review Q-2 --round 2021-Q2 --approve
pass "Q2: opened with its as-of; reported (누적 추진율 현재 included), returned, resubmitted, approved"

# a change request with the committee's deliberation, decided on 2021-06-20
expect_rc 0 D get Q-1 -o json
"$EDIT" "$T/out" 'target_month="2022-06"' >"$T/prop.json"
echo "회의록" >"$T/회의록.txt"
expect_rc 0 D change propose Q-1 -f "$T/prop.json" --reason "국비 지연" --evidence "$T/회의록.txt"
expect_rc 0 C change review 1 --forward
expect_rc 0 E change deliberate 1 --opinion "연장 타당" --for 6 --against 2 --abstain 1
expect_rc 0 M change approve 1 --effective 2021-06-20
# a completion with evidence, confirmed in Q2
echo "준공검사" >"$T/준공.txt"
expect_rc 0 D status set Q-2 --status completed --progress 100 --reason "준공" --evidence "$T/준공.txt"
expect_rc 0 C change confirm 2
expect_rc 0 C get Q-1 -o json
grep -q '"date": "2021-06-20"' "$T/out" && grep -q '"votes_for": 6' "$T/out" && grep -q '"decided_by": "mayor"' "$T/out" ||
	fail "section 5 as decided: $(grep -A12 '"changes"' "$T/out")"
expect_rc 0 C get Q-2 -o json
grep -q '"status": "completed"' "$T/out" || fail "the completion was not confirmed"
expect_rc 0 C round close 2021-Q2
pass "Q2: a change approved with --effective and the committee's vote; a completion with evidence confirmed; Q2 closed"

# ---------------------------------------------------------------- 2021-Q3
expect_rc 0 C round open 2021-Q3 --as-of 2021-09-30 --due 2099-10-10
# the department's edits of what Q2 reported are refused, naming change propose
expect_rc 5 D budget set Q-1 --source city --period 2020 --executed 1
grep -q "change propose Q-1" "$T/err" || fail "a closed period's budget: $(cat "$T/err")"
expect_rc 0 D get Q-1 -o json
"$EDIT" "$T/out" 'indicator_sets[1].cumulative_progress={"2021-Q2": {"current": 70}}' >"$T/rewrite.json"
expect_rc 5 D apply -f "$T/rewrite.json"
grep -q "indicator_sets: what was reported up to 2021-06-30 (round 2021-Q2, closed)" "$T/err" || fail "Q2's 누적 추진율: $(cat "$T/err")"
expect_rc 5 D progress add Q-1 --indicator "협치 계획 수립" --date 2021-06-15 --text "뒤늦은 2분기 기록"
# ... while Q3's own reporting goes on
expect_rc 0 D progress add Q-1 --indicator "협치 계획 수립" --date 2021-08-10 --text "3분기 토론회"
expect_rc 0 D get Q-1 -o json
grep -q '"as_of": "2021-09-30"' "$T/out" || fail "Q3's write did not date the card"
# a reader sees Q2's approved card, not the department's Q3 work
expect_rc 0 V get Q-1 -o json
grep -q '3분기 토론회' "$T/out" && fail "the reader sees the Q3 working copy"
grep -q '"as_of": "2021-06-30"' "$T/out" || fail "the reader does not see Q2's card: $(grep -E '"(as_of|version)"' "$T/out")"
expect_rc 0 V show Q-1
grep -q "작성 중" "$T/out" && fail "the reader's card is marked as a working copy"
pass "Q3: Q2's figures and items refused to the department naming change propose; Q3 reported; a reader sees Q2's approved card"

# export --round 2021-Q2 is exactly the approved snapshots
expect_rc 0 C export --format json --round 2021-Q2 --out -
cp "$T/out" "$T/q2.json"
for c in Q-1 Q-2; do
	want=$(ykpsql -c "SELECT s.version FROM submissions s JOIN rounds r ON r.id = s.round_id JOIN pledges p ON p.id = s.pledge_id
		WHERE r.name = '2021-Q2' AND p.code = '$c' AND s.state = 'approved'")
	awk -v c="\"$c\"," '$1 == "\"code\":" { cur = $2 } $1 == "\"version\":" && cur == c { print $2 }' "$T/q2.json" |
		grep -q "^$want,\?$" || fail "export --round 2021-Q2: $c is not its approved version $want"
done
grep -q '3분기 토론회' "$T/q2.json" && fail "export --round 2021-Q2 holds Q3's work"
pass "export --round 2021-Q2 is the versions approved in Q2"

# list and stats --round 2021-Q2 read the same versions, a reader's too
for who in C V; do
	expect_rc 0 $who list --round 2021-Q2 -o json
	for c in Q-1 Q-2; do
		want=$(ykpsql -c "SELECT s.version FROM submissions s JOIN rounds r ON r.id = s.round_id JOIN pledges p ON p.id = s.pledge_id
			WHERE r.name = '2021-Q2' AND p.code = '$c' AND s.state = 'approved'")
		awk -v c="\"$c\"," '$1 == "\"code\":" { cur = $2 } $1 == "\"version\":" && cur == c { print $2 }' "$T/out" |
			grep -q "^$want,\?$" || fail "$who list --round 2021-Q2: $c is not its approved version $want: $(cat "$T/out")"
	done
	grep -q '"submission": "approved"' "$T/out" || fail "list --round does not say the rows are approved versions"
done
expect_rc 0 C stats --round 2021-Q2 -o json
# Q-2 was approved in Q2 at 35 %, before its completion was confirmed
grep -q '"pledges": 2,' "$T/out" && grep -q '"not_approved": 0' "$T/out" && grep -q '"completed": 0,' "$T/out" &&
	grep -q '"average_progress_pct": 47.5' "$T/out" ||
	fail "stats --round 2021-Q2 is not Q2's approved versions: $(head -20 "$T/out")"
expect_rc 5 V list --round 2021-Q2 --submission approved
pass "list and stats --round 2021-Q2: the versions approved in Q2 (for a reader too)"

# the stats' measures against SQL computed on its own
expect_rc 0 C stats --year 2021 -o json
cp "$T/out" "$T/stats.json"
want=$(ykpsql -c "SELECT round(100.0 * count(*) FILTER (WHERE status IN ('completed', 'completed_ongoing')) / count(*), 2) FROM pledges" |
	sed -E 's/(\.[0-9]*[1-9])0+$/\1/; s/\.0+$//')
grep -q "\"evaluation_completion_rate_pct\": $want\b" "$T/stats.json" || fail "공약이행완료율 is not $want"
# required: the a~g totals the cards derive (get's derived.budget_total.all)
req=0
for c in Q-1 Q-2; do
	all=$(C get "$c" -o json | grep -A6 '"budget_total"' | grep -o '"all": [0-9.]*' | cut -d' ' -f2)
	req=$((req + ${all%.*}))
done
sec=$(ykpsql -c "SELECT sum(coalesce(s.prior, 0)) + (SELECT coalesce(sum(secured), 0) FROM budget_amounts) FROM budget_sources s" | sed -E 's/\.0+$//')
sed -n '/"finance_all"/,/}/p' "$T/stats.json" | tr -d ' \n' | grep -q "\"required\":$req,\"secured\":$sec," ||
	fail "재원 확보율 in all is not $sec of $req: $(sed -n '/"finance_all"/,/}/p' "$T/stats.json")"
pass "stats: 공약이행완료율 and 재원 확보율 equal SQL's"

# a reader's figures are those of the approved versions: Q-2 was approved in
# Q2 before its completion was confirmed, Q-1 before Q3's work
expect_rc 0 V stats -o json
grep -q '"completed": 0,' "$T/out" || fail "a reader's stats count the confirmed completion of a working copy: $(grep -A10 by_status "$T/out")"
expect_rc 0 C stats -o json
grep -q '"completed": 1,' "$T/out" || fail "the coordinator's stats do not count the confirmed completion"
pass "a reader's stats are the approved versions' figures; the coordinator's the working copies'"

# 연차별 목표달성 by judgement: the coordinator records, with a reason, whether
# a pledge met the year's target; stats count it in place of the numbers
expect_rc 5 D target judge Q-1 --year 2021 --met --reason "부서의 자기 판단"
expect_rc 2 C target judge Q-1 --year 2021 --met
expect_rc 3 C target judge NO-SUCH --year 2021 --met --reason "없는 공약"
expect_rc 0 C target judge Q-1 --year 2021 --not-met --reason "정성 평가: 조례 미제정"
expect_rc 0 C stats --year 2021 -o json
cp "$T/out" "$T/judged-not.json"
jq -e '.year_targets.judged == 1 and any(.year_unmet[]; .code == "Q-1" and (.reason | contains("정성 평가: 조례 미제정")))' \
	"$T/judged-not.json" >/dev/null || fail "a judgement of not met: $(jq -c '.year_targets, .year_unmet' "$T/judged-not.json")"
expect_rc 0 C target judge Q-1 --year 2021 --met --reason "조례 제정으로 달성"
expect_rc 0 C stats --year 2021 -o json
jq -e --slurpfile before "$T/judged-not.json" '
	.year_targets.judged == 1
	and .year_targets.pledges == $before[0].year_targets.pledges
	and .year_targets.pledges_met == $before[0].year_targets.pledges_met + 1
	and (any(.year_unmet[]; .code == "Q-1") | not)
	and any(.year_judged[]; .code == "Q-1" and (.reason | contains("조례 제정으로 달성")) and (.reason | contains("coord")))' \
	"$T/out" >/dev/null || fail "a judgement of met: $(jq -c '.year_targets, .year_unmet, .year_judged' "$T/out")"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'target_judge' AND pledge_code = 'Q-1' AND outcome = 'accepted'")" = 2 ] ||
	fail "each judgement is not in the audit trail"
[ "$(ykpsql -c "SELECT count(*) FROM audit_log WHERE op = 'target_judge' AND outcome = 'refused'")" -ge 1 ] ||
	fail "the department's refused judgement is not audited"
pass "target judge: a coordinator's judgement with its reason counts in 연차별 목표달성 in place of the numbers, replaced by the next; a department may not"

#!/usr/bin/env bash
# The example pledge goes in with apply and comes back with get, whole and
# unchanged (compared as trees); versions, conflicts and refusals behave as the
# spec says and a refused write changes nothing.
source "$(dirname "$0")/lib.sh"
setup_all
EX=$YK_SRC/examples/suwon-governance.yaml
CMP=$YK_BIN/doccmp

expect_rc 6 yk apply -f "$EX"
grep -q 'department "정책기획과" does not exist' "$T/err" || fail "unknown department: $(cat "$T/err")"
[ "$(ykpsql -c 'SELECT count(*) FROM pledges')" = 0 ] || fail "a refused apply stored something"
pass "unknown department refused, nothing stored"

expect_rc 0 yk department add 정책기획과
expect_rc 0 yk apply -f "$EX"
grep -q "SW7-GOV-01 created (version 1)" "$T/out" || fail "apply: $(cat "$T/out")"

expect_rc 0 yk get SW7-GOV-01 -o json
cp "$T/out" "$T/got.json"
"$CMP" "$EX" "$T/got.json" || fail "get -o json differs from the example"
expect_rc 0 yk get SW7-GOV-01 -o yaml
cp "$T/out" "$T/got.yaml"
"$CMP" "$EX" "$T/got.yaml" || fail "get -o yaml differs from the example"
grep -q '"version": 1' "$T/got.json" || fail "get has no version 1"
grep -q '"updated_by": "admin"' "$T/got.json" || fail "get has no updated_by"
grep -q '"end": null' "$T/got.json" || fail "overview.period.end null was lost"
grep -q '"phone": "2050"' "$T/got.json" || fail "phone is not text"
grep -q '"2019": {' "$T/got.json" || fail "period keys"
pass "example round-trips through apply and get (json and yaml), compared as trees"

# the comparison itself must notice a change
sed 's/secured: 31/secured: 30/' "$EX" >"$T/changed.yaml"
"$CMP" "$EX" "$T/changed.yaml" >/dev/null && fail "doccmp does not see a changed amount"
pass "tree comparison detects a change"

expect_rc 4 yk apply -f "$EX"
grep -q "already exists" "$T/err" || fail "duplicate: $(cat "$T/err")"
pass "second apply without version exits 4"

expect_rc 0 yk apply -f "$T/got.yaml"
grep -q "updated (version 2)" "$T/out" || fail "apply with version: $(cat "$T/out")"
expect_rc 4 yk apply -f "$T/got.yaml"
grep -q "to resolve it: yaksok get SW7-GOV-01" "$T/err" || fail "a conflict does not say what resolves it: $(cat "$T/err")"
grep -q "at version 2, the document was based on version 1" "$T/err" || fail "stale: $(cat "$T/err")"
expect_rc 0 yk get SW7-GOV-01 -o json
grep -q '"version": 2' "$T/out" || fail "version did not become 2"
pass "apply with the right version increments it; a stale one exits 4 naming both"

# a refused update leaves the stored pledge as it was
yk get SW7-GOV-01 >"$T/v2.yaml"
sed 's/^title: .*/title: 바뀐 제목/; s/executed: 15/executed: 40/' "$T/v2.yaml" >"$T/bad.yaml"
expect_rc 6 yk apply -f "$T/bad.yaml"
yk get SW7-GOV-01 >"$T/after.yaml"
"$CMP" "$T/v2.yaml" "$T/after.yaml" || fail "a refused apply changed the pledge"
grep -q "^version: 2" "$T/after.yaml" || fail "version moved after a refused apply"
pass "refused update (executed > secured) stores nothing"

# unknown keys are refused, not dropped
sed 's/^category:/categroy:/' "$EX" | sed 's/^code: .*/code: SW7-GOV-99/' >"$T/typo.yaml"
expect_rc 6 yk apply -f "$T/typo.yaml"
grep -q "categroy: unknown key" "$T/err" || fail "typo: $(cat "$T/err")"
pass "unknown key refused with its path"

# JSON in, and --force
sed 's/^code: .*/code: SW7-GOV-02/' "$EX" >"$T/two.yaml"
expect_rc 0 yk apply -f "$T/two.yaml"
expect_rc 0 yk get SW7-GOV-02 -o json
cp "$T/out" "$T/two.json"
expect_rc 0 yk apply -f "$T/two.json"
grep -q "SW7-GOV-02 updated (version 2)" "$T/out" || fail "json apply: $(cat "$T/out")"
expect_rc 4 yk apply -f "$T/two.json"
expect_rc 0 yk apply --force -f "$T/two.yaml"
grep -q "updated (version" "$T/out" || fail "--force"
pass "json documents and --force"

expect_rc 0 yk list
grep -q "SW7-GOV-01  수원시 협치시정 활성화 사업  정책기획과" "$T/out" || fail "list table: $(cat "$T/out")"
expect_rc 0 yk list -o csv
grep -q "^SW7-GOV-02,수원시 협치시정 활성화 사업,정책기획과,,completed_ongoing,100,2019-12,false,," "$T/out" || fail "csv: $(cat "$T/out")"
expect_rc 0 yk list --department 없는과 -o json
[ "$(cat "$T/out")" = "[]" ] || fail "list filter: $(cat "$T/out")"
expect_rc 3 yk get NO-SUCH
pass "list and not found"

# a department account may write only its own department's pledges
expect_rc 0 yk department add 복지과
echo pw-for-kim-1 | expect_rc 0 yk user add kim --role department --department 복지과 --password-stdin
echo pw-for-kim-1 | YK_USER=kim expect_rc 0 yk login kim --password-stdin
yk get SW7-GOV-01 >"$T/cur.yaml"
YK_USER=kim expect_rc 5 yk apply -f "$T/cur.yaml"
sed 's/^department: .*/department: 복지과/' "$T/cur.yaml" >"$T/moved.yaml"
YK_USER=kim expect_rc 5 yk apply -f "$T/moved.yaml"
sed 's/^code: .*/code: BOK-01/; s/^department: .*/department: 복지과/; s/^status: .*/status: in_progress/; /^version:/d' "$EX" >"$T/bok.yaml"
YK_USER=kim expect_rc 0 yk apply -f "$T/bok.yaml"
pass "department accounts write only their own department's pledges"

EDIT=$YK_BIN/docedit
# many documents over one connection: -f DIR (name order), each on its own,
# the worst exit status, a summary
mkdir -p "$T/many"
for i in 1 2 3; do "$EDIT" "$EX" "code=\"MANY-$i\"" "title=\"묶음 $i\"" >"$T/many/p$i.json"; done
"$EDIT" "$EX" 'code="MANY-4"' 'progress_pct=150' >"$T/many/p4.yaml"
echo "not a document" >"$T/many/README.txt"
expect_rc 6 yk apply -f "$T/many"
grep -q "3 of 4 documents applied" "$T/err" && grep -q "p4.yaml was not applied" "$T/err" || fail "apply -f DIR: $(cat "$T/err")"
for i in 1 2 3; do expect_rc 0 yk get "MANY-$i"; done
expect_rc 3 yk get MANY-4
"$EDIT" "$EX" 'code="MANY-5"' >"$T/p5.json"
"$EDIT" "$EX" 'code="MANY-6"' >"$T/p6.json"
expect_rc 0 yk apply -f "$T/p5.json" -f "$T/p6.json"
grep -q "2 of 2 documents applied, none refused" "$T/err" || fail "apply -f A -f B: $(cat "$T/err")"
pass "apply -f DIR and several -f: each document on its own over one connection, a summary, the worst exit status"

# import DIR --apply: each report of a directory, its code its file name
mkdir -p "$T/reports"
cp "$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt" "$T/reports/imp-1.txt"
cp "$YK_SRC/tests/fixtures/suwon-governance-2021Q1.txt" "$T/reports/IMP-2.txt"
echo "ignored" >"$T/reports/notes.md"
expect_rc 0 yk import "$T/reports" --apply
grep -q "2 of 2 reports imported, none refused" "$T/err" || fail "import DIR: $(cat "$T/err")"
expect_rc 0 yk get IMP-1
expect_rc 0 yk get IMP-2
expect_rc 0 yk import "$T/reports"
grep -q "2 of 2 reports complete, none refused" "$T/err" || fail "import DIR without --apply checks: $(cat "$T/err")"
expect_rc 2 yk import "$T/reports" --code X
pass "import DIR --apply imports each report under its file name's code, with a summary; without --apply checks"

# A whole card applied with one thing changed rewrites only the rows of the
# sections that changed (the daemon compares it with the cached build of the
# version it is based on): xmin tells whether a row was written again.
xmins() {  # TABLE: the transactions that wrote the example's rows of it
	ykpsql -c "SELECT coalesce(string_agg(DISTINCT xmin::text, ','), '-') FROM $1
		WHERE pledge_id = (SELECT id FROM pledges WHERE code = 'SW7-GOV-01')"
}
tables="pledge_contents budget_amounts indicator_values activity_items evaluations problems plans officials"
snapshot() { for t in $tables; do echo "$t $(xmins "$t")"; done; }
doc_is_rows() {
	[ "$(ykpsql -c "SELECT v.document::jsonb = yk_pledge_document(p.id)::jsonb FROM pledges p
		JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version WHERE p.code = 'SW7-GOV-01'")" = t ]
}
expect_rc 0 yk get SW7-GOV-01 -o yaml
cp "$T/out" "$T/card.yaml"
snapshot >"$T/rows.before"
sed 's/^title: .*/title: 제목만 바뀐 카드/' "$T/card.yaml" >"$T/title.yaml"
expect_rc 0 yk apply -f "$T/title.yaml"
snapshot >"$T/rows.after"
diff -u "$T/rows.before" "$T/rows.after" || fail "a card with only its title changed rewrote section rows"
doc_is_rows || fail "the stored document is not the one its rows make"
expect_rc 0 yk get SW7-GOV-01 -o json
[ "$(jq -r .title "$T/out")" = "제목만 바뀐 카드" ] || fail "the new title was not stored"
cp "$T/out" "$T/title.json"
pass "an applied card with only its title changed rewrites no section's rows"

old_secured=$(jq -r '.budget.sources.city.amounts["2019"].secured' "$T/title.json")
jq '.budget.sources.city.amounts["2019"].secured += 1' "$T/title.json" >"$T/budget.json"
expect_rc 0 yk apply -f "$T/budget.json"
snapshot >"$T/rows.budget"
[ "$(grep budget_amounts "$T/rows.after")" != "$(grep budget_amounts "$T/rows.budget")" ] ||
	fail "the changed budget's rows were not written"
diff -u <(grep -v budget_amounts "$T/rows.after") <(grep -v budget_amounts "$T/rows.budget") ||
	fail "a changed budget rewrote other sections' rows"
doc_is_rows || fail "the stored document is not the one its rows make (budget)"
expect_rc 0 yk get SW7-GOV-01 -o json
[ "$(jq '.budget.sources.city.amounts["2019"].secured' "$T/out")" = "$(echo "$old_secured + 1" | bc)" ] ||
	fail "the changed amount was not stored: $(jq -c .budget.sources.city "$T/out")"
"$CMP" "$T/budget.json" "$T/out" || fail "the card read back differs from the one applied"
# ... and within the budget, only the one row: a row the write made has the
# pledge row's xmin (one transaction)
written() {  # TABLE: how many of the example's rows of it the last write made
	ykpsql -c "SELECT count(*) FROM $1 WHERE pledge_id = (SELECT id FROM pledges WHERE code = 'SW7-GOV-01')
		AND xmin = (SELECT xmin FROM pledges WHERE code = 'SW7-GOV-01')"
}
[ "$(written budget_amounts)" = 1 ] || fail "one changed amount wrote $(written budget_amounts) budget rows"
[ "$(written budget_sources)" = 0 ] && [ "$(written budget_periods)" = 0 ] || fail "one changed amount wrote other budget rows"
pass "an applied card with one amount changed rewrites the budget's rows only, and reads back as applied"

# Rows inserted before others, taken out, moved and changed in one card: the
# rows are the card's afterwards (rows that moved are written again, with
# what hangs from them), and the card reads back as applied.
cp "$T/out" "$T/cur.json"
"$EDIT" "$T/cur.json" \
	'progress.by_indicator[1].activities[0].items[0]={"text": "맨 앞에 끼운 항목", "date": "2019-01-02"}' \
	'progress.by_indicator[0].activities[0].items=[{"text": "시행규칙 공포", "date": "2019-04-04"}]' \
	'indicator_sets[0].indicators[0].name="이름을 바꾼 지표"' \
	'budget.periods=["2019", "2020", "2021", "2022-H1", "2022-07+"]' \
	'budget.sources.city.amounts={"2019": {"secured": 40, "executed": 15}, "2021": {"secured": 29, "executed": 0}, "2020": {"secured": 32, "executed": 14}}' \
	>"$T/moved.json"
expect_rc 0 yk apply -f "$T/moved.json"
doc_is_rows || fail "the stored document is not the one its rows make (rows moved)"
expect_rc 0 yk get SW7-GOV-01 -o json
"$CMP" "$T/moved.json" "$T/out" || fail "the card with rows moved read back differs from the one applied"
[ "$(jq -c '.budget.sources.city.amounts | keys_unsorted' "$T/out")" = '["2019","2021","2020"]' ] ||
	fail "the amounts' order: $(jq -c '.budget.sources.city.amounts | keys_unsorted' "$T/out")"
pass "an applied card with rows inserted, removed, moved and changed is stored as applied"

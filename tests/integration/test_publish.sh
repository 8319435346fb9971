#!/usr/bin/env bash
# yaksok publish: the public site of the approved record.  Two rounds
# approved (the example's card among four pledges, then a generated city of
# 40); a working copy changed after approval carries a marker that must not
# appear anywhere in the bundle, nor any account's login.  The signed
# manifest verifies; a changed, a removed and an added file are each named;
# every internal link resolves; the feed and the sitemap are XML with
# Atom's required elements; the JSON equals `get` of the approved versions;
# a second publish writes nothing, and after one card changes only its
# pages, the lists, the data and the manifest.
source "$(dirname "$0")/lib.sh"
setup_all
ART=${YK_ARTIFACTS:-$T}/publish
rm -rf "$ART" && mkdir -p "$ART"
EX=$YK_SRC/examples/suwon-governance.yaml
EDIT=$YK_BIN/docedit

# ---------------------------------------------------------------- the record
for d in 정책기획과 노인복지과 교통정책과; do expect_rc 0 yk department add "$d"; done
add_user coordqx7 coordinator 정책기획과
add_user deptzq1 department 정책기획과
add_user deptzq2 department 노인복지과
add_user deptzq3 department 교통정책과
C() { YK_USER=coordqx7 yk "$@"; }
"$EDIT" "$EX" 'status="in_progress"' 'progress_pct=80' >"$T/p1.json" || fail "docedit"
"$EDIT" "$EX" 'code="WEL-01"' 'department="노인복지과"' 'title="어르신 돌봄 <확대> & \"안심\""' 'status="delayed"' \
	'area="복지"' >"$T/p2.json"
"$EDIT" "$EX" 'code="TRN-01"' 'department="교통정책과"' 'title="버스 노선 개편"' 'status="in_progress"' 'area="교통"' \
	'progress_pct=40' >"$T/p3.json"
"$EDIT" "$EX" 'code="TRN-02"' 'department="교통정책과"' 'title="자전거 도로"' 'status="not_started"' 'area="교통"' \
	'progress_pct=0' >"$T/p4.json"
YK_USER=deptzq1 expect_rc 0 yk apply -f "$T/p1.json"
YK_USER=deptzq2 expect_rc 0 yk apply -f "$T/p2.json"
YK_USER=deptzq3 expect_rc 0 yk apply -f "$T/p3.json"
YK_USER=deptzq3 expect_rc 0 yk apply -f "$T/p4.json"

add_user mayorqx9 approver
add_user evalqx8 evaluator
M() { YK_USER=mayorqx9 yk "$@"; }
approve() { # ROUND CODE:USER:PROGRESS...: the department reports (which dates the card), submits; approved
	local round=$1 code user pct
	shift
	for cup in "$@"; do
		IFS=: read -r code user pct <<<"$cup"
		YK_USER=$user expect_rc 0 yk status set "$code" --progress "$pct"
		YK_USER=$user expect_rc 0 yk submit "$code" --round "$round"
		expect_rc 0 C review "$code" --round "$round" --approve
	done
}
expect_rc 0 C round open 2021-Q1 --as-of 2021-03-31 --due 2099-12-31
approve 2021-Q1 SW7-GOV-01:deptzq1:80 WEL-01:deptzq2:50 TRN-01:deptzq3:40 TRN-02:deptzq3:0
expect_rc 0 C round close 2021-Q1
# the second quarter: one pledge completes (on evidence), one gets a change
# approved through a request
expect_rc 0 C round open 2021-Q2 --as-of 2021-06-30 --due 2099-12-31
echo "준공검사" >"$T/준공.txt"
YK_USER=deptzq3 expect_rc 0 yk status set TRN-01 --status completed --progress 100 --reason "준공" --evidence "$T/준공.txt"
expect_rc 0 C change confirm 1
"$EDIT" "$T/p2.json" 'target_month="2023-12"' >"$T/p2c.json"
YK_USER=deptzq2 expect_rc 0 yk change propose WEL-01 -f "$T/p2c.json" --reason "국비 확보가 늦어짐"
expect_rc 0 C change review 2 --forward
YK_USER=evalqx8 expect_rc 0 yk change deliberate 2 --opinion "연장 타당" --for 5 --against 0 --abstain 1
expect_rc 0 M change approve 2 --effective 2021-05-20
approve 2021-Q2 SW7-GOV-01:deptzq1:85 WEL-01:deptzq2:55 TRN-01:deptzq3:100
expect_rc 0 C round close 2021-Q2
# after approval: a working copy that must stay inside
MARK=WORKINGCOPY-ONLY-7731
YK_USER=deptzq3 expect_rc 0 yk progress add TRN-02 --indicator "$MARK" --activity "$MARK" --text "$MARK 내부 작업" --date 2021-07-01
expect_rc 0 yk get TRN-02 -o json
grep -q "$MARK" "$T/out" || fail "the marker is not in the working copy: the test tests nothing"
pass "two rounds approved; a working copy carries a marker"

# ---------------------------------------------------------------- refusals
expect_rc 2 C publish --city 수원시
expect_rc 2 C publish --out "$T/x"
expect_rc 2 C publish --out "$T/x" --city 수원시 --base-url "javascript:alert(1)"
YK_USER=deptzq1 expect_rc 5 yk publish --out "$T/x" --city 수원시
expect_rc 3 C publish --out "$T/x" --city 수원시 --round 2020-Q9
expect_rc 0 yk publish --help
grep -q "publish verify DIR --key" "$T/out" || fail "publish --help"
pass "publish: usage errors, a department account refused, an unknown round"

# ---------------------------------------------------------------- keys
expect_rc 0 yk publish keygen --out "$T/city.key"
[ "$(stat -c %a "$T/city.key")" = 600 ] || fail "the secret key's mode is $(stat -c %a "$T/city.key")"
[ -s "$T/city.key.pub" ] || fail "no public key"
expect_rc 1 yk publish keygen --out "$T/city.key"
grep -q "never overwrites" "$T/err" || fail "keygen over an existing key: $(cat "$T/err")"
cp "$T/city.key" "$T/open.key" && chmod 644 "$T/open.key"
expect_rc 6 C publish --out "$T/x" --city 수원시 --sign-key "$T/open.key"
grep -q "chmod 600" "$T/err" || fail "a key others may read: $(cat "$T/err")"
expect_rc 0 yk publish keygen --out "$T/other.key"
pass "keygen: 0600 secret, .pub; never overwrites; a key others may read is refused"

# ---------------------------------------------------------------- publish
S=$T/site
BASE=https://yaksok.example.go.kr/공약/
expect_rc 0 C publish --out "$S" --city 수원시 --base-url "$BASE" --sign-key "$T/city.key"
grep -q "published 4 pledges" "$T/out" || fail "publish: $(cat "$T/out")"
for f in index.html dashboard.html 404.html feed.atom sitemap.xml manifest.json manifest.json.sig data/index.html \
	data/pledges.csv data/pledges.json data/pledges.xlsx data/pledge/WEL-01.json pledge/WEL-01.html \
	pledge/WEL-01/2021-Q1.html pledge/WEL-01/2021-Q2.html assets/site.css assets/site.js status/delayed.html; do
	[ -s "$S/$f" ] || fail "the site has no $f"
done
ls "$S"/dept/*.html "$S"/area/*.html >/dev/null || fail "no department or area pages"
[ "$(ls "$S"/dept/*.html | wc -l)" = 3 ] || fail "a page per department"
expect_rc 0 yk publish verify "$S" --key "$T/city.key.pub"
grep -q "files match" "$T/out" || fail "verify: $(cat "$T/out")"
expect_rc 6 yk publish verify "$S" --key "$T/other.key.pub"
grep -q "does not match the key" "$T/err" || fail "verify with another key: $(cat "$T/err")"
pass "publish: the whole site, signed; verify passes with the city's key and fails with another"

# nothing of the working copy, no login, no address
if grep -rl "$MARK" "$S"; then fail "the working copy's marker is in the bundle"; fi
for login in coordqx7 deptzq1 deptzq2 deptzq3 mayorqx9 evalqx8 '"admin"' 127.0.0.1; do
	if grep -rlF "$login" "$S"; then fail "$login appears in the bundle"; fi
done
unzip -p "$S/data/pledges.xlsx" | grep -c "$MARK" >"$T/n" || true
[ "$(cat "$T/n")" = 0 ] || fail "the marker is inside the workbook"
pass "no working copy, account login or client address anywhere in the bundle (workbook included)"

# the JSON equals get of the approved versions, less the accounts' logins
scrub='del(.updated_by) | if .changes then .changes |= map(del(.decided_by)) else . end'
for code in SW7-GOV-01 WEL-01 TRN-01 TRN-02; do
	expect_rc 0 yk get "$code" --approved -o json
	jq -S "$scrub" "$T/out" >"$T/want.json" || fail "get $code is not JSON"
	jq -S . "$S/data/pledge/$code.json" >"$T/got.json" || fail "data/pledge/$code.json is not JSON"
	diff "$T/want.json" "$T/got.json" >/dev/null || fail "data/pledge/$code.json differs from get --approved"
	jq -e --arg c "$code" '[.[] | select(.code == $c)] | length == 1' "$S/data/pledges.json" >/dev/null ||
		fail "pledges.json lacks $code"
done
jq -e '[.[] | select(.code == "TRN-02")][0].version == 2' "$S/data/pledges.json" >/dev/null ||
	fail "TRN-02: not its approved version"
jq -e '[.[] | select(.code == "WEL-01")][0].changes | length == 1' "$S/data/pledges.json" >/dev/null ||
	fail "WEL-01: its approved change is not in the record"
[ "$(head -c 3 "$S/data/pledges.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "the CSV has no BOM"
[ "$(grep -c . "$S/data/pledges.csv")" = 5 ] || fail "the CSV: a header and four pledges"
pass "open data: each pledge's JSON equals get --approved; the city's JSON, CSV (BOM) and XLSX"

# the cards: the approved change in its timeline, the status word, HTML escaped
grep -q '국비 확보가 늦어짐' "$S/pledge/WEL-01.html" || fail "WEL-01's change is not on its page"
grep -q 'class="timeline"' "$S/pledge/WEL-01.html" || fail "no timeline"
grep -q '어르신 돌봄 &lt;확대&gt; &amp; &quot;안심&quot;' "$S/index.html" || fail "a title is not escaped"
grep -q '<td>지연</td>\|>지연<' "$S/status/delayed.html" || fail "delayed is 지연"
grep -q '2021년 1분기 보고' "$S/pledge/WEL-01.html" || fail "the earlier round's card is not linked"
grep -q '수원시 공약 이행 현황' "$S/dashboard.html" || fail "the dashboard has no city name"
grep -q '기준일 <time datetime="2021-06-30">' "$S/dashboard.html" || fail "the dashboard has no as-of date"
grep -q '<script' "$S/dashboard.html" && fail "only the list needs a script"
# nothing from another site (the page for missing addresses loads the site's
# own stylesheet by its public address: it is served at any depth)
grep -h -o '\(src\|href\)="http[^"]*\.\(js\|css\)"' $(find "$S" -name '*.html') | grep -v "=\"${BASE}assets/" &&
	fail "a page loads something from another site"
grep -q "href=\"${BASE}assets/site.css\"" "$S/404.html" || fail "404.html: the stylesheet by the base address"
pass "pages: the change as a timeline, 지연 for the status, titles escaped, the dashboard named and dated"

# every internal link resolves
bad=0
while IFS= read -r page; do
	dir=$(dirname "$page")
	grep -o '\(href\|src\)="[^"]*"' "$page" | sed 's/^[a-z]*="//; s/"$//' | while IFS= read -r url; do
		case $url in http://* | https://* | mailto:* | '#'*) continue ;; esac
		target=${url%%#*}
		[ -e "$dir/$target" ] || { echo "$page -> $url"; exit 1; }
	done || bad=1
done < <(find "$S" -name '*.html' ! -name 404.html)
[ "$bad" = 0 ] || fail "a link leads nowhere"
n=$(find "$S" -name '*.html' | wc -l)
grep -q "href=\"${BASE}index.html\"" "$S/404.html" || fail "404 links by the base address"
pass "every internal link of $n pages resolves"

# the feed and the sitemap
xmllint --noout "$S/feed.atom" "$S/sitemap.xml" || fail "not well-formed XML"
X() { xmllint --xpath "$1" "$S/feed.atom" 2>/dev/null; }
for e in id title updated author; do
	[ -n "$(X "/*[local-name()='feed']/*[local-name()='$e']")" ] || fail "the feed has no $e"
done
[ "$(X "namespace-uri(/*)")" = http://www.w3.org/2005/Atom ] || fail "not an Atom feed"
entries=$(X "count(//*[local-name()='entry'])")
[ "$entries" -ge 4 ] || fail "the feed has $entries entries"
for e in id title updated link; do
	[ "$(X "count(//*[local-name()='entry']/*[local-name()='$e'])")" -ge "$entries" ] || fail "an entry without $e"
done
X "//*[local-name()='entry']/*[local-name()='title']/text()" >"$T/titles"
grep -q '완료: 버스 노선 개편' "$T/titles" || fail "the completion is not in the feed"
grep -q '사업변경: 어르신' "$T/titles" || fail "the change is not in the feed"
grep -q '2021년 2분기 보고 승인' "$T/titles" || fail "the approved round is not in the feed"
X "//*[local-name()='entry']/*[local-name()='updated']/text()" >"$T/dates"
sort -r "$T/dates" | diff - "$T/dates" >/dev/null || fail "the feed is not newest first"
[ "$(xmllint --xpath "count(//*[local-name()='loc'])" "$S/sitemap.xml")" = "$(find "$S" -name '*.html' ! -name 404.html | wc -l)" ] ||
	fail "the sitemap does not list every page"
pass "feed.atom ($entries entries, newest first) and sitemap.xml"

# ---------------------------------------------------------------- deterministic
expect_rc 0 C publish --out "$S" --city 수원시 --base-url "$BASE" --sign-key "$T/city.key"
grep -q " 0 written" "$T/out" || fail "publishing the same record again rewrote files: $(cat "$T/out")"
C publish --out "$T/site2" --city 수원시 --base-url "$BASE" --sign-key "$T/city.key" >/dev/null 2>&1 || fail "second folder"
diff -r "$S" "$T/site2" >/dev/null || fail "the same record gave different bytes"
pass "the same record gives byte-identical files; a second publish writes nothing"

# one card changes in a new round: its pages, the lists and the data change, not the other cards
(cd "$S" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/before.sum"
expect_rc 0 C round open 2021-Q3 --as-of 2021-09-30 --due 2099-12-31
approve 2021-Q3 WEL-01:deptzq2:70
expect_rc 0 C round close 2021-Q3
expect_rc 0 C publish --out "$S" --city 수원시 --base-url "$BASE" --sign-key "$T/city.key"
grep -q "written" "$T/out" || fail "publish after a change: $(cat "$T/out")"
(cd "$S" && find . -type f -exec sha256sum {} + | sort -k2) >"$T/after.sum"
join -1 2 -2 2 <(sort -k2 "$T/before.sum") <(sort -k2 "$T/after.sum") | awk '$2 != $3 {print $1}' >"$T/changed"
grep -q '^./pledge/WEL-01.html$' "$T/changed" || fail "WEL-01's page did not change"
for f in ./pledge/SW7-GOV-01.html ./pledge/TRN-01.html ./pledge/TRN-02.html ./pledge/SW7-GOV-01/2021-Q1.html \
	./data/pledge/TRN-01.json; do
	grep -qx "$f" "$T/changed" && fail "$f changed though its card did not"
done
grep -q '^./pledge/WEL-01/2021-Q3.html$' <(cd "$S" && find . -type f) || fail "the new round's card of WEL-01"
expect_rc 0 yk publish verify "$S" --key "$T/city.key.pub"
pass "after one card changed: $(wc -l <"$T/changed") files changed ($(tr "\n" " " <"$T/changed")), the other cards' pages did not"

# ---------------------------------------------------------------- in a browser
# axe-core in Debian's Chromium on the index, a card (with its change
# timeline), the dashboard, a department and the data dictionary, at 1280
# and 360 px; filters and search with and without JavaScript; screenshots
# kept in $ART/browser.
WEB=$YK_SRC/tests/web
[ -d "$WEB/node_modules/puppeteer-core" ] && [ -d "$WEB/node_modules/axe-core" ] ||
	fail "tests/web has no node_modules: scripts/test.sh installs them (npm ci)"
mkdir -p "$ART/browser"
(cd "$WEB" && timeout 300 node site.mjs "$S" "$ART/browser" pledge/WEL-01.html 버스) >"$T/web.out" 2>&1 ||
	{ cat "$T/web.out" >&2; fail "the site in Chromium"; }
cat "$T/web.out"
[ "$(grep -c '^ok: .* no axe violations' "$T/web.out")" = 10 ] || fail "not every page was checked at both widths"
pass "in Chromium: zero axe violations on five page types at two widths; filters with and without JavaScript"

# ---------------------------------------------------------------- tampering
cp -r "$S" "$T/bad"
printf 'X' | dd of="$T/bad/pledge/TRN-01.html" bs=1 seek=100 conv=notrunc 2>/dev/null
rm "$T/bad/data/pledges.csv"
echo '<script>steal()</script>' >"$T/bad/evil.html"
expect_rc 6 yk publish verify "$T/bad" --key "$T/city.key.pub"
grep -qx "changed: pledge/TRN-01.html" "$T/out" || fail "verify does not name the changed file: $(cat "$T/out")"
grep -qx "missing: data/pledges.csv" "$T/out" || fail "verify does not name the missing file"
grep -qx "extra: evil.html" "$T/out" || fail "verify does not name the extra file"
cp "$S/manifest.json" "$T/bad/manifest.json"
sed -i 's/"size": 1/"size": 2/' "$T/bad/manifest.json"
expect_rc 6 yk publish verify "$T/bad" --key "$T/city.key.pub"
grep -q "does not match the key" "$T/err" || fail "an edited manifest passes the signature"
pass "verify names a changed, a missing and an extra file; an edited manifest fails its signature"

# ---------------------------------------------------------------- a generated city
mkdir -p "$T/gen" && "$YK_BIN/gencity" "$T/gen" 40 8 >/dev/null || fail "gencity"
while read -r d; do yk department add "$d" >/dev/null 2>&1; done <"$T/gen/departments.txt"
for f in "$T"/gen/p*.json; do
	jq '.as_of = "2021-12-31"' "$f" >"$f.q4" && expect_rc 0 yk apply -f "$f.q4"
done
expect_rc 0 C round open 2021-Q4 --as-of 2021-12-31 --due 2099-12-31
for f in "$T"/gen/p*.json; do
	code=$(jq -r .code "$f")
	expect_rc 0 yk submit "$code" --round 2021-Q4
	expect_rc 0 C review "$code" --round 2021-Q4 --approve
done
expect_rc 0 C publish --out "$ART/site" --city 수원시 --round 2021-Q4 --sign-key "$T/city.key"
grep -q "published 40 pledges (2021-Q4)" "$T/out" || fail "publish --round: $(cat "$T/out")"
expect_rc 0 yk publish verify "$ART/site" --key "$T/city.key.pub"
[ "$(jq length "$ART/site/data/pledges.json")" = 40 ] || fail "--round R: only the cards approved in R"
pass "a generated city of 40 pledges published for one round (kept at $ART/site for the browser test)"

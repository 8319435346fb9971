// One card as `yaksok show --format html` writes it, in Debian's Chromium:
// zero axe-core violations of WCAG 2.1 A/AA; the card's merged cells merged
// (당초 over its indicators, 누적 추진율 over 목표 and 현재, each indicator of
// section 4 over its activities, the year over its quarters); numbers
// right-aligned; Korean words kept whole; lists with the card's own marks;
// a screenshot at 1280 px and the page printed to A4 (both kept in ART for a
// person to compare with the paper card).
//
// usage: node card.mjs CARD_HTML ART_DIR
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [card, art] = process.argv.slice(2);
if (!card || !art) {
  console.error('usage: node card.mjs CARD_HTML ART_DIR');
  process.exit(2);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let failures = 0;
const fail = (what) => { console.error(`FAIL: ${what}`); failures++; };
const ok = (what) => console.log(`ok: ${what}`);

const profile = mkdtempSync(join(tmpdir(), 'yaksok-chrome-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(resolve(card)).href, { waitUntil: 'load' });

  await page.evaluate(axeSource);
  const found = await page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
      .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  if (found.length) fail(`axe: ${found.join('; ')}`);
  else ok('axe: no WCAG 2.1 A/AA violation');

  // a merged cell is as tall as the rows it covers, and they have no cell of
  // their own in its column
  const merges = await page.evaluate(() => {
    const out = {};
    const cell = (text) => [...document.querySelectorAll('td, th')].find((c) => c.textContent.trim() === text);
    const covers = (c) => {
      if (!c) return null;
      const tr = c.parentElement, rows = [...tr.parentElement.children];
      const at = rows.indexOf(tr), sum = rows.slice(at, at + c.rowSpan)
        .reduce((h, r) => h + r.getBoundingClientRect().height, 0);
      return { rowSpan: c.rowSpan, tall: Math.abs(c.getBoundingClientRect().height - sum) < 2 };
    };
    out.basis = covers(cell('당초'));
    out.cumulative = covers(cell('누적 추진율'));
    out.division = covers(cell('구 분'));
    // the budget table's 2021년 stands over 확보 and 집행; section 3's over its quarters
    out.year = Math.max(0, ...[...document.querySelectorAll('th')].filter((c) => c.textContent.trim() === '2021년')
      .map((c) => c.colSpan));
    // section 4: the indicator's cell beside its activity, one row each
    const ind = cell('시민 및 공무원 대상 교육 실시');
    out.activities = covers(ind);
    out.activityText = ind ? ind.parentElement.cells[1].textContent.startsWith('○ 2019 공직자·시민 협치 교육') : false;
    const num = document.querySelector('td.num');
    out.numAlign = num ? getComputedStyle(num).textAlign : '';
    out.keepAll = getComputedStyle(document.body).wordBreak;
    // lists carry the card's own marks, and no bullet of the browser's besides
    const li = [...document.querySelectorAll('li')].find((e) => e.textContent.includes('사업기간'));
    out.mark = li ? li.textContent.startsWith('- 사업기간') && getComputedStyle(li.parentElement).listStyleType === 'none' : false;
    return out;
  });
  const spans = { basis: 3, cumulative: 2, division: 2, activities: 3 };
  for (const [k, n] of Object.entries(spans)) {
    const m = merges[k];
    if (!m || m.rowSpan !== n || !m.tall) fail(`${k}: not one cell over ${n} rows: ${JSON.stringify(m)}`);
  }
  if (merges.year !== 4) fail(`2021년 does not stand over its four quarters (colspan ${merges.year})`);
  if (!merges.activityText) fail('section 4: the activity is not beside its indicator');
  if (merges.numAlign !== 'right') fail(`numbers are aligned ${merges.numAlign}`);
  if (merges.keepAll !== 'keep-all') fail(`Korean words may break: word-break ${merges.keepAll}`);
  if (!merges.mark) fail('a list item does not carry the card\'s own mark alone');
  if (!failures) ok('merged cells span their rows; the year over its quarters; numbers right; words whole');

  await page.screenshot({ path: join(art, 'card-1280.png'), fullPage: true });
  await page.emulateMediaType('print');
  await page.pdf({ path: join(art, 'card-print.pdf'), preferCSSPageSize: true, printBackground: true });
  ok('screenshot and A4 print kept');
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);

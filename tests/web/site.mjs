// The published site in a real browser: axe-core in Debian's Chromium on the
// five kinds of page at 1280 and 360 px (zero violations of WCAG 2.1 A/AA),
// nothing scrolling sideways at 360 px but the tables' own boxes, focus
// visible, the list's filters and search with JavaScript and the pages per
// filter without it, the 404 page, a card printed on A4.  Screenshots of
// each page at each width go to ART.
//
// usage: node site.mjs SITE_DIR ART_DIR PLEDGE_PAGE SEARCH_WORD
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import puppeteer from 'puppeteer-core';

const [site, art, pledgePage, searchWord] = process.argv.slice(2);
if (!site || !art || !pledgePage || !searchWord) {
  console.error('usage: node site.mjs SITE_DIR ART_DIR PLEDGE_PAGE SEARCH_WORD');
  process.exit(2);
}
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let failures = 0;
const fail = (what) => { console.error(`FAIL: ${what}`); failures++; };
const ok = (what) => console.log(`ok: ${what}`);

// A static server as any web server would be: files as they are, 404.html
// for what is missing.
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.atom': 'application/atom+xml', '.xml': 'application/xml', '.csv': 'text/csv',
  '.xlsx': 'application/octet-stream', '.sig': 'text/plain' };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
  let file = join(site, path || 'index.html');
  let status = 200;
  try {
    if (path.startsWith('..') || !statSync(file).isFile()) throw new Error('not a file');
  } catch {
    file = join(site, '404.html');
    status = 404;
  }
  res.writeHead(status, { 'content-type': types[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'yaksok-chrome-'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME || '/usr/bin/chromium',
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => fail(`script error: ${e.message}`));

  const pages = { index: 'index.html', card: pledgePage, dashboard: 'dashboard.html', department: 'dept/001.html',
    dictionary: 'data/index.html' };
  for (const width of [1280, 360]) {
    await page.setViewport({ width, height: 900 });
    for (const [kind, path] of Object.entries(pages)) {
      const resp = await page.goto(base + path, { waitUntil: 'load' });
      if (resp.status() !== 200) fail(`${path}: HTTP ${resp.status()}`);
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }));
      for (const v of result.violations)
        fail(`${path} at ${width}px: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (wide > 0) fail(`${path} at ${width}px: the page scrolls sideways by ${wide}px`);
      await page.screenshot({ path: join(art, `${kind}-${width}.png`), fullPage: true });
      if (!result.violations.length && wide <= 0)
        ok(`${kind} (${path}) at ${width}px: no axe violations (${result.passes.length} rules passed), no sideways scroll`);
    }
  }

  // focus is visible and the filters are reached by the keyboard
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(base + 'index.html', { waitUntil: 'load' });
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      return { id: el.id, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
    });
    if (state.id === 'f-q') {
      reached = true;
      if (state.outline === 'none' || !(state.width > 0)) fail('the search box shows no focus outline');
    }
  }
  if (!reached) fail('the search box is not reached with Tab');
  await page.keyboard.type(searchWord);
  const shown = await page.evaluate(() => [...document.querySelectorAll('#pledges tr')].filter((r) => !r.hidden).map((r) => r.textContent));
  const count = await page.$eval('#count', (e) => e.textContent);
  if (!shown.length || shown.some((t) => !t.includes(searchWord))) fail(`search "${searchWord}": ${shown.length} rows, not all matching`);
  if (count !== `${shown.length}건`) fail(`search: the count says ${count} for ${shown.length} rows`);
  const total = await page.evaluate(() => document.querySelectorAll('#pledges tr').length);
  if (shown.length >= total) fail('search hid nothing: the test tests nothing');
  await page.evaluate(() => { const f = document.getElementById('f-q'); f.value = ''; f.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.select('#f-status', 'completed');
  const statuses = await page.evaluate(() => [...document.querySelectorAll('#pledges tr')].filter((r) => !r.hidden).map((r) => r.dataset.status));
  if (!statuses.length || statuses.some((s) => s !== 'completed')) fail(`status filter: ${statuses}`);
  ok(`with JavaScript: Tab reaches the search box (focus outlined); "${searchWord}" leaves ${shown.length} of ${total}; 완료 leaves ${statuses.length}`);

  // without JavaScript: no half-working form; the pages per filter do the work
  await page.setJavaScriptEnabled(false);
  await page.goto(base + 'index.html', { waitUntil: 'load' });
  if (await page.$eval('#filters', (f) => f.offsetParent !== null)) fail('without JavaScript the filter form shows');
  await Promise.all([page.waitForNavigation(), page.click('a[href="status/completed.html"]')]);
  const rows = await page.evaluate(() => [...document.querySelectorAll('#pledges tr')].map((r) => r.dataset.status));
  if (!page.url().endsWith('status/completed.html') || !rows.length || rows.some((s) => s !== 'completed'))
    fail(`without JavaScript, 완료 leads to ${page.url()} with ${rows}`);
  const current = await page.$eval('[aria-current=page]', (a) => a.textContent);
  if (!current.startsWith('완료')) fail(`the current filter is not marked: ${current}`);
  await page.screenshot({ path: join(art, 'filter-nojs-1280.png'), fullPage: true });
  ok(`without JavaScript: the form stays hidden; 상태 완료 is a page of ${rows.length} rows, marked current`);
  await page.setJavaScriptEnabled(true);

  // a missing page
  const missing = await page.goto(base + 'pledge/NO-SUCH.html', { waitUntil: 'load' });
  const h1 = await page.$eval('h1', (e) => e.textContent);
  if (missing.status() !== 404 || !h1.includes('찾을 수 없습니다')) fail(`404: ${missing.status()} ${h1}`);
  else ok('a missing address gets the 404 page');

  // a card on A4
  await page.goto(base + pledgePage, { waitUntil: 'load' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(art, 'card-a4.pdf'), pdf);
  const text = Buffer.from(pdf).toString('latin1');
  const mediabox = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  if (!mediabox || Math.abs(+mediabox[1] - 595) > 2 || Math.abs(+mediabox[2] - 842) > 2)
    fail(`the card does not print on A4: ${mediabox && mediabox[0]}`);
  else ok(`the card prints on A4 (${(text.match(/\/Type\s*\/Page[^s]/g) || []).length} pages)`);
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}

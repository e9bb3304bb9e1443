// Loads the landing page of a running jcdd API in Debian's chromium, driven
// by playwright-core, and checks what a reader sees against what the API
// says. Run by landing_test.go (go test ./tools/browser), which starts the
// server; by hand:
//
//   JCDD_BASE_URL=http://127.0.0.1:8080 node tools/browser/landing.mjs
//
// Environment: JCDD_BASE_URL (required), JCDD_CHROMIUM (default
// /usr/bin/chromium), JCDD_SCREENSHOT (where to save a full-page PNG).
// Prints one JSON line describing what was checked; exits 1 when a check
// fails, 2 when the run itself fails or takes longer than 45 seconds.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const base = process.env.JCDD_BASE_URL;
const executablePath = process.env.JCDD_CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.JCDD_SCREENSHOT || '';
if (!base) {
  console.error('JCDD_BASE_URL is not set');
  process.exit(2);
}
// Bounded: the Go test allows a minute for the whole run.
setTimeout(() => {
  console.error('landing.mjs: gave up after 45 s');
  process.exit(2);
}, 45_000).unref();

const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
};
const started = Date.now();

async function getJSON(path) {
  const res = await fetch(new URL(path, base));
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}

// What the page must show, from the API itself.
const summary = await getJSON('/v1/budgets/summary');
const releases = await getJSON('/v1/releases');
const events = await getJSON('/v1/events?limit=500&fields=id');
const current = releases.items.find((r) => r.current);
if (!current) throw new Error('/v1/releases names no current release');
const key = (agency, fy, fyTo, stage) => [agency, fy, fyTo || '', stage].join('|');
const expectedBars = summary.items.map((r) => key(r.agency, r.fiscal_year, r.fiscal_year_to, r.stage)).sort();

const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 20_000,
  // Never let playwright fetch a browser of its own: Debian's, with these flags.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
const report = { url: new URL('/', base).href, release: current.version };
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors = [];
  const failedRequests = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => failedRequests.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${r.url()}: HTTP ${r.status()}`);
  });

  const res = await page.goto(report.url, { waitUntil: 'load' });
  check(res && res.status() === 200, `GET / answered ${res && res.status()}`);
  check((res.headers()['content-security-policy'] || '').includes("default-src 'none'"), 'no strict Content-Security-Policy');

  // No script runs on the page: its only script element is the JSON-LD data.
  const scripts = await page.$$eval('script', (els) => els.map((e) => e.type));
  check(scripts.length === 1 && scripts[0] === 'application/ld+json', `script elements: ${JSON.stringify(scripts)}`);

  // The budget chart: exactly one bar per row of the summary, that is per
  // (agency, fiscal year or plan period, stage), each drawn with a size.
  const bars = await page.$$eval('#budget-chart [data-stage]', (els) => els.map((e) => {
    const b = e.getBBox();
    return { key: [e.dataset.agency, e.dataset.fiscalYear, e.dataset.fiscalYearTo || '', e.dataset.stage].join('|'), w: b.width, h: b.height };
  }));
  const gotBars = bars.map((b) => b.key).sort();
  check(JSON.stringify(gotBars) === JSON.stringify(expectedBars),
    `budget bars differ from /v1/budgets/summary:\n  page: ${gotBars.join(', ')}\n  API:  ${expectedBars.join(', ')}`);
  check(bars.every((b) => b.w > 0 && b.h > 0), 'a budget bar has no size');
  const stages = [...new Set(summary.items.map((r) => r.stage))].sort();
  const legend = (await page.$$eval('[data-legend-stage]', (els) => els.map((e) => e.dataset.legendStage))).sort();
  check(JSON.stringify(legend) === JSON.stringify(stages), `legend ${legend} is not the stages ${stages}`);
  report.bars = bars.length;

  // The timeline's overview: one mark per event.
  const marks = await page.$$eval('#timeline-chart [data-panel=overview] [data-event-id]', (els) => els.map((e) => e.dataset.eventId));
  check(JSON.stringify([...marks].sort()) === JSON.stringify(events.items.map((e) => e.id).sort()),
    `timeline marks (${marks.length}) are not the events (${events.items.length})`);
  report.events = marks.length;

  // The JSON-LD parses, is a Dataset and names the current release.
  const ld = JSON.parse(await page.textContent('script[type="application/ld+json"]'));
  check(ld['@type'] === 'Dataset' && ld.version === current.version, `JSON-LD: @type ${ld['@type']}, version ${ld.version}; want Dataset ${current.version}`);
  check((ld.distribution || []).some((d) => d.name === current.bundle.name && d.encodingFormat === 'application/zip'),
    'JSON-LD has no distribution for the current bundle');

  // The download link gives a zip whose SHA-256 is the one printed beside it
  // (and the one the index publishes).
  const printed = (await page.textContent('#current-sha256')).trim();
  check(printed === current.bundle.sha256, `page prints sha256 ${printed}, /v1/releases says ${current.bundle.sha256}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#current-download')]);
  const zip = await readFile(await download.path());
  const sum = createHash('sha256').update(zip).digest('hex');
  check(zip.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), 'the download is not a zip file');
  check(sum === printed, `the download's sha256 is ${sum}, the page prints ${printed}`);
  check(download.suggestedFilename() === current.bundle.name, `saved as ${download.suggestedFilename()}, want ${current.bundle.name}`);
  report.download = { name: download.suggestedFilename(), bytes: zip.length, sha256: sum };

  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: true });
    report.screenshot = screenshot;
  }

  // The Japanese page: linked from the English one (hreflang both ways),
  // in Japanese, with the same two charts.
  const hreflang = await page.$$eval('link[rel=alternate][hreflang]', (els) => els.map((e) => `${e.hreflang}=${e.getAttribute('href')}`).sort());
  check(JSON.stringify(hreflang) === JSON.stringify(['en=/', 'ja=/ja/']), `hreflang links: ${hreflang}`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#other-language')]);
  check(new URL(page.url()).pathname === '/ja/', `the language link led to ${page.url()}`);
  check((await page.getAttribute('html', 'lang')) === 'ja', 'the Japanese page is not lang="ja"');
  const headings = await page.$$eval('h2', (els) => els.map((e) => e.textContent));
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
  check(headings.length >= 5 && headings.filter((h) => japanese.test(h)).length >= 5, `Japanese page headings: ${headings.join(' | ')}`);
  const jaBars = await page.$$eval('#budget-chart [data-stage]', (els) => els.length);
  const jaMarks = await page.$$eval('#timeline-chart [data-panel=overview] [data-event-id]', (els) => els.length);
  check(jaBars === bars.length && jaMarks === marks.length, `Japanese charts: ${jaBars} bars and ${jaMarks} marks, want ${bars.length} and ${marks.length}`);
  check((await page.getAttribute('#other-language', 'href')) === '/', 'the Japanese page does not link back to the English one');
  report.ja = { headings, bars: jaBars, events: jaMarks };
  if (screenshot) {
    const ja = screenshot.replace(/\.png$/, '') + '-ja.png';
    await page.screenshot({ path: ja, fullPage: true });
    report.screenshotJA = ja;
  }
  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  check(failedRequests.length === 0, `failed requests: ${failedRequests.join(' | ')}`);
  await context.close();
} finally {
  await browser.close();
}
report.ms = Date.now() - started;
report.failures = failures;
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);

#!/usr/bin/env node
// Browser test of the staff insights page (/admin/insights) against a running Coursebot: Debian's Chromium,
// driven headless by playwright-core, like browser-test.mjs. Fetches the JSON report itself first, then opens
// the page, types a wrong token (the page must say so), then the right one, picks the period and checks that the
// page shows the report's own numbers: questions, covered share, helpful share, one bar per day, one row per gap
// with its size, the never-cited count, the exercises asked for with their counts. Also checks that the token is kept nowhere but in the page's memory
// (not in localStorage, sessionStorage, cookies or the URL). Saves a full-page screenshot and prints its path.
// Exit code 0 = pass, 1 = fail. By hand:
//
//   deploy/local/tools.sh                    # once: chromium + playwright-core (npm ci)
//   ADMIN_TOKEN=... CHAT_URL=http://127.0.0.1:8080/ node deploy/local/insights-browser-test.mjs
//
// Environment:
//   ADMIN_TOKEN   the admin token (required)
//   CHAT_URL      the chat-service's base URL (default http://127.0.0.1:8080/)
//   SINCE         the period to pick: 24h, 7d, 30d or 90d (default 7d)
//   SCREENSHOT    where to save the screenshot (default: $TMPDIR/coursebot-insights-<time>.png)
//   CHROMIUM      browser executable (default /usr/bin/chromium)
//   TIMEOUT_MS    how long to wait for the report (default 30000)
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const env = process.env;
const CHAT_URL = (env.CHAT_URL || 'http://127.0.0.1:8080/').replace(/\/*$/, '/');
const TOKEN = env.ADMIN_TOKEN;
const SINCE = env.SINCE || '7d';
const SCREENSHOT = env.SCREENSHOT || join(tmpdir(), `coursebot-insights-${Date.now()}.png`);
const TIMEOUT = Number(env.TIMEOUT_MS || 30000);
const PAGE_URL = new URL('admin/insights', CHAT_URL).href;
const WRONG_TOKEN = 'not-the-admin-token-0000';

if (!TOKEN) {
  console.error('insights-browser-test: set ADMIN_TOKEN to the admin token');
  process.exit(1);
}

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
/** The page's rounding (admin-insights.js percent()). */
const percent = (share) => (share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`);
const digits = (text) => text.replace(/\D/g, '');

// The report as the API gives it: what the page must show.
const res = await fetch(new URL(`admin/insights?since=${encodeURIComponent(SINCE)}`, CHAT_URL), {
  headers: { Accept: 'application/json', Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(TIMEOUT),
});
if (res.status !== 200) {
  console.log(`FAIL GET /admin/insights?since=${SINCE} as JSON answered ${res.status}: ${await res.text()}`);
  process.exit(1);
}
const report = await res.json();
console.log(`info report: ${report.questions} questions, ${report.days?.length} days, ${report.gaps?.length} gaps, `
  + `${report.neverCitedCount} sections never cited, enabled ${report.enabled}`);

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => check(false, `no script error on the page (${e.message})`));
  const foreign = [];
  page.on('request', (r) => { if (new URL(r.url()).origin !== new URL(CHAT_URL).origin) foreign.push(r.url()); });

  const pageResponse = await page.goto(PAGE_URL, { waitUntil: 'domcontentloaded' });
  check(pageResponse.status() === 200 && (pageResponse.headers()['content-type'] || '').includes('text/html'),
    `GET /admin/insights for a browser answers the page (${pageResponse.status()} ${pageResponse.headers()['content-type']})`);

  /** Waits for the page's own GET of the report after pressing Load. */
  async function load() {
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/admin/insights')
      && r.request().resourceType() === 'fetch');
    await page.locator('#load').click();
    return answered;
  }

  // A wrong token first: the page must say so and show no report.
  await page.locator('#token').fill(WRONG_TOKEN);
  const wrong = await load();
  check(wrong.status() === 401, `the wrong token is refused (${wrong.status()})`);
  await page.locator('#error').waitFor({ state: 'visible' });
  const wrongText = await page.locator('#error').innerText();
  check(/wrong token/i.test(wrongText), `the page says "wrong token" (${wrongText})`);
  check(!(await page.locator('#report').isVisible()), 'no report is shown for a wrong token');

  // Then the right one, with the period.
  await page.locator('#token').fill(TOKEN);
  await page.locator('#since').selectOption(SINCE);
  const right = await load();
  check(right.status() === 200, `the admin token is accepted (${right.status()})`);
  check(new URL(right.url()).searchParams.get('since') === SINCE, `the page asked for since=${SINCE} (${right.url()})`);
  await page.locator('#report').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('#report').getAttribute('aria-busy') === 'false');
  check(!(await page.locator('#error').isVisible()), 'no error shown after the right token');

  // The token is in the page's memory only.
  const kept = await page.evaluate((token) => ({
    local: Object.keys(localStorage).some((k) => localStorage.getItem(k).includes(token)) || localStorage.length > 0,
    session: Object.keys(sessionStorage).some((k) => sessionStorage.getItem(k).includes(token)) || sessionStorage.length > 0,
    url: location.href.includes(token) || location.href.includes(encodeURIComponent(token)),
    cookie: document.cookie.includes(token),
  }), TOKEN);
  const cookies = await page.context().cookies();
  check(!kept.local && !kept.session, 'nothing stored in localStorage or sessionStorage');
  check(!kept.url && !page.url().includes(TOKEN), `the token is not in the URL (${page.url()})`);
  check(!kept.cookie && !cookies.some((c) => c.value.includes(TOKEN)), `the token is not in a cookie (${cookies.length} cookie(s))`);
  check(page.url() === PAGE_URL, `the page stayed at ${PAGE_URL} (no form submission)`);

  // The numbers are the report's.
  const metric = (name) => page.locator(`#summary [data-metric="${name}"]`).innerText();
  const questions = await metric('questions');
  check(digits(questions) === String(report.questions), `questions shown: ${questions} (report ${report.questions})`);
  const covered = await metric('coveredShare');
  check(covered.trim() === percent(report.coveredShare), `covered share shown: ${covered} (report ${report.coveredShare} → ${percent(report.coveredShare)})`);
  const helpful = await metric('helpfulShare');
  check(helpful.trim() === percent(report.feedback?.helpfulShare),
    `helpful share shown: ${helpful} (report ${report.feedback?.helpfulShare} of ${report.feedback?.answers} answers)`);
  for (const p of ['p50', 'p95']) {
    const shown = await metric(p);
    const want = report.latencyMs?.[p];
    check(want === null || want === undefined ? shown.trim() === '–' : shown.trim() !== '' && shown.trim() !== '–',
      `latency ${p} shown: ${shown} (report ${want} ms)`);
  }

  const bars = await page.locator('#chart svg rect.day-bar').count();
  check(bars === report.days.length, `one bar per day: ${bars} (report ${report.days.length} days)`);

  const rows = page.locator('#gaps tbody tr');
  const rowCount = await rows.count();
  check(rowCount === report.gaps.length, `one row per gap: ${rowCount} (report ${report.gaps.length})`);
  const sizes = await page.locator('#gaps tbody tr td.size').allInnerTexts();
  const wantSizes = report.gaps.map((g) => String(g.size));
  check(sizes.map(digits).join(',') === wantSizes.join(','), `gap sizes shown: [${sizes.join(', ')}] (report [${wantSizes.join(', ')}])`);
  const examples = await page.locator('#gaps tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td:nth-child(3) li').length));
  check(examples.every((n, i) => n === Math.min(3, report.gaps[i].examples?.length ?? 0)), `each gap lists its examples (${examples.join(', ')})`);

  const mostCited = await page.locator('#most-cited li').count();
  check(mostCited === (report.mostCited?.length ?? 0), `most cited sections: ${mostCited} (report ${report.mostCited?.length})`);
  const neverCount = await page.locator('#never-cited-count').innerText();
  check(digits(neverCount) === String(report.neverCitedCount), `never-cited count shown: ${neverCount} (report ${report.neverCitedCount})`);
  const neverItems = await page.locator('#never-cited li').count();
  check(neverItems === (report.neverCited?.length ?? 0), `never-cited sections listed: ${neverItems} (report ${report.neverCited?.length})`);

  const exerciseItems = await page.locator('#exercise-requests li').allInnerTexts();
  const wantExercises = (report.exerciseRequests || []).map((e) => `${e.exercise ?? 'no exercise in particular'} ${e.requests}`);
  const bare = (texts) => texts.map((t) => t.replace(/\s+/g, '')).join('|');
  check(bare(exerciseItems) === bare(wantExercises),
    `exercises asked for: [${exerciseItems.join(' | ')}] (report [${wantExercises.join(' | ')}])`);

  check(foreign.length === 0, `no request beyond the chat-service's origin${foreign.length ? `: ${foreign.join(', ')}` : ''}`);
} catch (e) {
  check(false, e.message);
} finally {
  // Also on failure: the screenshot shows what staff would have seen.
  if (page) {
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`insights page screenshot: ${SCREENSHOT}`);
  }
  await browser.close();
}
console.log(failures.length ? `insights browser test FAILED (${failures.length})` : 'insights browser test passed');
process.exit(failures.length ? 1 : 0);

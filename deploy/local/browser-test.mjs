#!/usr/bin/env node
// Browser test of the chat page against a running Coursebot: Debian's Chromium, driven headless by
// playwright-core. Asks a question with the keyboard, waits for the streamed answer and its citations,
// and checks that each cited #fragment exists in the cited page's HTML (an element with that id, or an
// <a name>). Saves a screenshot and prints its path. Exit code 0 = pass, 1 = fail.
//
//   deploy/local/browser-tools.sh            # once: chromium + playwright-core
//   CHAT_URL=http://127.0.0.1:8080/ node deploy/local/browser-test.mjs
//
// Environment (all optional):
//   CHAT_URL         the chat page (default http://127.0.0.1:8080/)
//   QUESTION         what to ask (default: a question the sample course answers under a heading with an id)
//   EXPECT_FRAGMENT  if set, some citation must carry exactly this fragment (decoded), e.g. receiving-data
//   SCREENSHOT       where to save the screenshot (default: $TMPDIR/coursebot-browser-test-<time>.png)
//   CHROMIUM         browser executable (default /usr/bin/chromium)
//   COURSE_BASE_URL, COURSE_DIR  when a cited page cannot be fetched (the sample course's public base,
//                    https://course.example.org/, does not exist offline), read it from COURSE_DIR instead
//                    (default: the sample course in deploy/demo-course, i.e. the files that were ingested)
//   TIMEOUT_MS       how long to wait for the answer (default 60000)
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const CHAT_URL = env.CHAT_URL || 'http://127.0.0.1:8080/';
const QUESTION = env.QUESTION || 'Why is request.body undefined when my Express app receives a POST with JSON?';
const SCREENSHOT = env.SCREENSHOT || join(tmpdir(), `coursebot-browser-test-${Date.now()}.png`);
const COURSE_BASE_URL = env.COURSE_BASE_URL || 'https://course.example.org/';
const COURSE_DIR = env.COURSE_DIR || join(here, '..', 'demo-course');
const TIMEOUT = Number(env.TIMEOUT_MS || 60000);

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

/** The cited page's HTML: fetched live, else (offline sample course) read from COURSE_DIR. */
async function pageHtml(url) {
  const pageUrl = url.split('#')[0];
  try {
    const res = await fetch(pageUrl, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return { html: await res.text(), from: pageUrl };
  } catch { /* unreachable: try the local copy */ }
  if (pageUrl.startsWith(COURSE_BASE_URL)) {
    let rel = decodeURIComponent(pageUrl.slice(COURSE_BASE_URL.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = join(COURSE_DIR, rel);
    return { html: await readFile(file, 'utf8'), from: file };
  }
  throw new Error(`cannot fetch ${pageUrl} and it is not under COURSE_BASE_URL`);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (e) => check(false, `no script error on the page (${e.message})`));
  await page.goto(CHAT_URL, { waitUntil: 'domcontentloaded' });

  // Count how many times the answer text changes, to see that it arrives in pieces.
  await page.evaluate(() => {
    window.__answerUpdates = 0;
    new MutationObserver(() => { window.__answerUpdates++; })
      .observe(document.body, { subtree: true, characterData: true, childList: true });
  });

  const input = page.getByLabel('Your question');
  await input.fill(QUESTION);
  const responsePromise = page.waitForResponse((r) => r.url().endsWith('/api/chat') && r.request().method() === 'POST', { timeout: TIMEOUT });
  await input.press('Enter'); // keyboard: Enter sends
  const response = await responsePromise;
  check(response.status() === 200, `POST /api/chat answered 200 (got ${response.status()})`);
  check((response.headers()['content-type'] || '').includes('text/event-stream'),
    `the answer is streamed as text/event-stream (got ${response.headers()['content-type']})`);

  const turn = page.locator('.cb-turn').last();
  await Promise.race([
    turn.locator('.cb-citations a').first().waitFor({ timeout: TIMEOUT }),
    turn.locator('.cb-error').waitFor({ timeout: TIMEOUT }).then(async () => {
      throw new Error(`the page shows an error: ${await turn.locator('.cb-error').innerText()}`);
    }),
  ]);
  const answer = (await turn.locator('.cb-answer-text').innerText()).trim();
  const updates = await page.evaluate(() => window.__answerUpdates);
  check(answer.length > 40, `an answer is shown (${answer.length} characters)`);
  check(updates >= 2, `the answer region changed ${updates} times while the answer arrived`);
  check(!(await turn.evaluate((el) => el.classList.contains('cb-not-covered'))), 'the answer is marked as covered by the course');
  check(await page.locator('[aria-live], [role=log]').count() > 0, 'the answer region is a live region');

  const links = await turn.locator('.cb-citations a').evaluateAll((as) => as.map((a) => ({ href: a.href, target: a.target, text: a.textContent })));
  check(links.length > 0, `${links.length} citation link(s) listed`);
  check(links.every((l) => l.target === '_blank'), 'citation links open in a new tab');
  const markers = await turn.locator('.cb-marker').count();
  console.log(`info ${markers} [n] marker(s) in the answer linked to their sources`);

  const withFragment = links.filter((l) => l.href.includes('#'));
  check(withFragment.length > 0, `at least one citation carries a #fragment (${withFragment.length} of ${links.length})`);
  for (const link of withFragment) {
    const fragment = decodeURIComponent(link.href.slice(link.href.indexOf('#') + 1));
    const { html, from } = await pageHtml(link.href);
    // Parse with the browser itself (no resource loading): an element with that id, or <a name>.
    const found = await page.evaluate(([source, frag]) => {
      const doc = new DOMParser().parseFromString(source, 'text/html');
      return Boolean(doc.getElementById(frag) || doc.querySelector(`a[name="${CSS.escape(frag)}"]`));
    }, [html, fragment]);
    check(found, `#${fragment} exists in ${from}`);
  }
  if (env.EXPECT_FRAGMENT) {
    check(withFragment.some((l) => decodeURIComponent(l.href.split('#')[1]) === env.EXPECT_FRAGMENT),
      `a citation points at #${env.EXPECT_FRAGMENT}`);
  }

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`screenshot ${SCREENSHOT}`);
} catch (e) {
  check(false, e.message);
} finally {
  await browser.close();
}
console.log(failures.length ? `browser test FAILED (${failures.length})` : 'browser test passed');
process.exit(failures.length ? 1 : 0);

#!/usr/bin/env node
// Browser test of the chat page against a running Coursebot: Debian's Chromium, driven headless by
// playwright-core. Asks a question with the keyboard, waits for the streamed answer (several token events,
// rendered as they arrive) and its citations, and checks that the cited #fragments exist in the cited pages,
// fetched live (an element with that id, or an <a name>). Then rates the answer "Helpful" and checks that the
// feedback was accepted (POST /api/feedback, 202) and thanked for. Saves a screenshot and prints its path.
// Exit code 0 = pass, 1 = fail. Run in CI by system-tests (SampleCourseSystemTests) against the packaged
// services; by hand:
//
//   deploy/local/tools.sh                    # once: chromium + playwright-core (npm ci)
//   CHAT_URL=http://127.0.0.1:8080/ node deploy/local/browser-test.mjs
//
// Environment (all optional):
//   CHAT_URL         the chat page (default http://127.0.0.1:8080/)
//   QUESTION         what to ask (default: a sample-course question answered under a heading with an id)
//   EXPECT_FRAGMENT  if set, some citation must carry exactly this fragment (decoded), e.g. receiving-data
//   FOLLOW_UP        asked next, in the same conversation (default: a sample-course follow-up of QUESTION)
//   FOLLOW_UP_PAGE   a citation of the follow-up's answer must be on this page (default /part2/a/; empty: no check)
//   SCREENSHOT       where to save the screenshot (default: $TMPDIR/coursebot-browser-test-<time>.png)
//   CHROMIUM         browser executable (default /usr/bin/chromium)
//   TIMEOUT_MS       how long to wait for the answer (default 60000)
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const env = process.env;
const CHAT_URL = env.CHAT_URL || 'http://127.0.0.1:8080/';
const QUESTION = env.QUESTION || 'Why is request.body undefined in my POST handler?';
const FOLLOW_UP = env.FOLLOW_UP || "i already have that line and it's still empty when i send stuff with curl";
const FOLLOW_UP_PAGE = env.FOLLOW_UP_PAGE ?? '/part2/a/';
const SCREENSHOT = env.SCREENSHOT || join(tmpdir(), `coursebot-browser-test-${Date.now()}.png`);
const TIMEOUT = Number(env.TIMEOUT_MS || 60000);

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

/** The cited page's HTML, fetched live: the link must land on a page that is really served. */
async function pageHtml(url) {
  const pageUrl = url.split('#')[0];
  const res = await fetch(pageUrl, { signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error(`GET ${pageUrl} answered ${res.status}`);
  return { html: await res.text(), from: pageUrl };
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
  page.on('pageerror', (e) => check(false, `no script error on the page (${e.message})`));
  await page.goto(CHAT_URL, { waitUntil: 'domcontentloaded' });

  // Count how often the answer text changes: a streamed answer is rendered piece by piece.
  await page.evaluate(() => {
    window.__answerUpdates = 0;
    new MutationObserver((records) => {
      window.__answerUpdates += records.filter((r) => {
        const el = r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentElement;
        return el && el.closest('.cb-answer-text');
      }).length;
    }).observe(document.body, { subtree: true, characterData: true, childList: true });
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
  const stream = await response.text();
  const events = (stream.match(/^event: ?(\S+)/gm) || []).map((l) => l.replace(/^event: ?/, ''));
  const tokens = events.filter((e) => e === 'token').length;
  check(tokens >= 3, `the server streamed the answer in ${tokens} token events`);
  check(events.at(-1) === 'done' && events.includes('citations'), `the stream ends with citations and done (${events.slice(-2).join(', ')})`);
  const answer = (await turn.locator('.cb-answer-text').innerText()).trim();
  const updates = await page.evaluate(() => window.__answerUpdates);
  check(answer.length > 40, `an answer is shown (${answer.length} characters)`);
  check(!/^"|\\n|\\u/.test(answer), 'the answer is shown as text, not as JSON-encoded tokens');
  check(!answer.includes('**'), 'no raw markdown (**) in the shown answer');
  check(updates >= 3, `the answer text was updated ${updates} times while it arrived`);
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
    if (/^page=[1-9]\d*$/.test(fragment)) { // a PDF's page (issue 33): the link must serve a PDF
      const res = await fetch(link.href.split('#')[0], { signal: AbortSignal.timeout(10000) });
      const type = res.headers.get('content-type') || '';
      await res.body?.cancel();
      check(res.ok && type.includes('pdf'), `#${fragment} is a page of a PDF served as ${type} (${link.text.trim()})`);
      continue;
    }
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

  // Feedback: the done event names the answer, and "Helpful" sends it to /api/feedback.
  const doneFrame = stream.split(/\r?\n\r?\n/).find((f) => /^event: ?done\s*$/m.test(f)) || '';
  const doneData = doneFrame.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.replace(/^data: ?/, '')).join('\n');
  const answerId = (() => { try { return JSON.parse(doneData).answerId; } catch (_) { return undefined; } })();
  check(typeof answerId === 'string' && answerId.length > 0, `the done event carries an answerId (${answerId})`);
  if (answerId) { // without it the page rightly offers no feedback control: nothing more to check
    const helpful = turn.getByRole('button', { name: 'Helpful', exact: true });
    const feedbackPromise = page.waitForResponse((r) => r.url().endsWith('/api/feedback') && r.request().method() === 'POST', { timeout: TIMEOUT });
    await helpful.click();
    const feedback = await feedbackPromise;
    const sent = feedback.request().postDataJSON();
    check(feedback.status() === 202,
      `POST /api/feedback answered 202 (got ${feedback.status()}${feedback.status() === 202 ? '' : `: ${await feedback.text()}`})`);
    check(sent.answerId === answerId && sent.helpful === true, `the feedback names the answer and says helpful (${JSON.stringify(sent)})`);
    const thanked = await turn.locator('.cb-feedback-status', { hasText: 'Thanks' }).waitFor({ timeout: 10000 }).then(() => true, () => false);
    check(thanked, `the answer thanks for the feedback (${await turn.locator('.cb-feedback-status').innerText().catch(() => 'no control')})`);
    check(await helpful.getAttribute('aria-pressed') === 'true', '"Helpful" is shown pressed');
    check(await turn.getByRole('button', { name: 'Not helpful', exact: true }).getAttribute('aria-pressed') === 'false',
      '"Not helpful" is not pressed');
  }

  // A follow-up in the same conversation: the page sends the history, the answer says what was searched.
  await input.fill(FOLLOW_UP);
  await input.press('Enter');
  const next = page.locator('.cb-turn').nth(1);
  await Promise.race([
    next.locator('.cb-citations a').first().waitFor({ timeout: TIMEOUT }),
    next.locator('.cb-error').waitFor({ timeout: TIMEOUT }).then(async () => {
      throw new Error(`the follow-up shows an error: ${await next.locator('.cb-error').innerText()}`);
    }),
  ]);
  const searchedFor = await next.locator('.cb-searched-for').innerText().catch(() => '');
  check(searchedFor.includes(QUESTION), `the follow-up says it was searched with the first question ("${searchedFor}")`);
  const followUpLinks = await next.locator('.cb-citations a').evaluateAll((as) => as.map((a) => a.href));
  if (FOLLOW_UP_PAGE) {
    check(followUpLinks.some((href) => new URL(href).pathname.endsWith(FOLLOW_UP_PAGE)),
      `the follow-up cites ${FOLLOW_UP_PAGE} (${followUpLinks.join(', ')})`);
  }

} catch (e) {
  check(false, e.message);
} finally {
  // Also on failure: the screenshot shows what the student would have seen.
  const page = browser.contexts()[0]?.pages()[0];
  if (page) {
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot ${SCREENSHOT}`);
  }
  await browser.close();
}
console.log(failures.length ? `browser test FAILED (${failures.length})` : 'browser test passed');
process.exit(failures.length ? 1 : 0);

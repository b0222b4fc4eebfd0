#!/usr/bin/env node
// Screenshots of the chat page and the widget in their interesting states, at desktop and phone size,
// for looking at by hand (not a test). Meant for deploy/local/fake-chat-api.py, whose trigger words
// (#429, #json, #error, #drop) produce each state:
//   python3 deploy/local/fake-chat-api.py &
//   node deploy/local/screenshots.mjs [out-dir]      # prints the paths it wrote
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const CHAT_URL = process.env.CHAT_URL || 'http://127.0.0.1:8099/';
const COURSE_URL = process.env.COURSE_URL || 'http://127.0.0.1:8098/';
const out = process.argv[2] || '/tmp/coursebot-shots';
mkdirSync(out, { recursive: true });
const sizes = { desktop: { width: 1200, height: 900 }, phone: { width: 390, height: 844 } };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

async function ask(page, scope, question) {
  const input = scope.getByLabel('Your question');
  await input.fill(question);
  await input.press('Enter');
  await scope.locator('.cb-turn').last().locator('.cb-sources li, .cb-error').first().waitFor({ timeout: 15000 });
  await page.waitForTimeout(200);
}

for (const [name, viewport] of Object.entries(sizes)) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(CHAT_URL);
  await ask(page, page, 'How many database connections should my app keep open?');
  await ask(page, page, 'How do I deploy to Kubernetes with Helm charts?');
  await page.screenshot({ path: join(out, `${name}-answers.png`) });
  await ask(page, page, 'Quick one #429');
  await ask(page, page, 'What does express.json() do? #error');
  await page.screenshot({ path: join(out, `${name}-errors.png`) });
  await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
  await ask(page, page, 'Where do I put my database password?');
  await page.getByRole('button', { name: 'Try again' }).focus();
  await page.screenshot({ path: join(out, `${name}-offline.png`) });
  await page.unroute('**/api/chat');
  await page.getByLabel('Your question').fill(' ');
  await page.evaluate(() => document.querySelector('form').requestSubmit());

  const course = await browser.newPage({ viewport });
  course.on('pageerror', (e) => console.error(`course page error: ${e.message}`));
  await course.goto(`${COURSE_URL}widget-demo/`);
  await course.getByRole('button', { name: 'Ask the course' }).waitFor();
  await course.screenshot({ path: join(out, `${name}-widget-closed.png`) });
  await course.getByRole('button', { name: 'Ask the course' }).click();
  await ask(course, course, 'What status code does a POST that created something return? #json');
  await course.screenshot({ path: join(out, `${name}-widget-open.png`) });
  await course.keyboard.press('Escape');
  const focused = await course.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent);
  console.log(`${name}: after Escape focus is on "${focused}"`);
}
await browser.close();
for (const n of Object.keys(sizes)) {
  for (const s of ['answers', 'errors', 'offline', 'widget-closed', 'widget-open']) console.log(join(out, `${n}-${s}.png`));
}

// Debian's Chromium, driven headless by playwright-core (which downloads no
// browser). Every page a test opens fails the test on a console error or an
// uncaught exception, so a CSP violation or a broken script cannot pass.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const require = createRequire(new URL('../../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const CHROMIUM = process.env.LEADTIME_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = process.env.LEADTIME_WEB_SHOTS ?? '/tmp/web-shots';

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

// A page in its own context (its own localStorage, as another laptop).
export async function openPage(browser, url, { width = 1440, height = 900, context } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height } }));
  const page = await ctx.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  await page.goto(url);
  return page;
}

export function assertNoProblems(page, allow = []) {
  const left = page.problems.filter((p) => !allow.some((a) => a.test(p)));
  if (left.length) throw new Error(`the page reported:\n${left.join('\n')}`);
}

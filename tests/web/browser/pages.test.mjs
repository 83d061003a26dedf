// The built pages on their own, served with the server's Content-Security-
// Policy (no inline script or style, no CDN, no external font): each loads
// without an error, asks for a token when its link has none, and labels
// every field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer } from '../support/static-server.mjs';
import { launch, openPage, assertNoProblems, SHOTS } from '../support/browser.mjs';
import { dist } from '../support/leadtime.mjs';

let server;
let browser;
before(async () => {
  server = await startStaticServer({ root: dist });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// With no server behind /ws the pages retry; Chromium logs each failed
// WebSocket as a console error, which is expected here and only here.
const noSocket = [/WebSocket connection to .* failed/];

for (const [page, what] of [
  ['seat.html', "your team's seat"],
  ['board.html', 'the board'],
  ['index.html', 'a game'],
]) {
  test(`${page} without a token asks for one, under the strict CSP`, async () => {
    const p = await openPage(browser, `${server.url}/${page}`);
    await p.getByRole('heading', { name: new RegExp(`Join ${what}`) }).waitFor();
    // Every input has a label a screen reader reads.
    const unlabelled = await p.$$eval('input, select, textarea', (els) => els.filter((e) => !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label')).map((e) => e.outerHTML));
    assert.deepEqual(unlabelled, []);
    // Keyboard: the token field is reachable with Tab.
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'token');
    assertNoProblems(p, noSocket);
    await p.context().close();
  });
}

test('the console without a game shows the create form, every field labelled', async () => {
  const p = await openPage(browser, `${server.url}/console.html`);
  await p.getByRole('heading', { name: 'Create a game' }).waitFor();
  const unlabelled = await p.$$eval('input, select, textarea', (els) => els.filter((e) => !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label')).map((e) => e.outerHTML));
  assert.deepEqual(unlabelled, []);
  // A bad deadline is named before anything is sent.
  await p.fill('#deadline', 'soon');
  await p.getByText('enter the seconds per round as a whole number').waitFor();
  assert.equal(await p.isDisabled('[data-testid=create-game]'), true);
  assertNoProblems(p, noSocket);
  await p.context().close();
});

test('a seat link whose server is gone keeps retrying and says so', async () => {
  const p = await openPage(browser, `${server.url}/seat.html#token=abc`);
  await p.getByTestId('connection').getByText(/retrying in \d+ s/).waitFor({ timeout: 10000 });
  await p.screenshot({ path: `${SHOTS}/seat-no-server.png` });
  assertNoProblems(p, noSocket);
  await p.context().close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, pingIntervalMs } from '../../../web/src/logic/backoff';

const noJitter = { baseMs: 500, maxMs: 15000, jitter: 0 };

test('reconnect delays double from the base up to the cap', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 50, 5000].map((a) => backoffDelayMs(a, noJitter)),
    [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000],
  );
});

test('jitter takes up to its share off the delay, never adds', () => {
  const opts = { baseMs: 1000, maxMs: 8000, jitter: 0.5 };
  assert.equal(backoffDelayMs(3, opts, () => 0), 8000);
  assert.equal(backoffDelayMs(3, opts, () => 0.999999), 4000);
  assert.equal(backoffDelayMs(0, opts, () => 0.5), 750);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelayMs(i % 8, opts);
    const full = Math.min(8000, 1000 * 2 ** (i % 8));
    assert.ok(d >= full / 2 && d <= full, `delay ${d} outside ${full / 2}..${full}`);
  }
});

test('bad backoff input is refused with a sentence naming it', () => {
  assert.throws(() => backoffDelayMs(-1), /attempt must be a non-negative integer, not -1/);
  assert.throws(() => backoffDelayMs(1.5), /not 1.5/);
  assert.throws(() => backoffDelayMs(0, { baseMs: 0, maxMs: 10, jitter: 0 }), /0 < baseMs <= maxMs/);
  assert.throws(() => backoffDelayMs(0, { baseMs: 100, maxMs: 10, jitter: 0 }), /not 100 and 10/);
  assert.throws(() => backoffDelayMs(0, { baseMs: 1, maxMs: 10, jitter: 2 }), /jitter must be within 0..1, not 2/);
});

test('pings every minute, or a third of the idle limit when that is shorter', () => {
  assert.equal(pingIntervalMs(1800), 60000);
  assert.equal(pingIntervalMs(90), 30000);
  assert.equal(pingIntervalMs(0), 60000);
  assert.equal(pingIntervalMs(1), 1000);
});

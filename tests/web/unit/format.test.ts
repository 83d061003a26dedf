import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateBand, formatCountdown, formatNumber, formatShare, secondsLeftAt } from '../../../web/src/logic/format';

test('countdown: m:ss under an hour, h:mm:ss from an hour, days past a day', () => {
  assert.equal(formatCountdown(0), '0:00');
  assert.equal(formatCountdown(-5), '0:00');
  assert.equal(formatCountdown(Number.NaN), '0:00');
  assert.equal(formatCountdown(9.9), '0:09');
  assert.equal(formatCountdown(59), '0:59');
  assert.equal(formatCountdown(60), '1:00');
  assert.equal(formatCountdown(605), '10:05');
  assert.equal(formatCountdown(3599), '59:59');
  assert.equal(formatCountdown(3600), '1:00:00');
  assert.equal(formatCountdown(3600 + 62), '1:01:02');
  assert.equal(formatCountdown(86400 * 365), '365d 0h');
  assert.equal(formatCountdown(86400 + 7200 + 5), '1d 2h');
});

test('seconds left count down from the summary, and stand still while paused', () => {
  assert.equal(secondsLeftAt(120, 1000, 31000, false), 90);
  assert.equal(secondsLeftAt(120, 1000, 31000, true), 120);
  assert.equal(secondsLeftAt(10, 0, 60000, false), 0);
});

test('numbers read well', () => {
  assert.equal(formatNumber(1234567), '1,234,567');
  assert.equal(formatNumber(12.5), '12.5');
  assert.equal(formatNumber(0.123456), '0.123');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(-3.14159), '-3.14');
  assert.equal(formatNumber(Infinity), '–');
  assert.equal(formatShare(0.256), '26%');
  assert.equal(formatShare(0.05), '5.0%');
});

test('an estimate band is value·e^±sd', () => {
  const [lo, hi] = estimateBand(100, 0.3);
  assert.ok(Math.abs(lo - 100 * Math.exp(-0.3)) < 1e-9);
  assert.ok(Math.abs(hi - 100 * Math.exp(0.3)) < 1e-9);
  assert.deepEqual(estimateBand(5, 0), [5, 5]);
});

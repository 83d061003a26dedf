// How long to wait before the n-th reconnection attempt (0-based): doubling
// from `baseMs` up to `maxMs`, with up to `jitter` of the delay taken off at
// random so that a room of laptops that lost the Wi-Fi together does not
// reconnect in one burst. `random` returns a number in [0, 1).
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  jitter: number; // 0..1
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15000, jitter: 0.3 };

export function backoffDelayMs(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, not ${attempt}`);
  if (!(opts.baseMs > 0) || !(opts.maxMs >= opts.baseMs)) throw new RangeError(`backoff needs 0 < baseMs <= maxMs, not ${opts.baseMs} and ${opts.maxMs}`);
  if (!(opts.jitter >= 0 && opts.jitter <= 1)) throw new RangeError(`jitter must be within 0..1, not ${opts.jitter}`);
  // 2^attempt overflows to Infinity long after it passes any cap; min() keeps it finite.
  const full = Math.min(opts.maxMs, opts.baseMs * Math.pow(2, Math.min(attempt, 30)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(full * (1 - opts.jitter * r));
}

// The ping interval for a server idle limit (Welcome.idle_timeout_seconds):
// every minute, or every third of the limit if that is shorter, as
// leadtime-cli does (protocol/README.md). 0 means the server has no limit;
// pings still find a dead connection then.
export function pingIntervalMs(idleTimeoutSeconds: number): number {
  const minute = 60_000;
  if (!(idleTimeoutSeconds > 0)) return minute;
  return Math.max(1000, Math.min(minute, Math.floor((idleTimeoutSeconds * 1000) / 3)));
}

// Text for numbers and times, the same on every page.

// A countdown: "m:ss" under an hour, "h:mm:ss" from an hour, "d h" past a
// day (a game with no deadline runs a year). Negative or missing is "0:00".
export function formatCountdown(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0:00';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  if (days >= 1) return `${days}d ${Math.floor((s % 86400) / 3600)}h`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// The seconds left of a deadline given as `secondsLeft` at `receivedAtMs`,
// now at `nowMs`; frozen while paused.
export function secondsLeftAt(secondsLeft: number, receivedAtMs: number, nowMs: number, frozen: boolean): number {
  if (frozen) return secondsLeft;
  return Math.max(0, secondsLeft - (nowMs - receivedAtMs) / 1000);
}

// A number with a sensible number of significant digits and thousands
// separators: 1234567 -> "1,234,567", 0.123456 -> "0.123", 12.5 -> "12.5".
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return Number(v.toFixed(Math.min(decimals, 6))).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

// Large counts with a unit suffix: 1.2M, 350k.
export function formatCompact(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${formatNumber(v / 1e9)}B`;
  if (abs >= 1e6) return `${formatNumber(v / 1e6)}M`;
  if (abs >= 1e4) return `${formatNumber(v / 1e3)}k`;
  return formatNumber(v);
}

export const formatUsdB = (v: number) => `$${formatNumber(v)}B`;

export function formatShare(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return `${(v * 100).toFixed(v * 100 >= 10 ? 0 : 1)}%`;
}

// An estimate with the log-normal noise the server attaches (Estimate.noise_sd):
// the band holding about two thirds of the belief, value·e^-sd .. value·e^sd.
export function estimateBand(value: number, noiseSd: number): [number, number] {
  if (!(noiseSd > 0)) return [value, value];
  return [value * Math.exp(-noiseSd), value * Math.exp(noiseSd)];
}

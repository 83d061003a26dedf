// Rows of a state table, read from the message itself: each field of a
// generated object-API table becomes a labelled, formatted row, with its unit
// taken from the name's suffix as the .fbs names units (_usd_b, _h100e,
// _oom, ...). A field added to the schema shows up without a change here.
import { formatCompact, formatNumber, formatShare } from './format';

export interface FieldRow {
  key: string;
  label: string;
  value: string;
}

const UNITS: [RegExp, string, (v: number) => string][] = [
  [/UsdB$/, '$B', (v) => `$${formatNumber(v)}B`],
  [/UsdPerMtok$/, '$/Mtok', (v) => `$${formatNumber(v)}`],
  [/Usd$/, '$', (v) => `$${formatCompact(v)}`],
  [/H100e$/, 'H100e', (v) => formatCompact(v)],
  [/Oom$/, 'OOM', (v) => formatNumber(v)],
  [/Months$/, 'months', (v) => formatNumber(v)],
];

const SHARE_KEYS = /(Share|Kyc|Regulation|Intensity|Security|Defence|Growth)$/;

export function humanize(key: string): string {
  const stripped = key.replace(/(UsdB|UsdPerMtok|Usd|H100e|Oom)$/, '');
  const words = stripped.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatField(key: string, v: unknown): string | null {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    for (const [re, , fmt] of UNITS) if (re.test(key)) return fmt(v);
    if (SHARE_KEYS.test(key) && v >= 0 && v <= 1) return formatShare(v);
    return formatNumber(v);
  }
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return (v as number[]).map((x) => formatField(key, x)).join(' · ');
  return null;
}

export function unitOf(key: string): string {
  for (const [re, unit] of UNITS) if (re.test(key)) return unit;
  return '';
}

// Rows of every scalar (and list of numbers) in `obj`; nested tables are
// left to their own tables. `skip` names fields shown elsewhere.
export function fieldRows(obj: object | null | undefined, skip: string[] = []): FieldRow[] {
  if (!obj) return [];
  const rows: FieldRow[] = [];
  for (const [key, v] of Object.entries(obj)) {
    if (skip.includes(key)) continue;
    const value = formatField(key, v);
    if (value === null) continue;
    rows.push({ key, label: humanize(key), value });
  }
  return rows;
}

// A seat's unsent work kept in the browser (localStorage), so a closed tab or
// a dropped connection loses nothing: the orders being composed and the press
// message being written. One draft per game and seat; a draft belongs to the
// round it was written in and is dropped once that round has been resolved.
import type { DraftOrder, RawValue } from './catalogue';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Draft {
  round: number; // rounds resolved when the draft was written
  orders: DraftOrder[];
  pressTo: string[]; // empty: everyone
  pressText: string;
  savedAtMs: number;
}

export const emptyDraft = (round: number): Draft => ({ round, orders: [], pressTo: [], pressText: '', savedAtMs: 0 });

const PREFIX = 'leadtime.draft.';

export class DraftStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  static key(gameId: string, seat: string): string {
    return `${PREFIX}${gameId}.${seat}`;
  }

  // The draft for this round, or an empty one when none is kept, the kept one
  // is from an earlier round, or it cannot be read (then it is removed).
  load(gameId: string, seat: string, round: number): Draft {
    const key = DraftStore.key(gameId, seat);
    const text = this.store.getItem(key);
    if (text === null) return emptyDraft(round);
    const draft = parseDraft(text);
    if (draft === null || draft.round !== round) {
      this.store.removeItem(key);
      return emptyDraft(round);
    }
    return draft;
  }

  save(gameId: string, seat: string, draft: Draft): void {
    const kept: Draft = { ...draft, savedAtMs: this.now() };
    try {
      this.store.setItem(DraftStore.key(gameId, seat), JSON.stringify(kept));
    } catch {
      // A full or disabled storage (private mode) keeps the draft in the page only.
    }
  }

  clear(gameId: string, seat: string): void {
    this.store.removeItem(DraftStore.key(gameId, seat));
  }
}

// Storage is shared with whatever else ran on this origin: check every field.
export function parseDraft(text: string): Draft | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const d = v as Record<string, unknown>;
  if (!Number.isInteger(d.round) || !Array.isArray(d.orders) || !Array.isArray(d.pressTo) || typeof d.pressText !== 'string') return null;
  const orders: DraftOrder[] = [];
  for (const o of d.orders as unknown[]) {
    if (typeof o !== 'object' || o === null) return null;
    const r = o as Record<string, unknown>;
    if (typeof r.key !== 'string' || typeof r.action !== 'string' || typeof r.values !== 'object' || r.values === null) return null;
    const values: Record<string, RawValue> = {};
    for (const [k, val] of Object.entries(r.values as Record<string, unknown>)) {
      if (typeof val !== 'string' && typeof val !== 'boolean') return null;
      values[k] = val;
    }
    orders.push({ key: r.key, action: r.action, values });
  }
  if (!(d.pressTo as unknown[]).every((s) => typeof s === 'string')) return null;
  return {
    round: d.round as number,
    orders,
    pressTo: d.pressTo as string[],
    pressText: d.pressText,
    savedAtMs: typeof d.savedAtMs === 'number' ? d.savedAtMs : 0,
  };
}

// An in-memory store for tests and for browsers without localStorage.
export class MemoryStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

export function browserStore(): KeyValueStore {
  try {
    const s = window.localStorage;
    const probe = `${PREFIX}probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return new MemoryStore();
  }
}

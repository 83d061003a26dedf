// The tokens of games created from this browser. The server keeps only
// hashes of tokens and cannot list them again (protocol/README.md), so the
// console that created a game keeps them, to show links, QR codes and
// handouts whenever it is reopened.
import type { KeyValueStore } from './drafts';

export interface KeptGame {
  gameId: string;
  createdAtMs: number;
  scenario: string;
  facilitatorToken: string;
  observerToken: string;
  seats: Record<string, string>; // seat -> token
  parent?: string; // the game it was branched from
}

const KEY = 'leadtime.games';

export function loadGames(store: KeyValueStore): KeptGame[] {
  const text = store.getItem(KEY);
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (g): g is KeptGame =>
        typeof g === 'object' && g !== null && typeof g.gameId === 'string' && typeof g.facilitatorToken === 'string' && typeof g.observerToken === 'string' && typeof g.seats === 'object' && g.seats !== null,
    );
  } catch {
    return [];
  }
}

export function keepGame(store: KeyValueStore, g: KeptGame): void {
  // A fresh database reuses game ids, so games are told apart by token.
  const others = loadGames(store).filter((x) => x.facilitatorToken !== g.facilitatorToken);
  others.unshift(g);
  store.setItem(KEY, JSON.stringify(others.slice(0, 100)));
}

export function findByFacilitatorToken(store: KeyValueStore, token: string): KeptGame | null {
  return loadGames(store).find((g) => g.facilitatorToken === token) ?? null;
}

export function forgetGame(store: KeyValueStore, facilitatorToken: string): void {
  store.setItem(KEY, JSON.stringify(loadGames(store).filter((g) => g.facilitatorToken !== facilitatorToken)));
}

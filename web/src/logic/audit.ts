// The console's log of what happened in the room, in words: what changed
// between two summaries, each round, each press. Pure, so the same pushes
// give the same log.
import type { GameSummaryT } from '../generated/leadtime/wire/game-summary';
import { txt } from '../proto/codec';

export interface AuditEntry {
  atMs: number;
  text: string;
  kind: 'command' | 'refused' | 'room' | 'round' | 'press';
}

export function summaryChanges(prev: GameSummaryT | null, next: GameSummaryT): string[] {
  const out: string[] = [];
  if (!prev) {
    out.push(`game ${txt(next.gameId)}: ${txt(next.phase)}, round ${next.round} of ${next.rounds}`);
    return out;
  }
  if (txt(prev.phase) !== txt(next.phase)) out.push(`phase: ${txt(prev.phase)} → ${txt(next.phase)}`);
  if (prev.round !== next.round) out.push(next.round > prev.round ? `round ${next.round} resolved` : `rolled back to round ${next.round}`);
  // A deadline moved by more than the clock would: extend or shorten.
  if (txt(prev.phase) === txt(next.phase) && prev.round === next.round && next.secondsLeft > prev.secondsLeft + 1) out.push(`deadline now ${next.secondsLeft} s away`);
  const before = new Map(prev.seats.map((s) => [txt(s.seat), s]));
  for (const s of next.seats) {
    const id = txt(s.seat);
    const p = before.get(id);
    if (!p) continue;
    if (p.bot !== s.bot) out.push(s.bot ? `${id} handed to bot ${txt(s.botPath) || '(scenario default)'}` : `${id} handed back to its team`);
    if (p.connected !== s.connected) out.push(s.connected > p.connected ? `${id} joined (${s.connected} connected)` : `${id} left (${s.connected} connected)`);
    if (prev.round === next.round) {
      if (!p.submitted && s.submitted) out.push(`${id} submitted orders`);
      if (!p.ready && s.ready) out.push(`${id} is ready`);
      if (p.ready && !s.ready) out.push(`${id} is no longer ready`);
    }
  }
  return out;
}

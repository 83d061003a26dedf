// What a page knows of its game, built only from what the server sent: the
// pages show this and nothing else, so a seat's page can never show what the
// server did not send it. `reduce` is pure: the same messages give the same
// model, whatever the page.
import { Message } from '../generated/leadtime/wire/message';
import type { JoinedT } from '../generated/leadtime/wire/joined';
import type { OrderT } from '../generated/leadtime/wire/order';
import type { GameSummaryT } from '../generated/leadtime/wire/game-summary';
import type { ViewMsgT } from '../generated/leadtime/wire/view-msg';
import type { FacilitatorViewT } from '../generated/leadtime/wire/facilitator-view';
import type { RoundResultT } from '../generated/leadtime/wire/round-result';
import type { PublicIndicatorsT } from '../generated/leadtime/wire/public-indicators';
import type { EventMsgT } from '../generated/leadtime/wire/event-msg';
import type { PressT } from '../generated/leadtime/wire/press';
import type { GameEndedT } from '../generated/leadtime/wire/game-ended';
import type { ErrorT } from '../generated/leadtime/wire/error';
import { txt } from '../proto/codec';
import type { ActionSpec } from './catalogue';
import type { ScenarioInfo } from './scenario';
import type { ScenarioInfoT } from '../generated/leadtime/wire/scenario-info';
import type { CatalogueT } from '../generated/leadtime/wire/catalogue';
import { catalogueFromWire, scenarioFromWire } from '../proto/convert';

export interface RoundPoint {
  round: number; // rounds resolved (0: the start)
  label: string; // the quarter the round covered, or "start"
  indicators: PublicIndicatorsT;
}

export interface SeenEvent {
  round: number;
  quarter: string;
  event: EventMsgT;
}

export interface Notice {
  atMs: number;
  text: string;
  error: boolean;
}

export interface GameModel {
  joined: JoinedT | null;
  // The seat's orders already in when it joined (Joined.orders), and the
  // rounds resolved then: the orders are for the round after.
  ordersIn: OrderT[] | null;
  ordersInRound: number;
  summary: GameSummaryT | null;
  summaryAtMs: number; // when the summary arrived, for the countdown
  view: ViewMsgT | null;
  facilitatorView: FacilitatorViewT | null;
  history: RoundPoint[]; // sorted by round
  events: SeenEvent[]; // newest last
  press: PressT[]; // sorted by seq
  ended: GameEndedT | null;
  notices: Notice[]; // pushed errors (e.g. a failed save), newest last
  catalogue: ActionSpec[] | null; // the actions on the wire, once received
  scenario: ScenarioInfo | null; // seats, briefings, objectives, events
}

export const emptyModel = (): GameModel => ({
  joined: null,
  ordersIn: null,
  ordersInRound: -1,
  summary: null,
  summaryAtMs: 0,
  view: null,
  facilitatorView: null,
  history: [],
  events: [],
  press: [],
  ended: null,
  notices: [],
  catalogue: null,
  scenario: null,
});

function withPoint(history: RoundPoint[], p: RoundPoint): RoundPoint[] {
  const out = history.filter((h) => h.round !== p.round);
  out.push(p);
  out.sort((a, b) => a.round - b.round);
  return out;
}

// A rollback takes rounds back: forget what came after the current round.
function prune(m: GameModel, round: number): GameModel {
  if (!m.history.some((h) => h.round > round) && !m.events.some((e) => e.round > round)) return m;
  return { ...m, history: m.history.filter((h) => h.round <= round), events: m.events.filter((e) => e.round <= round) };
}

export function reduce(m: GameModel, type: Message, message: unknown, nowMs: number): GameModel {
  switch (type) {
    case Message.Joined:
      return { ...m, joined: message as JoinedT, ordersIn: (message as JoinedT).orders, ordersInRound: (message as JoinedT).round };
    case Message.GameSummary: {
      const s = message as GameSummaryT;
      // Only this game's summaries (a console also sees GameList items elsewhere).
      if (m.joined && txt(s.gameId) !== txt(m.joined.gameId)) return m;
      return prune({ ...m, summary: s, summaryAtMs: nowMs, ended: s.phase === 'finished' ? m.ended : null }, s.round);
    }
    case Message.ViewMsg: {
      const v = message as ViewMsgT;
      let next: GameModel = prune({ ...m, view: v }, v.round);
      if (v.indicators && !next.history.some((h) => h.round === v.round)) {
        next = { ...next, history: withPoint(next.history, { round: v.round, label: v.round === 0 ? 'start' : `R${v.round}`, indicators: v.indicators }) };
      }
      return next;
    }
    case Message.FacilitatorView: {
      const v = message as FacilitatorViewT;
      let next: GameModel = prune({ ...m, facilitatorView: v }, v.round);
      if (v.indicators && !next.history.some((h) => h.round === v.round)) {
        next = { ...next, history: withPoint(next.history, { round: v.round, label: v.round === 0 ? 'start' : `R${v.round}`, indicators: v.indicators }) };
      }
      return next;
    }
    case Message.RoundResult: {
      const r = message as RoundResultT;
      const quarter = txt(r.quarter);
      let next: GameModel = prune(m, r.round - 1);
      if (r.indicators) next = { ...next, history: withPoint(next.history, { round: r.round, label: quarter, indicators: r.indicators }) };
      const events = next.events.filter((e) => e.round !== r.round).concat(r.events.map((event) => ({ round: r.round, quarter, event })));
      return { ...next, events };
    }
    case Message.Press: {
      const p = message as PressT;
      if (m.press.some((q) => q.seq === p.seq)) return m;
      const press = m.press.concat([p]).sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      return { ...m, press };
    }
    case Message.ScenarioInfo: {
      const info = message as ScenarioInfoT;
      return { ...m, scenario: scenarioFromWire(info), catalogue: info.catalogue ? catalogueFromWire(info.catalogue) : m.catalogue };
    }
    case Message.Catalogue:
      return { ...m, catalogue: catalogueFromWire(message as CatalogueT) };
    case Message.GameEnded:
      return { ...m, ended: message as GameEndedT };
    case Message.Error: {
      const e = message as ErrorT;
      if (e.requestId !== 0) return m; // answers to requests are shown where they were made
      return { ...m, notices: m.notices.concat([{ atMs: nowMs, text: txt(e.text), error: true }]).slice(-50) };
    }
    default:
      return m;
  }
}

// The label of round point `r` for chart axes: the quarter it covered.
export function roundLabels(history: RoundPoint[]): string[] {
  return history.map((h) => h.label);
}

// Press threads by correspondent, as a seat reads them: one thread per other
// party (a seat, "everyone" for public press, "facilitator"); a message to
// several seats appears in each of their threads.
export interface Thread {
  key: string; // seat id, "*" for public, "" for the facilitator
  messages: PressT[];
}

export function threadsFor(press: PressT[], me: string): Thread[] {
  const map = new Map<string, PressT[]>();
  const add = (k: string, p: PressT) => {
    const list = map.get(k) ?? [];
    if (!list.includes(p)) list.push(p);
    map.set(k, list);
  };
  for (const p of press) {
    const from = txt(p.from);
    const to = p.to.map((t) => txt(t));
    if (to.length === 0) {
      add('*', p);
      continue;
    }
    if (from === me) {
      for (const t of to) if (t !== me) add(t, p);
    } else {
      add(from, p);
    }
  }
  return [...map.entries()].map(([key, messages]) => ({ key, messages })).sort((a, b) => lastSeq(b) - lastSeq(a));
}

const lastSeq = (t: Thread) => Number(t.messages[t.messages.length - 1]?.seq ?? 0);

// Public press and public events only, newest first: the board's ticker.
export interface TickerItem {
  key: string;
  kind: 'event' | 'press';
  text: string;
  who: string;
}

export function tickerItems(m: GameModel, limit = 12): TickerItem[] {
  const items: TickerItem[] = [];
  for (const e of m.events) {
    if (e.event.visibility !== 0) continue; // Visibility.Public
    items.push({ key: `e${e.round}-${items.length}`, kind: 'event', text: txt(e.event.text), who: e.quarter });
  }
  for (const p of m.press) {
    if (p.to.length !== 0) continue;
    items.push({ key: `p${p.seq}`, kind: 'press', text: txt(p.text), who: txt(p.from) || 'facilitator' });
  }
  // Events by round and press by arrival interleave poorly; newest of each last.
  return items.reverse().slice(0, limit);
}

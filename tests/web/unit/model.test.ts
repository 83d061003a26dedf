import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyModel, reduce, threadsFor, tickerItems, type GameModel } from '../../../web/src/logic/model';
import { summaryChanges } from '../../../web/src/logic/audit';
import { Message } from '../../../web/src/generated/leadtime/wire/message';
import { RoundResultT } from '../../../web/src/generated/leadtime/wire/round-result';
import { PublicIndicatorsT } from '../../../web/src/generated/leadtime/wire/public-indicators';
import { PressT } from '../../../web/src/generated/leadtime/wire/press';
import { EventMsgT } from '../../../web/src/generated/leadtime/wire/event-msg';
import { GameSummaryT } from '../../../web/src/generated/leadtime/wire/game-summary';
import { SeatSummaryT } from '../../../web/src/generated/leadtime/wire/seat-summary';
import { JoinedT } from '../../../web/src/generated/leadtime/wire/joined';
import { OrderT } from '../../../web/src/generated/leadtime/wire/order';
import { Visibility } from '../../../web/src/generated/leadtime/wire/visibility';
import { Role } from '../../../web/src/generated/leadtime/wire/role';

const ind = (lead: number) => new PublicIndicatorsT(lead, 10, [], 0, 0, 0, 0);
const result = (round: number, lead: number, events: EventMsgT[] = []) => new RoundResultT(round, `Q${round}`, BigInt(round), ind(lead), events);
const summary = (round: number, phase = 'orders', seats: SeatSummaryT[] = []) => new GameSummaryT('g1', '2028', round, 10, phase, [], seats, 300, 'Q', 1n);
const apply = (m: GameModel, ...msgs: [Message, unknown][]) => msgs.reduce((acc, [t, x]) => reduce(acc, t, x, 0), m);

test('round results build the charts history in round order, once per round', () => {
  const m = apply(emptyModel(), [Message.RoundResult, result(2, 14)], [Message.RoundResult, result(1, 12)], [Message.RoundResult, result(2, 15)]);
  assert.deepEqual(m.history.map((h) => [h.round, h.label, h.indicators.leadMonths]), [
    [1, 'Q1', 12],
    [2, 'Q2', 15],
  ]);
});

test('a rollback forgets the rounds after the current one', () => {
  const ev = new EventMsgT('x', 'something public', Visibility.Public);
  const m = apply(emptyModel(), [Message.RoundResult, result(1, 12, [ev])], [Message.RoundResult, result(2, 14, [ev])], [Message.GameSummary, summary(1)]);
  assert.deepEqual(m.history.map((h) => h.round), [1]);
  assert.deepEqual(m.events.map((e) => e.round), [1]);
});

test('press arrives once and in seq order, however often it is sent again', () => {
  const p = (seq: number, from: string, to: string[], text: string) => new PressT(to, text, from, BigInt(seq));
  const m = apply(emptyModel(), [Message.Press, p(3, 'cn', [], 'c')], [Message.Press, p(1, 'us', ['eu'], 'a')], [Message.Press, p(3, 'cn', [], 'c')]);
  assert.deepEqual(m.press.map((x) => Number(x.seq)), [1, 3]);
});

test('threads by correspondent: public, each other seat, several addressees in each', () => {
  const p = (seq: number, from: string, to: string[]) => new PressT(to, `m${seq}`, from, BigInt(seq));
  const press = [p(1, 'us', ['eu']), p(2, 'eu', ['us']), p(3, 'cn', []), p(4, 'us', ['cn', 'eu']), p(5, '', ['us'])];
  const threads = threadsFor(press, 'us');
  const byKey = Object.fromEntries(threads.map((t) => [t.key, t.messages.map((x) => x.text)]));
  assert.deepEqual(byKey, { eu: ['m1', 'm2', 'm4'], '*': ['m3'], cn: ['m4'], '': ['m5'] });
  assert.equal(threads[0]!.key, '', 'the newest thread first');
});

test('the ticker has public events and public press only', () => {
  const m = apply(
    emptyModel(),
    [Message.RoundResult, result(1, 12, [new EventMsgT('a', 'public event', Visibility.Public), new EventMsgT('b', 'private event', Visibility.Private)])],
    [Message.Press, new PressT([], 'public press', 'cn', 1n)],
    [Message.Press, new PressT(['eu'], 'private press', 'us', 2n)],
  );
  assert.deepEqual(tickerItems(m).map((i) => i.text).sort(), ['public event', 'public press']);
});

test('orders in at join belong to the round the Joined names, whatever catches up after it', () => {
  const orders = [new OrderT('set_lab_subsidy', [])];
  let m = apply(emptyModel(), [Message.GameSummary, summary(1)], [Message.Joined, new JoinedT('g1', 'us', Role.Seat, orders, 'Ada', false, 2)]);
  m = apply(m, [Message.RoundResult, result(2, 1)], [Message.GameSummary, summary(2)], [Message.GameSummary, summary(3)]);
  assert.equal(m.ordersInRound, 2);
  assert.equal(m.ordersIn, orders);
});

test('the audit log names what changed between summaries', () => {
  const seat = (id: string, o: Partial<SeatSummaryT> = {}) => Object.assign(new SeatSummaryT(id, false, '', 0, false, false), o);
  const a = summary(0, 'lobby', [seat('us'), seat('cn')]);
  const b = summary(0, 'orders', [seat('us', { connected: 1, submitted: true }), seat('cn', { bot: true, botPath: 'bots/cn.lua' })]);
  assert.deepEqual(summaryChanges(a, b), ['phase: lobby → orders', 'us joined (1 connected)', 'us submitted orders', 'cn handed to bot bots/cn.lua']);
  assert.deepEqual(summaryChanges(b, summary(1, 'orders', [seat('us', { connected: 1 }), seat('cn', { bot: true })])), ['round 1 resolved']);
  assert.deepEqual(summaryChanges(summary(2), summary(1)), ['rolled back to round 1']);
});

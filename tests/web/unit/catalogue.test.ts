import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type DraftOrder, actionsFor, choicesFor, initialValue, orderIsValid, toOrderValue, validateField, validateOrder, fromOrderValue } from '../../../web/src/logic/catalogue';
import { decodeEnvelope, encodeEnvelope, fromWireOrder, submitOrders } from '../../../web/src/proto/codec';
import { Message } from '../../../web/src/generated/leadtime/wire/message';
import { ArgKind } from '../../../web/src/generated/leadtime/wire/arg-kind';
import type { SubmitOrdersT } from '../../../web/src/generated/leadtime/wire/submit-orders';
import { catalogue, ctx } from './fixtures';

const spec = (name: string) => catalogue.find((a) => a.name === name)!;
const param = (action: string, p: string) => spec(action).params.find((x) => x.name === p)!;

test('a seat is offered only the actions it may use', () => {
  assert.deepEqual(actionsFor(catalogue, 'us').map((a) => a.name), ['set_lab_subsidy', 'set_export_tier', 'set_anti_distillation_law', 'set_export_promotion']);
  assert.deepEqual(actionsFor(catalogue, 'cn_lab').map((a) => a.name), ['set_distillation', 'set_export_promotion']);
});

test('numbers: empty, not a number and out of range each name the range', () => {
  const p = param('set_lab_subsidy', 'usd_b');
  const c = ctx('us');
  assert.equal(validateField(p, '12.5', c), null);
  assert.equal(validateField(p, '0', c), null);
  assert.equal(validateField(p, '100', c), null);
  assert.equal(validateField(p, '', c), 'usd_b: enter a number from 0 to 100 $B per quarter');
  assert.equal(validateField(p, 'lots', c), 'usd_b: "lots" is not a number; enter a number from 0 to 100 $B per quarter');
  assert.equal(validateField(p, '100.01', c), 'usd_b: 100.01 is out of range; enter a number from 0 to 100 $B per quarter');
  assert.equal(validateField(p, '-1', c), 'usd_b: -1 is out of range; enter a number from 0 to 100 $B per quarter');
});

test('integers refuse fractions', () => {
  const p = param('set_export_tier', 'tier');
  assert.equal(validateField(p, '2', ctx('us')), null);
  assert.equal(validateField(p, '2.5', ctx('us')), 'tier: 2.5 is not a whole number; enter a whole number from 0 to 3 tier');
  assert.equal(validateField(p, '4', ctx('us')), 'tier: 4 is out of range; enter a whole number from 0 to 3 tier');
});

test('actor choices leave out the seat itself and kinds the parameter does not take', () => {
  const p = param('set_distillation', 'target');
  assert.deepEqual(choicesFor(p, ctx('cn_lab')).map((c) => c.value), ['us_lab', 'eu_lab']);
  assert.equal(validateField(p, 'us_lab', ctx('cn_lab')), null);
  assert.equal(validateField(p, 'cn_lab', ctx('cn_lab')), 'target: "cn_lab" is not one of us_lab, eu_lab');
  assert.equal(validateField(p, 'us', ctx('cn_lab')), 'target: "us" is not one of us_lab, eu_lab');
  assert.equal(validateField(p, '', ctx('cn_lab')), 'target: choose one of the listed actors');
});

test('markets, blocs and flags', () => {
  assert.equal(validateField(param('set_export_promotion', 'market'), 'ROW', ctx('us')), null);
  assert.equal(validateField(param('set_export_promotion', 'market'), 'SEA', ctx('us')), 'market: "SEA" is not one of US, CN, EU, ROW');
  assert.equal(validateField(param('set_export_tier', 'target'), 'SEA', ctx('us')), null);
  assert.equal(validateField(param('set_anti_distillation_law', 'on'), true, ctx('us')), null);
  assert.equal(validateField(param('set_anti_distillation_law', 'on'), 'yes', ctx('us')), 'on: choose on or off');
});

test('a new order starts valid: the bottom of each range, the first choice', () => {
  for (const a of catalogue) {
    const seat = a.seats[0] ?? 'us';
    const values = Object.fromEntries(a.params.map((p) => [p.name, initialValue(p, ctx(seat))]));
    const check = validateOrder({ key: 'k', action: a.name, values }, catalogue, ctx(seat));
    assert.ok(orderIsValid(check), `${a.name}: ${JSON.stringify(check)}`);
  }
});

test('an order checks every field and the action itself', () => {
  const c = ctx('us');
  const check = validateOrder({ key: 'k', action: 'set_export_tier', values: { target: 'MARS', tier: '9' } }, catalogue, c);
  assert.equal(check.unknownAction, null);
  assert.deepEqual(Object.keys(check.fields).sort(), ['target', 'tier']);
  assert.equal(orderIsValid(check), false);
  const foreign = validateOrder({ key: 'k', action: 'set_distillation', values: {} }, catalogue, c);
  assert.equal(foreign.unknownAction, 'set_distillation is not an action your seat may order');
});

test('valid orders travel as the wire Order: numbers, flags and texts by name', () => {
  const lines: DraftOrder[] = [
    { key: 'a', action: 'set_export_tier', values: { target: 'CN', tier: '1' } },
    { key: 'b', action: 'set_anti_distillation_law', values: { on: true } },
  ];
  const orders = lines.map((l) => toOrderValue(l, spec(l.action)));
  const bytes = encodeEnvelope(7, Message.SubmitOrders, submitOrders(orders));
  const env = decodeEnvelope(bytes);
  assert.equal(env.requestId, 7);
  assert.equal(env.type, Message.SubmitOrders);
  const sent = env.message as SubmitOrdersT;
  assert.equal(sent.orders.length, 2);
  assert.equal(sent.orders[0]!.args[0]!.kind, ArgKind.Text);
  assert.equal(sent.orders[0]!.args[1]!.kind, ArgKind.Number);
  assert.equal(sent.orders[1]!.args[0]!.kind, ArgKind.Flag);
  assert.deepEqual(sent.orders.map(fromWireOrder), orders);
  // And back into draft lines, as a reopened page shows the orders in.
  assert.deepEqual(fromOrderValue(orders[0]!, 'x').values, { target: 'CN', tier: '1' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEnvelope, encodeEnvelope } from '../../../web/src/proto/codec';
import { emptyModel, reduce } from '../../../web/src/logic/model';
import { choicesFor, initialValue } from '../../../web/src/logic/catalogue';
import { Message } from '../../../web/src/generated/leadtime/wire/message';
import { ScenarioInfoT } from '../../../web/src/generated/leadtime/wire/scenario-info';
import { ScenarioSeatT } from '../../../web/src/generated/leadtime/wire/scenario-seat';
import { CatalogueT } from '../../../web/src/generated/leadtime/wire/catalogue';
import { ActionInfoT } from '../../../web/src/generated/leadtime/wire/action-info';
import { ParamInfoT } from '../../../web/src/generated/leadtime/wire/param-info';
import { ObjectiveInfoT } from '../../../web/src/generated/leadtime/wire/objective-info';
import { EventInfoT } from '../../../web/src/generated/leadtime/wire/event-info';
import { ActorKind } from '../../../web/src/generated/leadtime/wire/actor-kind';
import { Bloc } from '../../../web/src/generated/leadtime/wire/bloc';
import { Visibility } from '../../../web/src/generated/leadtime/wire/visibility';

function scenarioBytes(): Uint8Array {
  const catalogue = new CatalogueT('2028', [
    new ActionInfoT('set_cloud_kyc', 'Know-your-customer rule for offshore cloud hubs.', [ActorKind.Government], 'US', ['us'], [
      new ParamInfoT('strength', 'number', 0, 1, 'share', '0 no rule .. 1 strict', true, 0.25, [], 'a number from 0 to 1'),
    ]),
    new ActionInfoT('set_cyber_operations', 'Cyber operations.', [ActorKind.Government], '', ['us', 'cn'], [
      new ParamInfoT('usd_b', 'number', 0, 10, '$B per quarter', 'cyber budget', true, 0, [], ''),
      new ParamInfoT('target', 'actor', 0, 0, '', 'lab to target', false, 0, ['us_lab', 'cn_lab'], 'one of us_lab, cn_lab'),
    ]),
    new ActionInfoT('set_open_weights', 'Open weights.', [ActorKind.Lab], '', ['us_lab'], [new ParamInfoT('on', 'boolean', 0, 1, '', 'open', true, 1, [], '')]),
    // A parameter type this page does not know (a newer server): left out.
    new ActionInfoT('set_future', 'From a newer server.', [], '', [], [new ParamInfoT('when', 'date', 0, 0, '', '', false, 0, [], '')]),
  ]);
  const info = new ScenarioInfoT('2028', 'the race', '2026Q3', 10, [
    new ScenarioSeatT('us', 'United States', ActorKind.Government, Bloc.US, 'bots/us.lua', ['set_cloud_kyc'], [new ObjectiveInfoT('lead_months', 0.5, 'US lead in months')], 'You are the US.'),
    new ScenarioSeatT('cn_lab', 'Chinese frontier lab', ActorKind.Lab, Bloc.CN, '', [], [], ''),
  ], [new EventInfoT('hbm_shortage', 'HBM shortage', 'May fire from 2026Q4', Visibility.Public, [], 0.05, true)], catalogue);
  return encodeEnvelope(3, Message.ScenarioInfo, info);
}

test('ScenarioInfo from the wire gives the seats, events and the catalogue of the forms', () => {
  const env = decodeEnvelope(scenarioBytes());
  const m = reduce(emptyModel(), env.type, env.message, 0);
  assert.deepEqual(m.scenario?.seats.map((s) => [s.id, s.name, s.kind, s.bloc, s.defaultBot]), [
    ['us', 'United States', 'government', 'US', 'bots/us.lua'],
    ['cn_lab', 'Chinese frontier lab', 'lab', 'CN', ''],
  ]);
  assert.deepEqual(m.scenario?.seats[0]?.objectives, [{ text: 'US lead in months', weight: 0.5, metric: 'lead_months' }]);
  assert.deepEqual(m.scenario?.events, [{ id: 'hbm_shortage', title: 'HBM shortage', description: 'May fire from 2026Q4' }]);
  assert.deepEqual(m.catalogue?.map((a) => [a.name, a.seats]), [
    ['set_cloud_kyc', ['us']],
    ['set_cyber_operations', ['us', 'cn']],
    ['set_open_weights', ['us_lab']],
  ]);
  const kyc = m.catalogue![0]!.params[0]!;
  assert.equal(kyc.default, 0.25);
  assert.equal(kyc.unit, 'share');
  assert.equal(m.catalogue![2]!.params[0]!.default, true, 'a flag default reads as a flag');
  // Forms start at the engine's default and offer the server's choices (not oneself).
  const ctx = { self: 'cn_lab', actors: [], markets: [], blocs: [] };
  assert.equal(initialValue(kyc, ctx), '0.25');
  const target = m.catalogue![1]!.params[1]!;
  assert.deepEqual(choicesFor(target, ctx).map((c) => c.value), ['us_lab']);
  assert.deepEqual(choicesFor(target, { ...ctx, self: 'us' }).map((c) => c.value), ['us_lab', 'cn_lab']);
});

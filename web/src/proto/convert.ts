// The catalogue and scenario messages as the pages' plain types.
import type { ActionInfoT } from '../generated/leadtime/wire/action-info';
import type { CatalogueT } from '../generated/leadtime/wire/catalogue';
import type { ScenarioInfoT } from '../generated/leadtime/wire/scenario-info';
import type { ObjectiveInfoT } from '../generated/leadtime/wire/objective-info';
import { ActorKind } from '../generated/leadtime/wire/actor-kind';
import { Bloc } from '../generated/leadtime/wire/bloc';
import type { ActionSpec, ActorKindName, ParamType } from '../logic/catalogue';
import type { Objective, ScenarioInfo } from '../logic/scenario';
import { txt } from './codec';

const PARAM_TYPES: ParamType[] = ['integer', 'number', 'boolean', 'actor', 'market', 'bloc'];

export function kindName(k: ActorKind): ActorKindName {
  return k === ActorKind.Government ? 'government' : k === ActorKind.Vendor ? 'vendor' : 'lab';
}

// Actions with a parameter type this page does not know are left out (a
// newer server): the page cannot build a valid form for them.
export function catalogueFromWire(c: CatalogueT): ActionSpec[] {
  return actionsFromWire(c.actions);
}

// ActionInfo as the forms use it: the catalogue's actions, and the engine's
// injects the facilitator fires with parameters (ScenarioInfo.injects).
export function actionsFromWire(actions: ActionInfoT[]): ActionSpec[] {
  const out: ActionSpec[] = [];
  for (const a of actions) {
    const params = a.params.map((p) => ({
      name: txt(p.name),
      type: txt(p.type) as ParamType,
      min: p.min,
      max: p.max,
      unit: txt(p.unit),
      help: txt(p.help),
      default: p.hasDefault ? (txt(p.type) === 'boolean' ? p.defaultValue !== 0 : p.defaultValue) : undefined,
      actorKinds: [],
      choices: p.choices.map((x) => txt(x)),
      allowed: txt(p.allowed),
    }));
    if (params.some((p) => !PARAM_TYPES.includes(p.type))) continue;
    out.push({ name: txt(a.name), help: txt(a.help), params, seats: a.seats.map((x) => txt(x)) });
  }
  return out;
}

export function objectivesFromWire(list: ObjectiveInfoT[]): Objective[] {
  return list.map((o) => ({ text: txt(o.help) || txt(o.metric), weight: o.weight, metric: txt(o.metric) }));
}

export function scenarioFromWire(s: ScenarioInfoT, path = ''): ScenarioInfo {
  return {
    path,
    name: txt(s.name),
    description: txt(s.description),
    rounds: s.rounds,
    start: txt(s.start),
    seats: s.seats.map((x) => ({
      id: txt(x.id),
      name: txt(x.name),
      kind: kindName(x.kind),
      bloc: Bloc[x.bloc] ?? '',
      briefing: txt(x.briefing),
      objectives: objectivesFromWire(x.objectives),
      defaultBot: txt(x.defaultBot),
    })),
    events: s.events.map((e) => ({ id: txt(e.id), title: txt(e.title), description: txt(e.description) })),
    injects: actionsFromWire(s.injects),
  };
}

// The action catalogue as the forms use it: every action a seat may order,
// its parameters with type, range, unit and help. It comes from the server
// (engine/catalogue.h is the one table; the wire carries it), so no action
// name is hard-coded in the pages.
import type { ArgValue, OrderValue } from '../proto/codec';

export type ParamType = 'integer' | 'number' | 'boolean' | 'actor' | 'market' | 'bloc';
export type ActorKindName = 'government' | 'vendor' | 'lab';

export interface ParamSpec {
  name: string;
  type: ParamType;
  min: number; // numeric range; unused for the other types
  max: number;
  unit: string;
  help: string;
  default?: number | boolean | string;
  actorKinds: ActorKindName[]; // for actor parameters: which kinds may be named; empty: any
  choices?: string[]; // actor, market, bloc: the ids the server says a value may name
  allowed?: string; // the allowed values in words, as the server's rejection says them
}

export interface ActionSpec {
  name: string;
  help: string;
  params: ParamSpec[];
  seats: string[]; // seats that may use it; empty: no restriction known
}

export interface ActorRef {
  id: string;
  name: string;
  kind: ActorKindName;
}

// What the choices of actor, market and bloc parameters are drawn from.
export interface FormContext {
  self: string; // the seat's own actor id
  actors: ActorRef[];
  markets: string[];
  blocs: string[];
}

export const MARKETS = ['US', 'CN', 'EU', 'ROW'];
export const BLOCS = ['US', 'CN', 'EU', 'SEA', 'ROW'];

// A form field's raw value: the text of a number input or select, or a checkbox.
export type RawValue = string | boolean;

export function actionsFor(catalogue: ActionSpec[], seat: string): ActionSpec[] {
  return catalogue.filter((a) => a.seats.length === 0 || a.seats.includes(seat));
}

export function choicesFor(param: ParamSpec, ctx: FormContext): { value: string; label: string }[] {
  if (param.choices && param.choices.length > 0) {
    const name = (id: string) => ctx.actors.find((a) => a.id === id)?.name;
    return param.choices
      .filter((c) => param.type !== 'actor' || c !== ctx.self)
      .map((c) => ({ value: c, label: param.type === 'actor' && name(c) ? `${name(c)} (${c})` : c }));
  }
  switch (param.type) {
    case 'market':
      return ctx.markets.map((m) => ({ value: m, label: m }));
    case 'bloc':
      return ctx.blocs.map((b) => ({ value: b, label: b }));
    case 'actor':
      return ctx.actors
        .filter((a) => a.id !== ctx.self && (param.actorKinds.length === 0 || param.actorKinds.includes(a.kind)))
        .map((a) => ({ value: a.id, label: `${a.name} (${a.id})` }));
    default:
      return [];
  }
}

// The value a new form starts with: the catalogue's default, else the bottom
// of the range, else the first choice.
export function initialValue(param: ParamSpec, ctx: FormContext): RawValue {
  if (param.type === 'boolean') return typeof param.default === 'boolean' ? param.default : false;
  if (param.default !== undefined) return String(param.default);
  if (param.type === 'integer' || param.type === 'number') return Number.isFinite(param.min) ? String(param.min) : '0';
  return choicesFor(param, ctx)[0]?.value ?? '';
}

export function describeRange(param: ParamSpec): string {
  const unit = param.unit ? ` ${param.unit}` : '';
  if (param.type === 'integer') return `a whole number from ${param.min} to ${param.max}${unit}`;
  if (param.type === 'number') return `a number from ${param.min} to ${param.max}${unit}`;
  if (param.type === 'boolean') return 'on or off';
  return `one of the listed ${param.type === 'actor' ? 'actors' : param.type + 's'}`;
}

// The error a field shows before the order is sent, or null when the value is
// fine. The server checks again (its verdict is what counts).
export function validateField(param: ParamSpec, raw: RawValue, ctx: FormContext): string | null {
  switch (param.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? null : `${param.name}: choose on or off`;
    case 'integer':
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '') return `${param.name}: enter ${describeRange(param)}`;
      const v = Number(text);
      if (!Number.isFinite(v)) return `${param.name}: "${text}" is not a number; enter ${describeRange(param)}`;
      if (param.type === 'integer' && !Number.isInteger(v)) return `${param.name}: ${text} is not a whole number; enter ${describeRange(param)}`;
      if (v < param.min || v > param.max) return `${param.name}: ${text} is out of range; enter ${describeRange(param)}`;
      return null;
    }
    default: {
      const text = typeof raw === 'string' ? raw : '';
      const choices = choicesFor(param, ctx);
      if (choices.some((c) => c.value === text)) return null;
      if (text === '') return `${param.name}: choose ${describeRange(param)}`;
      return `${param.name}: "${text}" is not one of ${choices.map((c) => c.value).join(', ')}`;
    }
  }
}

export interface DraftOrder {
  key: string; // stable id of the draft line in this browser
  action: string;
  values: Record<string, RawValue>;
}

export interface OrderCheck {
  unknownAction: string | null; // the action is not in the seat's catalogue
  fields: Record<string, string>; // parameter -> error
}

export function validateOrder(order: DraftOrder, catalogue: ActionSpec[], ctx: FormContext): OrderCheck {
  const spec = actionsFor(catalogue, ctx.self).find((a) => a.name === order.action);
  if (!spec) return { unknownAction: `${order.action} is not an action your seat may order`, fields: {} };
  const fields: Record<string, string> = {};
  for (const p of spec.params) {
    const err = validateField(p, order.values[p.name] ?? (p.type === 'boolean' ? false : ''), ctx);
    if (err) fields[p.name] = err;
  }
  return { unknownAction: null, fields };
}

export const orderIsValid = (c: OrderCheck) => c.unknownAction === null && Object.keys(c.fields).length === 0;

// A valid draft line as the wire's Order (actors, markets and blocs as text,
// integers as numbers).
export function toOrderValue(order: DraftOrder, spec: ActionSpec): OrderValue {
  const args: ArgValue[] = spec.params.map((p): ArgValue => {
    const raw = order.values[p.name];
    if (p.type === 'boolean') return { name: p.name, kind: 'flag', value: raw === true };
    if (p.type === 'integer' || p.type === 'number') return { name: p.name, kind: 'number', value: Number(raw) };
    return { name: p.name, kind: 'text', value: String(raw ?? '') };
  });
  return { action: order.action, args };
}

// The seat's orders already in (Joined.orders) as draft lines, so a reopened
// page shows what was sent.
export function fromOrderValue(o: OrderValue, key: string): DraftOrder {
  const values: Record<string, RawValue> = {};
  for (const a of o.args) values[a.name] = a.kind === 'flag' ? a.value : String(a.value);
  return { key, action: o.action, values };
}

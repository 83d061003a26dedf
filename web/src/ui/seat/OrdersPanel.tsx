// Orders composed from forms generated from the action catalogue: each
// parameter's range, unit and help shown, each field's error shown before
// sending, and the server's verdict per order after.
import { useEffect, useState } from 'preact/hooks';
import { Message } from '../../generated/leadtime/wire/message';
import type { OrdersAcceptedT } from '../../generated/leadtime/wire/orders-accepted';
import { submitOrders, ready as readyMsg, txt } from '../../proto/codec';
import { ProtocolError, type LeadtimeClient } from '../../proto/client';
import {
  actionsFor,
  initialValue,
  orderIsValid,
  toOrderValue,
  validateOrder,
  type ActionSpec,
  type DraftOrder,
  type FormContext,
  type RawValue,
} from '../../logic/catalogue';
import type { Draft } from '../../logic/drafts';
import type { GameModel } from '../../logic/model';
import { ParamField } from '../ParamField';
import { newKey } from './useDraft';

interface Verdict {
  ok: boolean;
  text: string;
}

interface Props {
  m: GameModel;
  client: LeadtimeClient;
  seat: string;
  catalogue: ActionSpec[] | null;
  ctx: FormContext;
  draft: Draft;
  setDraft: (d: Draft) => void;
}

export function OrdersPanel({ m, client, seat, catalogue, ctx, draft, setDraft }: Props) {
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [sentJson, setSentJson] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pick, setPick] = useState('');

  // A new round (or a rollback): last round's verdicts and messages are stale.
  const round = m.summary?.round ?? 0;
  useEffect(() => {
    setVerdicts({});
    setStatus(null);
    setSentJson(null);
  }, [round]);
  const phase = txt(m.summary?.phase);
  const mine = m.summary?.seats.find((s) => txt(s.seat) === seat);
  const isBot = mine?.bot ?? false;
  const closed = phase === 'resolving' || phase === 'finished' || isBot;
  const actions = catalogue ? actionsFor(catalogue, seat) : [];
  const checks = draft.orders.map((o) => (catalogue ? validateOrder(o, catalogue, ctx) : null));
  const allValid = checks.every((c) => c !== null && orderIsValid(c));
  const unsent = sentJson !== JSON.stringify(draft.orders);

  const setOrders = (orders: DraftOrder[]) => setDraft({ ...draft, orders });

  const add = () => {
    const spec = actions.find((a) => a.name === pick);
    if (!spec) return;
    const values: Record<string, RawValue> = {};
    for (const p of spec.params) values[p.name] = initialValue(p, ctx);
    const key = newKey();
    setOrders([...draft.orders, { key, action: spec.name, values }]);
    // Move focus to the new order's first field for keyboard users.
    setTimeout(() => document.querySelector<HTMLElement>(`[data-order="${key}"] input, [data-order="${key}"] select`)?.focus(), 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!catalogue || !allValid) return;
    setBusy(true);
    setStatus(null);
    const lines = draft.orders;
    const orders = lines.map((o) => toOrderValue(o, actions.find((a) => a.name === o.action)!));
    try {
      const reply = await client.request(Message.SubmitOrders, submitOrders(orders));
      const acc = reply.message as OrdersAcceptedT;
      const v: Record<string, Verdict> = {};
      lines.forEach((o) => (v[o.key] = { ok: true, text: 'accepted' }));
      for (const r of acc.rejected) {
        const line = lines[r.index];
        if (line) v[line.key] = { ok: false, text: `refused: ${txt(r.param) ? txt(r.param) + ': ' : ''}${txt(r.message)}` };
      }
      setVerdicts(v);
      setSentJson(JSON.stringify(lines));
      const refused = acc.rejected.length;
      setStatus({
        ok: refused === 0,
        text: refused === 0 ? `${acc.accepted} order${acc.accepted === 1 ? '' : 's'} accepted and saved.` : `${acc.accepted} accepted, ${refused} refused: see the marked orders.`,
      });
    } catch (err) {
      const pe = err as ProtocolError;
      setStatus({ ok: false, text: `Not sent: ${pe.text ?? String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const setReady = async (value: boolean) => {
    setBusy(true);
    try {
      await client.request(Message.Ready, readyMsg(value));
      setStatus({ ok: true, text: value ? 'You are marked ready.' : 'You are no longer marked ready.' });
    } catch (err) {
      setStatus({ ok: false, text: `Ready not sent: ${(err as ProtocolError).text ?? String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="orders" data-testid="orders">
      {isBot && <p class="callout">The facilitator has handed your seat to a bot; you can watch, but not order, until it is handed back.</p>}
      {!catalogue && <p class="callout" data-testid="no-catalogue">Waiting for the list of actions from the server…</p>}
      <p class="hint">
        Orders change your standing policy from the next round on; what you do not change stays in force. Sending again replaces this round's orders.
      </p>
      <form onSubmit={submit} aria-describedby="orders-status" noValidate>
        {draft.orders.length === 0 && <p class="empty">No orders drafted this round.</p>}
        <ol class="order-list">
          {draft.orders.map((o, i) => {
            const spec = actions.find((a) => a.name === o.action);
            const check = checks[i];
            return (
              <li key={o.key} class="order" data-order={o.key} data-action={o.action}>
                <fieldset>
                  <legend>
                    <span class="order-no">{i + 1}.</span> {o.action.replace(/^set_/, '').replace(/_/g, ' ')}
                  </legend>
                  {spec && <p class="help">{spec.help}</p>}
                  {check?.unknownAction && <p class="field-error">{check.unknownAction}</p>}
                  {spec?.params.map((p) => (
                    <ParamField
                      key={p.name}
                      id={`${o.key}-${p.name}`}
                      param={p}
                      ctx={ctx}
                      value={o.values[p.name] ?? (p.type === 'boolean' ? false : '')}
                      error={check?.fields[p.name] ?? null}
                      disabled={closed}
                      onChange={(v) => setOrders(draft.orders.map((x) => (x.key === o.key ? { ...x, values: { ...x.values, [p.name]: v } } : x)))}
                    />
                  ))}
                  <div class="order-foot">
                    {verdicts[o.key] && !unsent && (
                      <span class={`verdict ${verdicts[o.key]!.ok ? 'ok' : 'bad'}`} data-testid="verdict">
                        {verdicts[o.key]!.ok ? '✔ ' : '✖ '}
                        {verdicts[o.key]!.text}
                      </span>
                    )}
                    <button type="button" class="secondary" disabled={closed} onClick={() => setOrders(draft.orders.filter((x) => x.key !== o.key))}>
                      Remove
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div class="add-order">
          <label for="add-action">Add an order</label>
          <select id="add-action" value={pick} onChange={(e) => setPick((e.target as HTMLSelectElement).value)} disabled={closed || actions.length === 0}>
            <option value="">choose an action…</option>
            {actions.map((a) => (
              <option key={a.name} value={a.name} title={a.help}>
                {a.name.replace(/^set_/, '').replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <button type="button" onClick={add} disabled={closed || !pick}>
            Add
          </button>
        </div>
        {pick && <p class="help">{actions.find((a) => a.name === pick)?.help}</p>}
        <div class="submit-row">
          <button type="submit" class="primary" disabled={busy || closed || !catalogue || !allValid} data-testid="submit-orders">
            Send {draft.orders.length} order{draft.orders.length === 1 ? '' : 's'}
          </button>
          {mine?.ready ? (
            <button type="button" disabled={busy || closed} onClick={() => setReady(false)} data-testid="unready">
              Not ready after all
            </button>
          ) : (
            <button type="button" class="ready" disabled={busy || closed} onClick={() => setReady(true)} data-testid="ready">
              I'm ready
            </button>
          )}
          {!allValid && <span class="field-error">Fix the marked fields first.</span>}
          {allValid && unsent && sentJson !== null && <span class="hint">Changes not sent yet.</span>}
        </div>
        <p id="orders-status" class={`status ${status ? (status.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite" data-testid="orders-status">
          {status?.text ?? ''}
        </p>
        <p class="hint">
          {mine?.submitted ? `Orders in for this round${txt(m.joined?.ordersMember) ? '' : ''}.` : 'No orders in yet for this round.'} {mine?.ready ? 'You are ready.' : ''}
        </p>
      </form>
    </div>
  );
}

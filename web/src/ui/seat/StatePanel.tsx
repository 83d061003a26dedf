// The seat's own state exactly, and its estimates of the others with their
// uncertainty.
import type { ViewMsgT } from '../../generated/leadtime/wire/view-msg';
import type { SelfStateT } from '../../generated/leadtime/wire/self-state';
import { ActorKind } from '../../generated/leadtime/wire/actor-kind';
import { Bloc } from '../../generated/leadtime/wire/bloc';
import { fieldRows, type FieldRow } from '../../logic/fields';
import { estimateBand, formatCompact, formatNumber } from '../../logic/format';
import { txt } from '../../proto/codec';

export function FieldTable({ rows, caption, testId }: { rows: FieldRow[]; caption?: string; testId?: string }) {
  if (rows.length === 0) return null;
  return (
    <table class="fields" data-testid={testId}>
      {caption && <caption>{caption}</caption>}
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Policy fields at their defaults are not in force: show only what is set.
function policyRows(self: SelfStateT): FieldRow[] {
  const p = self.policy;
  if (!p) return [];
  return fieldRows(p).filter((r) => {
    const v = (p as unknown as Record<string, unknown>)[r.key];
    if (typeof v === 'number') return v !== 0 && !(v === -1 && r.key.endsWith('Target'));
    if (typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.some((x) => x !== 0);
    return false;
  });
}

export function SelfStateTables({ self, score }: { self: SelfStateT; score?: number }) {
  const kind = self.government ?? self.vendor ?? self.lab;
  const top: FieldRow[] = [
    { key: 'kind', label: 'Kind', value: `${ActorKind[self.kind]?.toLowerCase()} · ${Bloc[self.bloc]}` },
    { key: 'cash', label: 'Cash', value: `$${formatNumber(self.cashUsdB)}B` },
  ];
  if (score !== undefined) top.push({ key: 'score', label: 'Score so far', value: formatNumber(score) });
  return (
    <div class="self-state" data-testid="self-state">
      <FieldTable rows={top.concat(fieldRows(kind))} />
      <details>
        <summary>Policy in force</summary>
        {policyRows(self).length === 0 ? <p class="empty">Nothing set beyond the defaults.</p> : <FieldTable rows={policyRows(self)} />}
      </details>
      <details>
        <summary>What you paid last round</summary>
        <FieldTable rows={fieldRows(self.spent).filter((r) => r.value !== '0')} />
      </details>
    </div>
  );
}

// Estimates: value and the band of about two thirds of the belief (the
// log-normal noise the server states).
export function Estimates({ view, names }: { view: ViewMsgT; names: Record<string, string> }) {
  const cell = (v: number, sd: number, compact = false) => {
    if (v === 0) return <td>–</td>;
    const [lo, hi] = estimateBand(v, sd);
    const f = compact ? formatCompact : formatNumber;
    return (
      <td>
        {f(v)} <span class="band">({f(lo)}–{f(hi)})</span>
      </td>
    );
  };
  return (
    <table class="estimates" data-testid="estimates">
      <caption>Your estimates of the others (likely range in brackets)</caption>
      <thead>
        <tr>
          <th scope="col">Actor</th>
          <th scope="col">Cash $B</th>
          <th scope="col">Compute H100e</th>
          <th scope="col">Capability OOM</th>
          <th scope="col">Capacity H100e</th>
        </tr>
      </thead>
      <tbody>
        {view.others.map((e) => {
          const id = txt(e.id);
          return (
            <tr key={id}>
              <th scope="row">
                {names[id] ?? id} <span class="kind">{ActorKind[e.kind]?.toLowerCase()}</span>
              </th>
              {cell(e.cashUsdB, e.noiseSd)}
              {cell(e.computeH100e, e.noiseSd, true)}
              {e.capabilityOom === 0 ? <td>–</td> : <td>{formatNumber(e.capabilityOom)} <span class="band">(±{formatNumber(0.5 * e.noiseSd, 2)})</span></td>}
              {cell(e.capacityH100e, e.noiseSd, true)}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// One parameter's form field, built from its catalogue entry: a checkbox, a
// number with its range, or a choice of ids; its help, unit and error shown.
// The seat's order forms and the facilitator's engine injects use it.
import { choicesFor, describeRange, type FormContext, type ParamSpec, type RawValue } from '../logic/catalogue';

export function ParamField({ id, param, ctx, value, error, disabled, onChange }: { id: string; param: ParamSpec; ctx: FormContext; value: RawValue; error: string | null; disabled: boolean; onChange: (v: RawValue) => void }) {
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const described = error ? `${helpId} ${errId}` : helpId;
  let control;
  if (param.type === 'boolean') {
    control = <input id={id} type="checkbox" checked={value === true} disabled={disabled} aria-describedby={described} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />;
  } else if (param.type === 'integer' || param.type === 'number') {
    control = (
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={param.min}
        max={param.max}
        step={param.type === 'integer' ? 1 : 'any'}
        value={String(value)}
        disabled={disabled}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={described}
        onInput={(e) => onChange((e.target as HTMLInputElement).value)}
      />
    );
  } else {
    control = (
      <select id={id} value={String(value)} disabled={disabled} aria-invalid={error ? 'true' : 'false'} aria-describedby={described} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {choicesFor(param, ctx).map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  return (
    <div class={`field ${param.type === 'boolean' ? 'field-check' : ''} ${error ? 'has-error' : ''}`}>
      <label for={id}>{param.name.replace(/_/g, ' ')}</label>
      {control}
      {param.unit && param.type !== 'boolean' && <span class="unit">{param.unit}</span>}
      <span id={helpId} class="help">
        {param.help}
        {param.type === 'integer' || param.type === 'number' ? ` (${describeRange(param)})` : ''}
      </span>
      {error && (
        <span id={errId} class="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

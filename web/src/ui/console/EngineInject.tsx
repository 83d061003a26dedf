// The engine's injects (ScenarioInfo.injects): the facilitator picks one and
// fills its parameters in a form built as the seat page builds orders (a
// supply shock of a chosen share, a smuggling case of a chosen size, a model
// theft); the server checks the values again and names what is wrong.
import { useState } from 'preact/hooks';
import { initialValue, toOrderValue, validateField, type ActionSpec, type FormContext, type RawValue } from '../../logic/catalogue';
import type { ArgValue } from '../../proto/codec';
import { ParamField } from '../ParamField';

interface Props {
  injects: ActionSpec[];
  ctx: FormContext;
  busy: boolean;
  onInject: (id: string, args: ArgValue[]) => void;
}

function startValues(spec: ActionSpec | undefined, ctx: FormContext): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (const p of spec?.params ?? []) values[p.name] = initialValue(p, ctx);
  return values;
}

export function EngineInject({ injects, ctx, busy, onInject }: Props) {
  const [id, setId] = useState('');
  const [values, setValues] = useState<Record<string, RawValue>>({});
  if (injects.length === 0) return null;
  const spec = injects.find((i) => i.name === id);
  const errors: Record<string, string | null> = {};
  for (const p of spec?.params ?? []) errors[p.name] = validateField(p, values[p.name] ?? '', ctx);
  const valid = spec !== undefined && Object.values(errors).every((e) => e === null);
  const choose = (next: string) => {
    setId(next);
    setValues(startValues(injects.find((i) => i.name === next), ctx));
  };
  return (
    <div class="control-row engine-inject">
      <label for="engine-inject">Engine inject</label>
      <select id="engine-inject" value={id} onChange={(e) => choose((e.target as HTMLSelectElement).value)} aria-describedby="engine-inject-help">
        <option value="">choose…</option>
        {injects.map((i) => (
          <option key={i.name} value={i.name}>
            {i.name.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
      <span id="engine-inject-help" class="help">
        {spec?.help ?? 'An event of the engine with sizes of your choosing; fires at the next resolution.'}
      </span>
      {spec?.params.map((p) => (
        <ParamField
          key={`${spec.name}-${p.name}`}
          id={`inject-${p.name}`}
          param={p}
          ctx={ctx}
          value={values[p.name] ?? ''}
          error={errors[p.name] ?? null}
          disabled={busy}
          onChange={(v) => setValues({ ...values, [p.name]: v })}
        />
      ))}
      <button type="button" disabled={busy || !valid} data-testid="cmd-engine-inject" onClick={() => spec && onInject(spec.name, toOrderValue({ key: 'inject', action: spec.name, values }, spec).args)}>
        Inject
      </button>
    </div>
  );
}

// Press: an inbox in threads by correspondent, and a message to one, several
// or all seats. The page shows only the press the server sent this seat.
import { useState } from 'preact/hooks';
import { Message } from '../../generated/leadtime/wire/message';
import { press as pressMsg, txt } from '../../proto/codec';
import type { LeadtimeClient, ProtocolError } from '../../proto/client';
import { threadsFor, type GameModel } from '../../logic/model';
import type { Draft } from '../../logic/drafts';

const MAX_CHARS = 4000;

interface Props {
  m: GameModel;
  client: LeadtimeClient;
  seat: string;
  names: Record<string, string>;
  draft: Draft;
  setDraft: (d: Draft) => void;
  canSend: boolean;
}

export function threadTitle(key: string, names: Record<string, string>): string {
  if (key === '*') return 'Everyone (public)';
  if (key === '') return 'Facilitator';
  return names[key] ?? key;
}

export function PressPanel({ m, client, seat, names, draft, setDraft, canSend }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const threads = threadsFor(m.press, seat);
  const others = (m.summary?.seats ?? []).map((s) => txt(s.seat)).filter((s) => s !== seat);
  // The inbox shows every message; a correspondent's tab shows one thread.
  const all = { key: 'all', messages: m.press };
  const shown = threads.find((t) => t.key === open) ?? all;
  const tooLong = draft.pressText.length > MAX_CHARS;

  const toggleTo = (id: string, on: boolean) => {
    const to = on ? [...draft.pressTo, id] : draft.pressTo.filter((x) => x !== id);
    setDraft({ ...draft, pressTo: to });
  };

  const send = async (e: Event) => {
    e.preventDefault();
    const text = draft.pressText.trim();
    if (!text || tooLong) return;
    setBusy(true);
    try {
      await client.request(Message.Press, pressMsg(draft.pressTo, text));
      setDraft({ ...draft, pressText: '' });
      setStatus({ ok: true, text: `Sent to ${draft.pressTo.length === 0 ? 'everyone' : draft.pressTo.map((t) => names[t] ?? t).join(', ')}.` });
      setOpen(null);
    } catch (err) {
      setStatus({ ok: false, text: `Not sent: ${(err as ProtocolError).text ?? String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="press" data-testid="press">
      <div class="threads">
        <ul class="thread-list" role="tablist" aria-label="conversations">
          {threads.length === 0 && <li class="empty">No messages yet.</li>}
          {threads.length > 0 && (
            <li role="presentation">
              <button type="button" role="tab" aria-selected={shown.key === 'all'} class={shown.key === 'all' ? 'active' : ''} onClick={() => setOpen(null)}>
                All messages <span class="count">{m.press.length}</span>
              </button>
            </li>
          )}
          {threads.map((t) => (
            <li key={t.key} role="presentation">
              <button type="button" role="tab" aria-selected={shown?.key === t.key} class={shown?.key === t.key ? 'active' : ''} onClick={() => setOpen(t.key)}>
                {threadTitle(t.key, names)} <span class="count">{t.messages.length}</span>
              </button>
            </li>
          ))}
        </ul>
        {shown.messages.length > 0 && (
          <ol class="messages" role="tabpanel" aria-label={shown.key === 'all' ? 'all messages' : `messages with ${threadTitle(shown.key, names)}`} data-testid="messages">
            {shown.messages.slice().reverse().map((p) => {
              const from = txt(p.from);
              const to = p.to.map((x) => txt(x));
              return (
                <li key={String(p.seq)} class={from === seat ? 'mine' : ''}>
                  <span class="who">
                    {from === seat ? 'You' : threadTitle(from, names)} → {to.length === 0 ? 'everyone' : to.map((x) => (x === seat ? 'you' : (names[x] ?? x))).join(', ')}
                  </span>
                  <span class="text">{txt(p.text)}</span>
                </li>
              );
            })}
          </ol>
        )}
      </div>
      {canSend && (
        <form class="compose" onSubmit={send}>
          <fieldset>
            <legend>Write to</legend>
            <label class="inline">
              <input type="checkbox" data-to="*" checked={draft.pressTo.length === 0} onChange={() => setDraft({ ...draft, pressTo: [] })} /> everyone (public)
            </label>
            {others.map((id) => (
              <label key={id} class="inline">
                <input type="checkbox" data-to={id} checked={draft.pressTo.includes(id)} onChange={(e) => toggleTo(id, (e.target as HTMLInputElement).checked)} /> {names[id] ?? id}
              </label>
            ))}
          </fieldset>
          <label for="press-text">Message</label>
          <textarea id="press-text" rows={3} value={draft.pressText} aria-invalid={tooLong ? 'true' : 'false'} aria-describedby="press-count" onInput={(e) => setDraft({ ...draft, pressText: (e.target as HTMLTextAreaElement).value })} />
          <div class="submit-row">
            <span id="press-count" class={tooLong ? 'field-error' : 'hint'}>
              {draft.pressText.length} / {MAX_CHARS} characters{draft.pressTo.length === 0 ? ' · public: every seat and the board see it' : ' · private'}
            </span>
            <button type="submit" class="primary" disabled={busy || !draft.pressText.trim() || tooLong} data-testid="send-press">
              Send
            </button>
          </div>
          <p class={`status ${status ? (status.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite">
            {status?.text ?? ''}
          </p>
        </form>
      )}
    </div>
  );
}

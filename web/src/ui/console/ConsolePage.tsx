// The facilitator's console for one game: the whole state (every seat's
// state, policies in force, orders, bots' included), every control, links,
// QR codes and handouts, the audit log, press, the export, and the
// after-action report for the debrief.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useGame } from '../useGame';
import { ConnectionBadge, Countdown, Notices, PausedBanner, RoundLine, Section, SeatTiles } from '../common';
import { IndicatorCharts } from '../charts';
import { Message } from '../../generated/leadtime/wire/message';
import { Command } from '../../generated/leadtime/wire/command';
import { Visibility } from '../../generated/leadtime/wire/visibility';
import type { GameSummaryT } from '../../generated/leadtime/wire/game-summary';
import type { GameCreatedT } from '../../generated/leadtime/wire/game-created';
import type { SaveFileT } from '../../generated/leadtime/wire/save-file';
import type { PressT } from '../../generated/leadtime/wire/press';
import type { RoundResultT } from '../../generated/leadtime/wire/round-result';
import type { SeatOrdersT } from '../../generated/leadtime/wire/seat-orders';
import { command, fromWireOrder, press as pressMsg, txt, type CommandArgs } from '../../proto/codec';
import type { ProtocolError } from '../../proto/client';
import { summaryChanges, type AuditEntry } from '../../logic/audit';
import { browserStore } from '../../logic/drafts';
import { findByFacilitatorToken, keepGame } from '../../logic/games';
import { seatNames } from '../../logic/scenario';
import { formatNumber } from '../../logic/format';
import { SelfStateTables } from '../seat/StatePanel';
import { Handouts, LinksPanel } from './Links';
import { EngineInject } from './EngineInject';
import { BLOCS, MARKETS, type FormContext } from '../../logic/catalogue';
import { keptFromCreated, openConsole } from './CreateGame';

export function ConsolePage({ token }: { token: string }) {
  const { client, model: m, conn } = useGame(token, 'facilitator', 'leadtime-web console');
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [seconds, setSeconds] = useState('60');
  const [eventId, setEventId] = useState('');
  const [branchRound, setBranchRound] = useState('');
  const [botPath, setBotPath] = useState('');
  const [branch, setBranch] = useState<GameCreatedT | null>(null);
  const prev = useRef<GameSummaryT | null>(null);
  // The address in join links: what the server says it serves the pages at,
  // else this page's; the facilitator may put the room's address (a LAN IP).
  const [linkBase, setLinkBase] = useState(localStorage.getItem('leadtime.linkBase') ?? '');
  const serverUrl = conn.kind === 'joined' ? txt(client.welcome?.webUrl) : '';
  const origin = (linkBase.trim() || serverUrl || window.location.origin).replace(/\/$/, '');
  const gameId = txt(m.joined?.gameId) || txt(m.summary?.gameId);
  const kept = useMemo(() => findByFacilitatorToken(browserStore(), token), [token, branch]);
  const names = useMemo(() => {
    const n = seatNames(m.scenario);
    for (const a of m.facilitatorView?.actors ?? []) n[txt(a.id)] = txt(a.name);
    return n;
  }, [m.scenario, m.facilitatorView]);
  const s = m.summary;
  const phase = txt(s?.phase);
  document.title = `Console · ${gameId || 'Leadtime'}`;

  const log = (text: string, kind: AuditEntry['kind']) => setAudit((a) => a.concat([{ atMs: Date.now(), text, kind }]).slice(-500));

  useEffect(
    () =>
      client.onMessage((type, message) => {
        if (type === Message.GameSummary) {
          const next = message as GameSummaryT;
          for (const t of summaryChanges(prev.current, next)) log(t, 'room');
          prev.current = next;
        } else if (type === Message.RoundResult) {
          const r = message as RoundResultT;
          log(`round ${r.round} (${txt(r.quarter)}) resolved: ${r.events.length} events, state hash ${r.hash.toString(16)}`, 'round');
        } else if (type === Message.Press) {
          const p = message as PressT;
          log(`press ${txt(p.from) || 'facilitator'} → ${p.to.length === 0 ? 'everyone' : p.to.map((x) => txt(x)).join(', ')}: ${txt(p.text)}`, 'press');
        } else if (type === Message.GameEnded) {
          log('game ended', 'round');
        }
      }),
    [client],
  );

  const run = async (cmd: Command, args: CommandArgs = {}, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setStatus(null);
    const given = (args.args ?? []).map((a) => ` ${a.name}=${String(a.value)}`).join('');
    const what = `${Command[cmd]}${args.seat ? ' ' + args.seat : ''}${args.seconds ? ' ' + args.seconds + ' s' : ''}${args.eventId ? ' ' + args.eventId : ''}${given}${cmd === Command.Branch ? ' after round ' + (args.round ?? 0) : ''}`;
    try {
      const reply = await client.request(Message.FacilitatorCommand, command(cmd, gameId, args));
      if (reply.type === Message.GameCreated) {
        const created = reply.message as GameCreatedT;
        keepGame(browserStore(), keptFromCreated(created, kept?.scenario ?? txt(s?.scenario), gameId));
        setBranch(created);
      } else if (reply.type === Message.SaveFile) {
        download(reply.message as SaveFileT);
      }
      log(`${what}: done`, 'command');
      setStatus({ ok: true, text: `${what}: done.` });
    } catch (err) {
      const text = (err as ProtocolError).text ?? String(err);
      log(`${what}: refused: ${text}`, 'refused');
      setStatus({ ok: false, text: `${what}: ${text}` });
    } finally {
      setBusy(false);
    }
  };

  const secs = Number(seconds);
  const secsOk = Number.isInteger(secs) && secs > 0;
  const fv = m.facilitatorView;
  const events = m.scenario?.events ?? [];
  const injectCtx: FormContext = useMemo(
    () => ({ self: '', actors: (m.scenario?.seats ?? []).map((x) => ({ id: x.id, name: x.name, kind: x.kind as FormContext['actors'][number]['kind'] })), markets: MARKETS, blocs: BLOCS }),
    [m.scenario],
  );

  return (
    <div class="page console-page">
      <header class="topbar">
        <div>
          <h1>
            Console · game <span data-testid="game-id">{gameId || '…'}</span>
          </h1>
          <RoundLine m={m} />
        </div>
        <Countdown m={m} />
        <ConnectionBadge conn={conn} onReconnect={() => client.reconnectNow()} />
      </header>
      <PausedBanner m={m} />
      <Notices m={m} />
      {m.ended && (
        <div class="callout ended" role="alert">
          Game over: {txt(m.ended.reason)}. {m.ended.scores.map((x) => `${names[txt(x.seat)] ?? txt(x.seat)} ${formatNumber(x.score)}`).join(' · ')}
        </div>
      )}
      <main class="console-grid no-print">
        <div class="col">
          <Section title="Controls" id="controls">
            <div class="controls" role="group" aria-label="game controls">
              <button type="button" class="primary" disabled={busy || phase !== 'lobby'} onClick={() => run(Command.Start)} data-testid="cmd-start">
                Start
              </button>
              <button type="button" disabled={busy || phase !== 'orders'} onClick={() => run(Command.Pause)} data-testid="cmd-pause">
                Pause
              </button>
              <button type="button" disabled={busy || phase !== 'paused'} onClick={() => run(Command.Resume)} data-testid="cmd-resume">
                Resume
              </button>
              <button type="button" disabled={busy || phase === 'finished' || phase === 'resolving'} onClick={() => run(Command.Force, {}, 'Resolve the round now, with the orders in hand?')} data-testid="cmd-force">
                Force the round
              </button>
            </div>
            <div class="control-row">
              <label for="secs">Seconds</label>
              <input id="secs" inputMode="numeric" value={seconds} aria-invalid={secsOk ? 'false' : 'true'} onInput={(e) => setSeconds((e.target as HTMLInputElement).value)} />
              <button type="button" disabled={busy || !secsOk} onClick={() => run(Command.Extend, { seconds: secs })} data-testid="cmd-extend">
                Extend
              </button>
              <button type="button" disabled={busy || !secsOk} onClick={() => run(Command.Shorten, { seconds: secs })} data-testid="cmd-shorten">
                Shorten
              </button>
              {!secsOk && <span class="field-error">a whole number of seconds above 0</span>}
            </div>
            <div class="control-row">
              <label for="inject">Inject event</label>
              {events.length > 0 ? (
                <select id="inject" value={eventId} onChange={(e) => setEventId((e.target as HTMLSelectElement).value)} aria-describedby="inject-help">
                  <option value="">choose…</option>
                  {events.map((ev) => (
                    <option key={ev.id} value={ev.id}>
                      {ev.title || ev.id}
                    </option>
                  ))}
                </select>
              ) : (
                <input id="inject" value={eventId} placeholder="event id, e.g. hbm_shortage" onInput={(e) => setEventId((e.target as HTMLInputElement).value)} aria-describedby="inject-help" />
              )}
              <button type="button" disabled={busy || !eventId.trim()} onClick={() => run(Command.Inject, { eventId: eventId.trim() })} data-testid="cmd-inject">
                Inject
              </button>
              <span id="inject-help" class="help">
                {events.find((ev) => ev.id === eventId)?.description ?? 'Fires at the next resolution. An unknown id is refused with the list of valid ones.'}
              </span>
            </div>
            <EngineInject injects={m.scenario?.injects ?? []} ctx={injectCtx} busy={busy} onInject={(id, given) => run(Command.Inject, { eventId: id, args: given })} />
            <div class="control-row">
              <label for="branch-round">Branch after round</label>
              <input id="branch-round" inputMode="numeric" value={branchRound} placeholder={String(s?.round ?? 0)} onInput={(e) => setBranchRound((e.target as HTMLInputElement).value)} />
              <button type="button" disabled={busy || !/^\d*$/.test(branchRound.trim())} onClick={() => run(Command.Branch, { round: Number(branchRound.trim() || s?.round || 0) })} data-testid="cmd-branch">
                Branch
              </button>
              <button type="button" disabled={busy || (s?.round ?? 0) === 0} onClick={() => run(Command.Rollback, {}, 'Undo the last resolved round? Its orders become editable again.')} data-testid="cmd-rollback">
                Roll back a round
              </button>
            </div>
            <div class="control-row">
              <button type="button" disabled={busy} onClick={() => run(Command.Export)} data-testid="cmd-export">
                Export save file
              </button>
              <button type="button" class="danger" disabled={busy || phase === 'finished'} onClick={() => run(Command.End, {}, 'End the game now for everyone?')} data-testid="cmd-end">
                End the game
              </button>
            </div>
            {/* The token goes in the form's body, never in a URL the server would log. */}
            <form method="post" action="/report" target="_blank" class="control-row" data-testid="report-form">
              <input type="hidden" name="token" value={token} />
              <button type="submit" data-testid="cmd-report">
                Open the after-action report
              </button>
              <span class="help">A new tab: the race over the rounds, events, every seat's orders, press and scores, for the debrief. Save it from the browser to share it.</span>
            </form>
            <p class={`status ${status ? (status.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite" data-testid="command-status">
              {status?.text ?? ''}
            </p>
            {branch && (
              <p class="callout" data-testid="branch-created">
                Branch {txt(branch.gameId)} created (paused, new tokens).{' '}
                <a href={`#token=${encodeURIComponent(txt(branch.facilitatorToken))}`} onClick={() => openConsole(txt(branch.facilitatorToken))}>
                  Open its console
                </a>
              </p>
            )}
          </Section>
          <Section title="Seats" id="seats">
            <SeatTiles m={m} names={names} />
            <table class="seat-controls">
              <caption>Hand a seat to a bot and back, or remove whoever holds it</caption>
              <tbody>
                {(s?.seats ?? []).map((seat) => {
                  const id = txt(seat.seat);
                  return (
                    <tr key={id} data-seat={id}>
                      <th scope="row">{names[id] ?? id}</th>
                      <td title={txt(seat.botPath)}>{seat.bot ? `bot ${txt(seat.botPath).split('/').pop()}` : 'team'}</td>
                      <td class="actions">
                        {seat.bot ? (
                          <button type="button" disabled={busy} onClick={() => run(Command.SwapToPerson, { seat: id })}>
                            To team
                          </button>
                        ) : (
                          <button type="button" disabled={busy} onClick={() => run(Command.SwapToBot, { seat: id, botPath: botPath.trim() })}>
                            To bot
                          </button>
                        )}{' '}
                        <button type="button" class="secondary" disabled={busy || seat.connected === 0} onClick={() => run(Command.Kick, { seat: id }, `Disconnect whoever holds ${id}?`)}>
                          Kick
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <label for="bot-path">Bot file for "hand to bot"</label>
            <input id="bot-path" value={botPath} placeholder="the scenario's bot for the seat" onInput={(e) => setBotPath((e.target as HTMLInputElement).value)} />
          </Section>
          <Section title="Join links" id="links">
            <label for="link-base">Address in the links</label>
            <input
              id="link-base"
              class="wide"
              value={linkBase}
              placeholder={serverUrl || window.location.origin}
              aria-describedby="link-base-help"
              onInput={(e) => {
                const v = (e.target as HTMLInputElement).value;
                setLinkBase(v);
                localStorage.setItem('leadtime.linkBase', v);
              }}
            />
            <span id="link-base-help" class="help">
              How the teams' laptops reach this server, e.g. http://192.168.1.20:8080; empty for {serverUrl || window.location.origin}.
            </span>
            <LinksPanel kept={kept} names={names} origin={origin} />
          </Section>
        </div>
        <div class="col">
          <Section title="Every seat's state" id="whole-state">
            {!fv ? (
              <p class="hint">Waiting for the facilitator's view…</p>
            ) : (
              <div class="actor-grid" data-testid="whole-state">
                {fv.actors.map((a, i) => (
                  <details key={txt(a.id)} class="actor-card" open={i < 3}>
                    <summary>
                      {txt(a.name)} <span class="hint">({txt(a.id)}) · score {formatNumber(fv.scores[i] ?? 0)}</span>
                    </summary>
                    <SelfStateTables self={a} />
                  </details>
                ))}
              </div>
            )}
          </Section>
          <Section title="Orders in for this round" id="orders-submitted">
            <SeatOrdersTable list={fv?.submitted ?? []} names={names} empty="No orders in yet for this round." />
          </Section>
          <Section title="Orders of the last round, bots' included" id="orders-played">
            <SeatOrdersTable list={fv?.orders ?? []} names={names} empty="No round resolved yet." />
          </Section>
        </div>
        <div class="col">
          <Section title="Public indicators" id="indicators">
            <IndicatorCharts history={m.history} height={160} />
          </Section>
          <Section title="Every event" id="events">
            {m.events.length === 0 ? (
              <p class="empty">No events yet.</p>
            ) : (
              <ul class="events">
                {m.events
                  .slice()
                  .reverse()
                  .map((e, i) => (
                    <li key={`${e.round}-${i}`}>
                      <span class="when">{e.quarter}</span> {txt(e.event.text)} <span class="tag">{Visibility[e.event.visibility]?.toLowerCase()}</span>
                    </li>
                  ))}
              </ul>
            )}
          </Section>
          <Section title="Press" id="press">
            <FacilitatorPress press={m.press} names={names} send={(to, text) => client.request(Message.Press, pressMsg(to, text))} seats={(s?.seats ?? []).map((x) => txt(x.seat))} />
          </Section>
          <Section title="Audit log" id="audit">
            <ol class="audit" data-testid="audit" aria-live="off">
              {audit
                .slice()
                .reverse()
                .map((a, i) => (
                  <li key={audit.length - i} class={`audit-${a.kind}`}>
                    <time>{new Date(a.atMs).toLocaleTimeString()}</time> {a.text}
                  </li>
                ))}
            </ol>
          </Section>
        </div>
      </main>
      {kept && (
        <Section title="Handouts" id="handouts" class="handouts-section">
          <Handouts kept={kept} names={names} scenario={m.scenario} origin={origin} />
        </Section>
      )}
    </div>
  );
}

function SeatOrdersTable({ list, names, empty }: { list: SeatOrdersT[]; names: Record<string, string>; empty: string }) {
  if (list.length === 0) return <p class="empty">{empty}</p>;
  return (
    <table class="orders-played">
      <tbody>
        {list.map((so) => (
          <tr key={txt(so.seat)} data-seat={txt(so.seat)}>
            <th scope="row">
              {names[txt(so.seat)] ?? txt(so.seat)} <span class="hint">{so.bot ? 'bot' : txt(so.member)}</span>
            </th>
            <td>
              {so.orders.length === 0
                ? 'no change'
                : so.orders.map((o, i) => {
                    const v = fromWireOrder(o);
                    return <div key={i}>{`${v.action}(${v.args.map((a) => `${a.name}=${String(a.value)}`).join(', ')})`}</div>;
                  })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FacilitatorPress({ press, names, seats, send }: { press: PressT[]; names: Record<string, string>; seats: string[]; send: (to: string[], text: string) => Promise<unknown> }) {
  const [to, setTo] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      await send(to, text.trim());
      setText('');
      setStatus('sent');
    } catch (err) {
      setStatus(`not sent: ${(err as ProtocolError).text ?? String(err)}`);
    }
  };
  return (
    <div class="press">
      <ol class="messages" data-testid="all-press">
        {press.length === 0 && <li class="empty">No press yet.</li>}
        {press.map((p) => (
          <li key={String(p.seq)}>
            <span class="who">
              {txt(p.from) ? (names[txt(p.from)] ?? txt(p.from)) : 'You (facilitator)'} → {p.to.length === 0 ? 'everyone' : p.to.map((x) => names[txt(x)] ?? txt(x)).join(', ')}
            </span>
            <span class="text">{txt(p.text)}</span>
          </li>
        ))}
      </ol>
      <form class="compose" onSubmit={submit}>
        <fieldset>
          <legend>Write to</legend>
          <label class="inline">
            <input type="checkbox" checked={to.length === 0} onChange={() => setTo([])} /> everyone
          </label>
          {seats.map((id) => (
            <label class="inline" key={id}>
              <input type="checkbox" checked={to.includes(id)} onChange={(e) => setTo((e.target as HTMLInputElement).checked ? [...to, id] : to.filter((x) => x !== id))} /> {names[id] ?? id}
            </label>
          ))}
        </fieldset>
        <label for="fac-press">Message</label>
        <textarea id="fac-press" rows={2} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <div class="submit-row">
          <button type="submit" class="primary" disabled={!text.trim()}>
            Send
          </button>
          <span role="status" class="hint">
            {status}
          </span>
        </div>
      </form>
    </div>
  );
}

function download(f: SaveFileT) {
  const blob = new Blob([new Uint8Array(f.data)], { type: 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${txt(f.gameId) || 'game'}.save`;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

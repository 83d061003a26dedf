// The seat page: a team's screen. Briefing and objectives, its own state
// exactly, estimates of the others, the public indicators over the rounds,
// the events it may see, the countdown and who is ready; orders; press.
import { useMemo } from 'preact/hooks';
import { Briefing } from '../briefing';
import { useGame } from '../useGame';
import { ConnectionBadge, Countdown, Notices, PausedBanner, RoundLine, Section, SeatTiles } from '../common';
import { IndicatorCharts } from '../charts';
import { OrdersPanel } from './OrdersPanel';
import { PressPanel } from './PressPanel';
import { Estimates, SelfStateTables } from './StatePanel';
import { useDraft } from './useDraft';
import { txt } from '../../proto/codec';
import { BLOCS, MARKETS, type ActorKindName, type FormContext } from '../../logic/catalogue';
import { ActorKind } from '../../generated/leadtime/wire/actor-kind';
import { Visibility } from '../../generated/leadtime/wire/visibility';
import { seatNames } from '../../logic/scenario';
import { objectivesFromWire } from '../../proto/convert';
import { formatNumber } from '../../logic/format';

export function SeatPage({ token, memberName }: { token: string; memberName: string }) {
  const { client, model: m, conn } = useGame(token, memberName, 'leadtime-web seat');
  const seat = txt(m.joined?.seat);
  const gameId = txt(m.joined?.gameId);
  const round = m.summary ? m.summary.round : null;
  const [draft, setDraft] = useDraft(gameId, seat, round, m.ordersInRound === round ? m.ordersIn : null);
  const view = m.view;
  const self = view?.self ?? null;

  const names = useMemo(() => {
    const n = seatNames(m.scenario);
    if (self) n[txt(self.id)] = txt(self.name);
    return n;
  }, [m.scenario, self]);

  const ctx: FormContext = useMemo(
    () => ({
      self: seat,
      actors: [
        ...(self ? [{ id: txt(self.id), name: txt(self.name), kind: kindName(self.kind) }] : []),
        ...(view?.others ?? []).map((e) => ({ id: txt(e.id), name: names[txt(e.id)] ?? txt(e.id), kind: kindName(e.kind) })),
      ],
      markets: MARKETS,
      blocs: BLOCS,
    }),
    [seat, view, names],
  );

  const seatInfo = m.scenario?.seats.find((s) => s.id === seat);
  // Joined carries the seat's own briefing and objectives; ScenarioInfo has them too.
  const briefing = seatInfo?.briefing || txt(m.joined?.briefing);
  const objectives = seatInfo?.objectives.length ? seatInfo.objectives : objectivesFromWire(m.joined?.objectives ?? []);
  const title = self ? txt(self.name) : seat || 'Leadtime';
  if (typeof document !== 'undefined') document.title = `${title} · Leadtime`;
  const phase = txt(m.summary?.phase);
  const shown = m.events.slice().reverse();

  return (
    <div class="page seat-page">
      <a class="skip" href="#orders-panel">
        Skip to orders
      </a>
      <header class="topbar">
        <div>
          <h1 data-testid="seat-title">{title}</h1>
          <RoundLine m={m} />
        </div>
        <Countdown m={m} />
        <ConnectionBadge conn={conn} onReconnect={() => client.reconnectNow()} />
      </header>
      <PausedBanner m={m} />
      <Notices m={m} />
      {m.ended && (
        <div class="callout ended" role="alert">
          Game over: {txt(m.ended.reason)}.{' '}
          {m.ended.scores.map((s) => `${names[txt(s.seat)] ?? txt(s.seat)} ${formatNumber(s.score)}`).join(' · ')}
        </div>
      )}
      <main class="seat-grid">
        <div class="col">
          <Section title="Your briefing" id="briefing">
            {briefing || objectives.length > 0 ? (
              <>
                <Briefing text={briefing} testid="briefing" />
                <h3>Your score rewards</h3>
                <ul class="objectives">
                  {objectives.map((o) => (
                    <li key={o.metric}>
                      {o.text} <span class="weight">× {formatNumber(o.weight)}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p class="hint">You play {title}. Your facilitator's handout has your briefing and objectives.</p>
            )}
          </Section>
          <Section title="Your state" id="state">
            {self ? <SelfStateTables self={self} score={view?.ownScore} /> : <p class="hint">Waiting for your view…</p>}
          </Section>
          <Section title="The others, as you see them" id="others">
            {view ? <Estimates view={view} names={names} /> : null}
          </Section>
        </div>
        <div class="col">
          <Section title="Orders" id="orders-panel">
            <OrdersPanel m={m} client={client} seat={seat} catalogue={m.catalogue} ctx={ctx} draft={draft} setDraft={setDraft} />
          </Section>
          <Section title="Who is ready" id="seats">
            <SeatTiles m={m} names={names} />
          </Section>
          <Section title="Press" id="press-panel">
            <PressPanel m={m} client={client} seat={seat} names={names} draft={draft} setDraft={setDraft} canSend={phase !== 'finished' && seat !== ''} />
          </Section>
        </div>
        <div class="col">
          <Section title="Public indicators" id="indicators">
            <IndicatorCharts history={m.history} height={170} />
          </Section>
          <Section title="Events you know of" id="events">
            {shown.length === 0 ? (
              <p class="empty">No events yet.</p>
            ) : (
              <ul class="events" data-testid="events">
                {shown.map((e, i) => (
                  <li key={`${e.round}-${i}`} class={`event vis-${Visibility[e.event.visibility]?.toLowerCase()}`}>
                    <span class="when">{e.quarter}</span> {txt(e.event.text)}
                    {e.event.visibility !== Visibility.Public && <span class="tag">private</span>}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      </main>
    </div>
  );
}

function kindName(k: ActorKind): ActorKindName {
  return k === ActorKind.Government ? 'government' : k === ActorKind.Vendor ? 'vendor' : 'lab';
}

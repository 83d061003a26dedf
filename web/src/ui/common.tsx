// Pieces every page shows: the connection, the round and its countdown, the
// seats at a glance.
import type { ComponentChildren } from 'preact';
import type { ConnectionState } from '../proto/client';
import type { GameModel } from '../logic/model';
import { formatCountdown, secondsLeftAt } from '../logic/format';
import { txt } from '../proto/codec';
import { useNow } from './useGame';

export function ConnectionBadge({ conn, onReconnect }: { conn: ConnectionState; onReconnect?: () => void }) {
  const now = useNow(1000);
  let text: string;
  let cls: string;
  switch (conn.kind) {
    case 'joined':
    case 'open':
      text = 'connected';
      cls = 'ok';
      break;
    case 'connecting':
      text = conn.attempt === 0 ? 'connecting…' : 'reconnecting…';
      cls = 'warn';
      break;
    case 'retrying':
      text = `${conn.reason}; retrying in ${Math.max(0, Math.ceil((conn.atMs - now) / 1000))} s`;
      cls = 'warn';
      break;
    case 'stopped':
      text = conn.reason;
      cls = 'bad';
      break;
  }
  return (
    <span class={`conn conn-${cls}`} role="status" aria-live="polite" data-testid="connection">
      <span class="conn-dot" aria-hidden="true" />
      {text}
      {(conn.kind === 'retrying' || conn.kind === 'stopped') && onReconnect && (
        <button type="button" class="link-button" onClick={onReconnect}>
          reconnect now
        </button>
      )}
    </span>
  );
}

export const PHASE_TEXT: Record<string, string> = {
  lobby: 'waiting to start',
  orders: 'orders open',
  resolving: 'resolving the round…',
  paused: 'paused',
  finished: 'game over',
};

export function phaseText(phase: string): string {
  return PHASE_TEXT[phase] ?? phase;
}

// Seconds left, counting down between summaries; frozen while paused.
export function useSecondsLeft(m: GameModel): number | null {
  const now = useNow(500);
  const s = m.summary;
  if (!s || s.phase === 'lobby' || s.phase === 'finished' || s.phase === 'resolving') return null;
  return secondsLeftAt(s.secondsLeft, m.summaryAtMs, now, s.phase === 'paused');
}

export function Countdown({ m, class: cls }: { m: GameModel; class?: string }) {
  const left = useSecondsLeft(m);
  const s = m.summary;
  const text = left === null ? '–:––' : formatCountdown(left);
  const urgent = left !== null && left <= 60 && s?.phase === 'orders';
  return (
    <div class={`countdown ${cls ?? ''} ${urgent ? 'urgent' : ''} ${s?.phase === 'paused' ? 'frozen' : ''}`} role="timer" aria-label={`time left ${text}`} data-testid="countdown">
      {text}
    </div>
  );
}

export function RoundLine({ m }: { m: GameModel }) {
  const s = m.summary;
  if (!s) return <span>waiting for the game…</span>;
  const shown = s.phase === 'finished' ? s.round : Math.min(s.round + 1, s.rounds);
  return (
    <span data-testid="round">
      Round {shown} of {s.rounds}
      {s.phase !== 'finished' && txt(s.quarter) && <> · {txt(s.quarter)}</>} · {phaseText(txt(s.phase))}
    </span>
  );
}

export function Section({ title, children, id, class: cls }: { title: string; children: ComponentChildren; id?: string; class?: string }) {
  const hid = id ? `${id}-h` : undefined;
  return (
    <section class={`panel ${cls ?? ''}`} id={id} aria-labelledby={hid}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}

// One tile per seat: who plays it and where it stands this round.
export function SeatTiles({ m, names, big }: { m: GameModel; names?: Record<string, string>; big?: boolean }) {
  const s = m.summary;
  if (!s) return null;
  return (
    <ul class={`seat-tiles ${big ? 'big' : ''}`} aria-label="seats" data-testid="seat-tiles">
      {s.seats.map((seat) => {
        const id = txt(seat.seat);
        const joined = seat.bot || seat.connected > 0;
        return (
          <li key={id} class={`seat-tile ${seat.ready ? 'is-ready' : seat.submitted ? 'is-submitted' : ''}`} data-seat={id}>
            <span class="seat-name">{names?.[id] ?? id}</span>
            <span class="seat-who">{seat.bot ? 'bot' : 'team'}</span>
            <span class="seat-flags">
              <Flag on={joined} text={seat.bot ? 'playing' : seat.connected > 0 ? `joined${seat.connected > 1 ? ` ×${seat.connected}` : ''}` : 'not joined'} />
              <Flag on={seat.submitted} text={seat.submitted ? 'orders in' : 'no orders'} />
              <Flag on={seat.ready} text={seat.ready ? 'ready' : 'not ready'} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

// A status with a mark as well as a colour, for colour-blind readers.
function Flag({ on, text }: { on: boolean; text: string }) {
  return (
    <span class={`flag ${on ? 'on' : 'off'}`}>
      <span aria-hidden="true">{on ? '✔' : '○'}</span> {text}
    </span>
  );
}

export function PausedBanner({ m }: { m: GameModel }) {
  if (m.summary?.phase !== 'paused') return null;
  return (
    <div class="paused-banner" role="alert" data-testid="paused">
      <span class="pause-icon" aria-hidden="true" />
      Paused by the facilitator
    </div>
  );
}

export function Notices({ m }: { m: GameModel }) {
  if (m.notices.length === 0) return null;
  return (
    <ul class="notices" aria-live="polite">
      {m.notices.slice(-3).map((n) => (
        <li key={n.atMs} class={n.error ? 'error' : ''}>
          {n.text}
        </li>
      ))}
    </ul>
  );
}

// Okabe–Ito: distinguishable with every common colour-vision deficiency.
export const COLOURS = {
  US: '#0072B2',
  CN: '#D55E00',
  EU: '#009E73',
  ROW: '#CC79A7',
  SEA: '#E69F00',
  band: 'rgba(86,180,233,0.22)',
  grey: '#6b6b6b',
};
export const STACK_COLOURS = [COLOURS.US, COLOURS.CN, COLOURS.EU];
export const STACKS = ['US', 'CN', 'EU'];

// The big-screen board (observer link): for a projector at 1920×1080, read
// from the back of the room, no scrolling. Round and quarter, a large
// countdown, a tile per seat, the public indicators over the rounds, a
// ticker of public events and public press, and a clear paused banner.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useGame } from '../useGame';
import { ConnectionBadge, Countdown, PausedBanner, SeatTiles, phaseText } from '../common';
import { IndicatorCharts } from '../charts';
import { tickerItems } from '../../logic/model';
import { seatNames } from '../../logic/scenario';
import { formatNumber, formatShare } from '../../logic/format';
import { txt } from '../../proto/codec';

// The charts take the height the rest of the board leaves them (a game-over
// banner or long seat names take some), so nothing is ever scrolled or cut:
// the plot is that height less its title, legend and note.
function useChartHeight(box: { current: HTMLElement | null }): number {
  const [h, setH] = useState(Math.round(window.innerHeight * 0.28));
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setH(Math.max(80, Math.round(el.clientHeight - window.innerHeight * 0.155)));
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, [box.current]);
  return h;
}

export function BoardPage({ token }: { token: string }) {
  const { client, model: m, conn } = useGame(token, 'board', 'leadtime-web board');
  const chartsBox = useRef<HTMLDivElement>(null);
  const chartHeight = useChartHeight(chartsBox);
  const s = m.summary;
  const names = seatNames(m.scenario);
  const latest = m.history[m.history.length - 1]?.indicators;
  const items = tickerItems(m, 6);
  const shown = s ? (s.phase === 'finished' ? s.round : Math.min(s.round + 1, s.rounds)) : 0;
  document.title = `Board · ${txt(s?.scenario) || 'Leadtime'}`;

  return (
    <div class="board">
      <header class="board-top">
        <div class="board-title">
          <div class="board-scenario">{txt(s?.scenario) || 'Leadtime'}</div>
          <div class="board-round" data-testid="round">
            {s ? (
              <>
                Round {shown} <span class="of">of {s.rounds}</span> · {s.phase === 'finished' ? 'final' : txt(s.quarter)}
              </>
            ) : (
              'waiting for the game…'
            )}
          </div>
          <div class="board-phase">{s ? phaseText(txt(s.phase)) : ''}</div>
        </div>
        {latest && (
          <dl class="board-figures" aria-label="latest public figures">
            <div>
              <dt>US lead</dt>
              <dd data-testid="lead">{formatNumber(latest.leadMonths)} mo</dd>
            </div>
            <div>
              <dt>Compute US:CN</dt>
              <dd>{formatNumber(latest.computeRatioUsCn)}×</dd>
            </div>
            <div>
              <dt>ROW share US/CN/EU</dt>
              <dd>
                {(latest.markets.find((mk) => mk.market === 'ROW')?.shares ?? []).map((v) => formatShare(v)).join(' / ')}
              </dd>
            </div>
          </dl>
        )}
        {s?.phase !== 'finished' && <Countdown m={m} class="board-countdown" />}
      </header>
      <PausedBanner m={m} />
      {m.ended && (
        <div class="board-ended" role="alert">
          Game over · {m.ended.scores.map((x) => `${names[txt(x.seat)] ?? txt(x.seat)} ${formatNumber(x.score)}`).join(' · ')}
        </div>
      )}
      <SeatTiles m={m} names={names} big />
      <div class="board-charts" ref={chartsBox}>
        <IndicatorCharts history={m.history} height={chartHeight} dark />
      </div>
      <footer class="board-ticker" aria-label="public news" aria-live="polite" data-testid="ticker">
        {items.length === 0 ? (
          <p class="ticker-empty">No public news yet.</p>
        ) : (
          <ul>
            {items.map((it) => (
              <li key={it.key} class={`ticker-${it.kind}`}>
                <span class="ticker-who">{it.kind === 'press' ? (names[it.who] ?? it.who) : it.who}</span>
                <span class="ticker-text">{it.text}</span>
              </li>
            ))}
          </ul>
        )}
        <ConnectionBadge conn={conn} onReconnect={() => client.reconnectNow()} />
      </footer>
    </div>
  );
}

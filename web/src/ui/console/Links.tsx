// Join links and QR codes per seat and for the board, and a printable
// one-page handout per seat (briefing, objectives, link and QR, how to play).
import { useEffect, useState } from 'preact/hooks';
import { Briefing } from '../briefing';
import QRCode from 'qrcode';
import { joinLink } from '../../logic/fragment';
import type { KeptGame } from '../../logic/games';
import type { ScenarioInfo } from '../../logic/scenario';
import { formatNumber } from '../../logic/format';

export function Qr({ text, label, size }: { text: string; label: string; size?: number }) {
  const [svg, setSvg] = useState('');
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(''));
    return () => {
      live = false;
    };
  }, [text]);
  return <div class="qr" role="img" aria-label={label} style={size ? { width: `${size}px`, height: `${size}px` } : undefined} dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function CopyLink({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <span class="copy-link">
      <a href={url} target="_blank" rel="noopener noreferrer" aria-label={label}>
        open
      </a>
      <button type="button" class="secondary" onClick={copy}>
        {copied ? 'copied' : 'copy link'}
      </button>
    </span>
  );
}

export function LinksPanel({ kept, names, origin }: { kept: KeptGame | null; names: Record<string, string>; origin: string }) {
  if (!kept) {
    return (
      <p class="hint" data-testid="no-links">
        This browser did not create the game, so it has no seat tokens (the server keeps only their hashes). Open the console from the browser that created it, or branch the game for new tokens.
      </p>
    );
  }
  const board = joinLink(origin, 'board.html', kept.observerToken);
  return (
    <div class="links" data-testid="links">
      <ul class="link-cards">
        <li class="link-card board-link">
          <h3>Board (projector)</h3>
          <Qr text={board} label="QR code of the board link" />
          <CopyLink url={board} label="open the board" />
        </li>
        {Object.entries(kept.seats).map(([seat, token]) => {
          const url = joinLink(origin, 'seat.html', token);
          return (
            <li class="link-card" key={seat} data-seat={seat}>
              <h3>{names[seat] ?? seat}</h3>
              <Qr text={url} label={`QR code of the join link for ${names[seat] ?? seat}`} />
              <CopyLink url={url} label={`open the seat page of ${names[seat] ?? seat}`} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

// Handouts: one printed page per seat. `only` prints a single seat's.
export function Handouts({ kept, names, scenario, origin }: { kept: KeptGame; names: Record<string, string>; scenario: ScenarioInfo | null; origin: string }) {
  const [only, setOnly] = useState<string | null>(null);
  const print = (seat: string | null) => {
    setOnly(seat);
    const done = () => {
      setOnly(null);
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    setTimeout(() => window.print(), 50);
  };
  return (
    <div class="handouts-panel">
      <div class="no-print submit-row">
        <button type="button" onClick={() => print(null)}>
          Print all handouts
        </button>
        {Object.keys(kept.seats).map((seat) => (
          <button type="button" class="secondary" key={seat} onClick={() => print(seat)}>
            Print {names[seat] ?? seat}
          </button>
        ))}
      </div>
      <div class="handouts" data-testid="handouts">
        {Object.entries(kept.seats).map(([seat, token]) => {
          const url = joinLink(origin, 'seat.html', token);
          const info = scenario?.seats.find((s) => s.id === seat);
          return (
            <article class={`handout ${only !== null && only !== seat ? 'skip-print' : ''}`} key={seat} data-seat={seat} aria-label={`handout for ${names[seat] ?? seat}`}>
              <header>
                <p class="handout-game">
                  Leadtime · game {kept.gameId} · {kept.scenario}
                </p>
                <h2>{names[seat] ?? seat}</h2>
              </header>
              <div class="handout-body">
                <div>
                  <h3>Your briefing</h3>
                  {info?.briefing ? (
                    <Briefing text={info.briefing} omit={['Your actions', 'Objectives and score']} />
                  ) : (
                    <p>You play the seat "{seat}". The facilitator will brief you on your role.</p>
                  )}
                  <h3>What your score rewards</h3>
                  {info && info.objectives.length > 0 ? (
                    <ul>
                      {info.objectives.map((o) => (
                        <li key={o.metric}>
                          {o.text} (× {formatNumber(o.weight)})
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>Your seat page shows your score after every round.</p>
                  )}
                  <h3>How to play</h3>
                  <ol>
                    <li>Scan the code or open the link on one laptop or tablet per team; keep this sheet private, since the link lets its holder play your seat.</li>
                    <li>Read your state, your estimates of the others (they are uncertain) and the public indicators.</li>
                    <li>Compose orders from the list of actions; each field shows its range. Send them: what you do not change stays in force.</li>
                    <li>Write press to one, several or all seats. Public press appears on the board.</li>
                    <li>Press "I'm ready" when done. The round resolves when every team is ready or the countdown ends.</li>
                  </ol>
                </div>
                <div class="handout-join">
                  <Qr text={url} label={`QR code of the join link for ${names[seat] ?? seat}`} size={220} />
                  <p class="handout-url">{url}</p>
                </div>
              </div>
            </article>
          );
        })}
      </div>
    </div>
  );
}

// Creating a game: scenario, which seats people play, the deadline. Needs the
// server's facilitator key (leadtime-server prints where it keeps it; the
// console link of scripts/run.sh carries it in the fragment).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LeadtimeClient, defaultSocketUrl, type ConnectionState, type ProtocolError } from '../../proto/client';
import { createGame, listGames, scenarioInfoRequest, txt } from '../../proto/codec';
import { scenarioFromWire } from '../../proto/convert';
import type { ScenarioInfoT } from '../../generated/leadtime/wire/scenario-info';
import { Message } from '../../generated/leadtime/wire/message';
import type { GameCreatedT } from '../../generated/leadtime/wire/game-created';
import type { GameListT } from '../../generated/leadtime/wire/game-list';
import { ConnectionBadge, phaseText } from '../common';
import { browserStore } from '../../logic/drafts';
import { keepGame, loadGames, type KeptGame } from '../../logic/games';
import type { ScenarioInfo } from '../../logic/scenario';

export function keptFromCreated(c: GameCreatedT, scenario: string, parent?: string): KeptGame {
  const seats: Record<string, string> = {};
  for (const s of c.seats) seats[txt(s.seat)] = txt(s.token);
  return { gameId: txt(c.gameId), createdAtMs: Date.now(), scenario, facilitatorToken: txt(c.facilitatorToken), observerToken: txt(c.observerToken), seats, parent };
}

export function openConsole(token: string): void {
  const p = new URLSearchParams();
  p.set('token', token);
  window.location.hash = p.toString();
}

export function CreateGame({ initialKey }: { initialKey: string }) {
  const client = useMemo(() => new LeadtimeClient({ url: defaultSocketUrl(window.location), clientName: 'leadtime-web console' }), []);
  const [conn, setConn] = useState<ConnectionState>(client.state);
  const [key, setKey] = useState(initialKey || sessionStorage.getItem('leadtime.key') || '');
  const [scenarioPath, setScenarioPath] = useState('');
  const [people, setPeople] = useState('us, cn, us_lab');
  const [deadline, setDeadline] = useState('600');
  const [seed, setSeed] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [list, setList] = useState<GameListT | null>(null);
  const kept = loadGames(browserStore());
  const [scenario, setScenario] = useState<ScenarioInfo | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [scenarioNote, setScenarioNote] = useState('');

  useEffect(() => {
    const off = client.onState(setConn);
    client.start();
    return () => {
      off();
      client.stop('page closed');
    };
  }, [client]);

  // The scenario's seats, names, bots and briefings, so the facilitator picks
  // person seats from a list (needs the key; an empty path is the server's default).
  const loadScenario = async () => {
    try {
      const reply = await client.request(Message.ScenarioInfoRequest, scenarioInfoRequest(scenarioPath.trim(), key));
      const info = scenarioFromWire(reply.message as ScenarioInfoT, scenarioPath.trim());
      setScenario(info);
      setChosen(info.seats.filter((x) => x.defaultBot === '').map((x) => x.id));
      setScenarioNote('');
    } catch (err) {
      setScenario(null);
      setScenarioNote(`Scenario not loaded: ${(err as ProtocolError).text ?? String(err)}`);
    }
  };
  useEffect(() => {
    if (conn.kind === 'open' && key) void loadScenario();
  }, [conn.kind]);

  const deadlineError = /^\d+$/.test(deadline.trim()) ? null : 'enter the seconds per round as a whole number (0: no deadline)';
  const seedError = seed.trim() === '' || /^\d+$/.test(seed.trim()) ? null : 'enter a whole number, or leave empty for a random seed';
  const seats = scenario
    ? chosen
    : people
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean);

  const create = async (e: Event) => {
    e.preventDefault();
    if (deadlineError || seedError) return;
    setBusy(true);
    setStatus(null);
    try {
      sessionStorage.setItem('leadtime.key', key);
      const reply = await client.request(
        Message.CreateGame,
        createGame({
          scenarioPath: scenarioPath.trim(),
          seed: BigInt(seed.trim() || '0'),
          deadlineSeconds: Number(deadline.trim()),
          facilitatorKey: key,
          people: seats,
        }),
      );
      const created = reply.message as GameCreatedT;
      const g = keptFromCreated(created, scenario?.name || scenarioPath.trim() || 'default');
      keepGame(browserStore(), g);
      setStatus({ ok: true, text: `Game ${g.gameId} created.` });
      openConsole(g.facilitatorToken);
    } catch (err) {
      setStatus({ ok: false, text: `Not created: ${(err as ProtocolError).text ?? String(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const refresh = async () => {
    try {
      const reply = await client.request(Message.ListGames, listGames(key));
      setList(reply.message as GameListT);
      setStatus(null);
    } catch (err) {
      setStatus({ ok: false, text: `Cannot list games: ${(err as ProtocolError).text ?? String(err)}` });
    }
  };

  return (
    <div class="page console-page">
      <header class="topbar">
        <h1>Facilitator's console</h1>
        <ConnectionBadge conn={conn} onReconnect={() => client.reconnectNow()} />
      </header>
      <main class="console-start">
        <form class="panel create-game" onSubmit={create} noValidate>
          <h2>Create a game</h2>
          <label for="fkey">Facilitator key</label>
          <input id="fkey" type="password" autoComplete="off" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-describedby="fkey-help" />
          <span id="fkey-help" class="help">
            From the server's key file (leadtime-server prints where it is); not needed with --open-lobby.
          </span>
          <label for="scenario">Scenario file</label>
          <input id="scenario" value={scenarioPath} placeholder="the server's default scenario" onInput={(e) => setScenarioPath((e.target as HTMLInputElement).value)} aria-describedby="scenario-help" />
          <span id="scenario-help" class="help">
            A path relative to the server's scenario folder, e.g. 2028.lua; empty for the server's default.{' '}
            <button type="button" class="link-button" onClick={loadScenario} disabled={conn.kind !== 'open'}>
              Load its seats
            </button>
          </span>
          {scenarioNote && <span class="field-error">{scenarioNote}</span>}
          {scenario && (
            <fieldset class="people" data-testid="people">
              <legend>
                {scenario.name}: {scenario.rounds} rounds from {scenario.start}. Seats played by people
              </legend>
              <p class="help">{scenario.description}</p>
              {scenario.seats.map((seat) => (
                <label class="seat-choice" key={seat.id}>
                  <input type="checkbox" checked={chosen.includes(seat.id)} onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, seat.id] : chosen.filter((x) => x !== seat.id))} data-seat={seat.id} />{' '}
                  {seat.name} <span class="hint">({seat.id}, {seat.kind}; otherwise {seat.defaultBot ? `bot ${seat.defaultBot.split('/').pop()}` : 'no bot: a person seat'})</span>
                </label>
              ))}
            </fieldset>
          )}
          {scenario === null && (
            <>
              <label for="people">Seats played by people</label>
              <input id="people" value={people} onInput={(e) => setPeople((e.target as HTMLInputElement).value)} aria-describedby="people-help" />
              <span id="people-help" class="help">
                Seat ids separated by commas; every other seat is played by the scenario's bot. The server names the valid seats if one is wrong.
              </span>
            </>
          )}
          <label for="deadline">Seconds per round</label>
          <input id="deadline" inputMode="numeric" value={deadline} aria-invalid={deadlineError ? 'true' : 'false'} aria-describedby="deadline-err" onInput={(e) => setDeadline((e.target as HTMLInputElement).value)} />
          <span id="deadline-err" class={deadlineError ? 'field-error' : 'help'}>
            {deadlineError ?? 'The orders phase of each round; the round also resolves once every person seat is ready.'}
          </span>
          <label for="seed">Seed (optional)</label>
          <input id="seed" inputMode="numeric" value={seed} aria-invalid={seedError ? 'true' : 'false'} aria-describedby="seed-err" onInput={(e) => setSeed((e.target as HTMLInputElement).value)} />
          <span id="seed-err" class={seedError ? 'field-error' : 'help'}>
            {seedError ?? 'The same seed and orders replay the same game.'}
          </span>
          <div class="submit-row">
            <button type="submit" class="primary" disabled={busy || conn.kind !== 'open' || !!deadlineError || !!seedError} data-testid="create-game">
              Create game
            </button>
            <button type="button" onClick={refresh} disabled={conn.kind !== 'open'}>
              List the server's games
            </button>
          </div>
          <p class={`status ${status ? (status.ok ? 'ok' : 'bad') : ''}`} role="status" aria-live="polite" data-testid="create-status">
            {status?.text ?? ''}
          </p>
        </form>
        <section class="panel" aria-labelledby="kept-h">
          <h2 id="kept-h">Games created in this browser</h2>
          {kept.length === 0 ? (
            <p class="empty">None yet. The tokens of a game you create are kept in this browser, so you can reopen its console, links and handouts.</p>
          ) : (
            <ul class="kept-games">
              {kept.map((g) => (
                <li key={g.facilitatorToken}>
                  <a href={`#token=${encodeURIComponent(g.facilitatorToken)}`}>
                    {g.gameId}
                  </a>{' '}
                  <span class="hint">
                    {g.scenario} · {Object.keys(g.seats).length} person seats · {new Date(g.createdAtMs).toLocaleString()}
                    {g.parent ? ` · branched from ${g.parent}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {list && (
            <>
              <h3>On the server</h3>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Game</th>
                    <th scope="col">Scenario</th>
                    <th scope="col">Round</th>
                    <th scope="col">Phase</th>
                    <th scope="col">Open seats</th>
                  </tr>
                </thead>
                <tbody>
                  {list.games.map((g) => (
                    <tr key={txt(g.gameId)}>
                      <td>{txt(g.gameId)}</td>
                      <td>{txt(g.scenario)}</td>
                      <td>
                        {g.round} / {g.rounds}
                      </td>
                      <td>{phaseText(txt(g.phase))}</td>
                      <td>{g.openSeats.map((s) => txt(s)).join(', ') || '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      </main>
    </div>
  );
}

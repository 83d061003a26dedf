// The one hook every page uses: a protocol client, the model it feeds, and
// the connection state, re-rendering the page on each change.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LeadtimeClient, defaultSocketUrl, type ConnectionState } from '../proto/client';
import { emptyModel, reduce, type GameModel } from '../logic/model';
import { Message } from '../generated/leadtime/wire/message';
import type { GameSummaryT } from '../generated/leadtime/wire/game-summary';
import { scenarioInfoRequest } from '../proto/codec';

export interface GameHandle {
  client: LeadtimeClient;
  model: GameModel;
  conn: ConnectionState;
}

export function useGame(token: string, memberName: string, clientName: string): GameHandle {
  const client = useMemo(
    () => new LeadtimeClient({ url: defaultSocketUrl(window.location), token, memberName, clientName }),
    // A new token is a new client; the member name travels with the next Join.
    [token],
  );
  const [model, setModel] = useState<GameModel>(emptyModel);
  const [conn, setConn] = useState<ConnectionState>(client.state);

  useEffect(() => {
    setModel(emptyModel());
    const offMsg = client.onMessage((type, message) => {
      setModel((m) => reduce(m, type, message, Date.now()));
      // After a rollback the server's rounds go back: ask for them again.
      if (type === Message.GameSummary) {
        const s = message as GameSummaryT;
        if (client.lastRound > s.round) client.lastRound = s.round;
      }
    });
    // The scenario (briefing, objectives, seat names, events) and the action
    // catalogue, once per page: they do not change during a game.
    let asked = false;
    const offState = client.onState((s) => {
      setConn(s);
      if (s.kind === 'joined' && !asked) {
        asked = true;
        // Asked once: a server that does not know the request may close the
        // connection, and asking again on every rejoin would loop.
        client.request(Message.ScenarioInfoRequest, scenarioInfoRequest()).catch((e) => {
          console.warn('leadtime: no scenario information:', (e as Error).message);
        });
      }
    });
    client.start();
    // A laptop waking up: try at once instead of waiting out the backoff.
    const wake = () => {
      if (document.visibilityState === 'visible') client.reconnectNow();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', wake);
    return () => {
      offMsg();
      offState();
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', wake);
      client.stop('page closed');
    };
  }, [client]);

  return { client, model, conn };
}

// The current time, ticking every `everyMs` (for countdowns).
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

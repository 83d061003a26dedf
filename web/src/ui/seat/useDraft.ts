// The seat's draft (orders being composed, press being written), kept in
// localStorage on every change and read back when the page opens again.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DraftStore, browserStore, emptyDraft, type Draft } from '../../logic/drafts';
import { fromOrderValue } from '../../logic/catalogue';
import { fromWireOrder } from '../../proto/codec';
import type { OrderT } from '../../generated/leadtime/wire/order';

let counter = 0;
export const newKey = () => `o${Date.now().toString(36)}${(counter++).toString(36)}`;

export function useDraft(gameId: string, seat: string, round: number | null, sentOrders: OrderT[] | null): [Draft, (d: Draft) => void] {
  const store = useMemo(() => new DraftStore(browserStore()), []);
  const [draft, setDraft] = useState<Draft>(emptyDraft(round ?? 0));
  const loadedFor = useRef('');

  useEffect(() => {
    if (!gameId || !seat || round === null) return;
    const id = `${gameId}/${seat}/${round}`;
    if (loadedFor.current === id) return;
    loadedFor.current = id;
    const kept = store.load(gameId, seat, round);
    // Nothing kept in this browser: start from the orders the seat already
    // has in for this round (sent from another laptop, or before a reload
    // that lost storage).
    if (kept.orders.length === 0 && kept.pressText === '' && sentOrders && sentOrders.length > 0) {
      kept.orders = sentOrders.map((o) => fromOrderValue(fromWireOrder(o), newKey()));
    }
    setDraft(kept);
  }, [gameId, seat, round, sentOrders]);

  const update = (d: Draft) => {
    setDraft(d);
    if (gameId && seat) store.save(gameId, seat, d);
  };
  return [draft, update];
}

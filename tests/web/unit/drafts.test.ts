import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DraftStore, MemoryStore, emptyDraft, parseDraft, type Draft } from '../../../web/src/logic/drafts';

const draft = (round: number): Draft => ({
  round,
  orders: [{ key: 'o1', action: 'set_lab_subsidy', values: { usd_b: '12.5' } }, { key: 'o2', action: 'set_open_weights', values: { on: true } }],
  pressTo: ['cn'],
  pressText: 'half-written message',
  savedAtMs: 0,
});

test('a saved draft comes back in the same round, orders and press included', () => {
  const store = new MemoryStore();
  new DraftStore(store, () => 1234).save('g1', 'us', draft(3));
  // A new page (a reopened tab) with a new DraftStore on the same storage.
  const back = new DraftStore(store).load('g1', 'us', 3);
  assert.deepEqual(back, { ...draft(3), savedAtMs: 1234 });
});

test('drafts are kept per game and per seat', () => {
  const store = new MemoryStore();
  const ds = new DraftStore(store);
  ds.save('g1', 'us', draft(0));
  assert.deepEqual(ds.load('g1', 'cn', 0), emptyDraft(0));
  assert.deepEqual(ds.load('g2', 'us', 0), emptyDraft(0));
  assert.equal(ds.load('g1', 'us', 0).orders.length, 2);
});

test('a draft of a round already resolved is dropped and removed from storage', () => {
  const store = new MemoryStore();
  const ds = new DraftStore(store);
  ds.save('g1', 'us', draft(2));
  assert.deepEqual(ds.load('g1', 'us', 3), emptyDraft(3));
  assert.equal(store.getItem(DraftStore.key('g1', 'us')), null);
});

test('a draft that does not parse, or has the wrong shape, is dropped', () => {
  const store = new MemoryStore();
  const key = DraftStore.key('g1', 'us');
  store.setItem(key, '{not json');
  assert.deepEqual(new DraftStore(store).load('g1', 'us', 0), emptyDraft(0));
  assert.equal(store.getItem(key), null);
  assert.equal(parseDraft(JSON.stringify({ round: 1, orders: [{ key: 'a', action: 'x', values: { n: 5 } }], pressTo: [], pressText: '' })), null, 'a value must be text or a flag');
  assert.equal(parseDraft(JSON.stringify({ round: '1', orders: [], pressTo: [], pressText: '' })), null, 'round must be an integer');
  assert.equal(parseDraft(JSON.stringify({ round: 1, orders: [], pressTo: [3], pressText: '' })), null, 'addressees are seat ids');
  assert.equal(parseDraft('null'), null);
});

test('a storage that refuses writes (full, private mode) does not break saving', () => {
  const store = new MemoryStore();
  store.setItem = () => {
    throw new Error('QuotaExceededError');
  };
  assert.doesNotThrow(() => new DraftStore(store).save('g1', 'us', draft(0)));
});

test('clear forgets the draft', () => {
  const store = new MemoryStore();
  const ds = new DraftStore(store);
  ds.save('g1', 'us', draft(1));
  ds.clear('g1', 'us');
  assert.deepEqual(ds.load('g1', 'us', 1), emptyDraft(1));
});

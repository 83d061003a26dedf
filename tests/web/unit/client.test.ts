import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeadtimeClient, ProtocolError, type SocketLike, type ConnectionState } from '../../../web/src/proto/client';
import { decodeEnvelope, encodeEnvelope, ready, type Packable } from '../../../web/src/proto/codec';
import { Message } from '../../../web/src/generated/leadtime/wire/message';
import { ErrorCode } from '../../../web/src/generated/leadtime/wire/error-code';
import { WelcomeT } from '../../../web/src/generated/leadtime/wire/welcome';
import { JoinedT } from '../../../web/src/generated/leadtime/wire/joined';
import { ErrorT } from '../../../web/src/generated/leadtime/wire/error';
import { AckT } from '../../../web/src/generated/leadtime/wire/ack';
import { PressT } from '../../../web/src/generated/leadtime/wire/press';
import { RoundResultT } from '../../../web/src/generated/leadtime/wire/round-result';
import type { JoinT } from '../../../web/src/generated/leadtime/wire/join';
import type { HelloT } from '../../../web/src/generated/leadtime/wire/hello';
import { Role } from '../../../web/src/generated/leadtime/wire/role';

// A clock and timers the test moves by hand.
class Clock {
  now = 0;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  private next = 1;
  set = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ id, at: this.now + ms, fn });
    return id;
  };
  clear = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number) {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const t = this.timers[0];
      if (!t || t.at > end) break;
      this.timers.shift();
      this.now = t.at;
      t.fn();
    }
    this.now = end;
  }
}

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: ReturnType<typeof decodeEnvelope>[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  send(data: Uint8Array) {
    this.sent.push(decodeEnvelope(data));
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(requestId: number, type: Message, msg: Packable) {
    const bytes = encodeEnvelope(requestId, type, msg);
    // As a browser delivers it: an ArrayBuffer of exactly the message.
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  }
  drop() {
    this.onclose?.({ code: 1006, reason: '' });
  }
  last() {
    return this.sent[this.sent.length - 1]!;
  }
}

function setup(token = 'tok-us') {
  const clock = new Clock();
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const client = new LeadtimeClient({
    url: 'ws://test/ws',
    token,
    memberName: 'Ada',
    backoff: { baseMs: 500, maxMs: 4000, jitter: 0 },
    makeSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    now: () => clock.now,
    setTimer: clock.set,
    clearTimer: clock.clear,
    random: () => 0,
  });
  client.onState((s) => states.push(s));
  client.start();
  return { client, clock, sockets, states };
}

function handshake(s: FakeSocket, idle = 1800) {
  s.open();
  const hello = s.last();
  assert.equal(hello.type, Message.Hello);
  assert.equal((hello.message as HelloT).protocolVersion, 1);
  s.push(hello.requestId, Message.Welcome, new WelcomeT('0.1.0', 1, idle));
}

test('Hello first, then Join with the token on Welcome; Joined makes the client joined', () => {
  const { client, sockets } = setup();
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0]!.binaryType, 'arraybuffer');
  handshake(sockets[0]!);
  const join = sockets[0]!.last();
  assert.equal(join.type, Message.Join);
  const j = join.message as JoinT;
  assert.equal(j.token, 'tok-us');
  assert.equal(j.memberName, 'Ada');
  assert.equal(j.lastPressSeq, 0n);
  assert.equal(j.lastRound, 0);
  sockets[0]!.push(join.requestId, Message.Joined, new JoinedT('g1', 'us', Role.Seat, [], '', false));
  assert.equal(client.state.kind, 'joined');
});

test('replies resolve the request with their id; an Error rejects with its code and text', async () => {
  const { client, sockets } = setup();
  const s = sockets[0]!;
  handshake(s);
  s.push(s.last().requestId, Message.Joined, new JoinedT('g1', 'us', Role.Seat, [], '', false));
  const a = client.request(Message.Ready, ready(true));
  const b = client.request(Message.Ready, ready(false));
  const [ra, rb] = [s.sent[s.sent.length - 2]!, s.last()];
  assert.notEqual(ra.requestId, rb.requestId);
  // Answers in the other order still reach their requests.
  s.push(rb.requestId, Message.Error, new ErrorT(rb.requestId, ErrorCode.WrongPhase, 'the round is resolving'));
  s.push(ra.requestId, Message.Ack, new AckT(ra.requestId));
  assert.equal((await a).type, Message.Ack);
  await assert.rejects(b, (e: ProtocolError) => e.code === ErrorCode.WrongPhase && e.text === 'the round is resolving' && e.codeName === 'WrongPhase');
});

test('a dropped connection reconnects with backoff and joins again asking only for what it missed', async () => {
  const { client, clock, sockets, states } = setup();
  let s = sockets[0]!;
  handshake(s);
  s.push(s.last().requestId, Message.Joined, new JoinedT('g1', 'us', Role.Seat, [], '', false));
  s.push(0, Message.RoundResult, new RoundResultT(1, '2026Q3', 1n, null, []));
  s.push(0, Message.RoundResult, new RoundResultT(2, '2026Q4', 2n, null, []));
  s.push(0, Message.Press, new PressT([], 'hello all', 'cn', 5n));
  s.push(0, Message.Press, new PressT(['us'], 'just you', 'eu', 9n));
  const pending = client.request(Message.Ready, ready(true));
  s.drop();
  await assert.rejects(pending, (e: ProtocolError) => e.code === 'Disconnected');
  assert.equal(client.state.kind, 'retrying');
  await assert.rejects(client.request(Message.Ready, ready(true)), /not connected/);

  // First retry after 500 ms; that one fails too, the next waits 1000 ms.
  clock.advance(499);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2);
  sockets[1]!.drop();
  clock.advance(999);
  assert.equal(sockets.length, 2);
  clock.advance(1);
  assert.equal(sockets.length, 3);
  s = sockets[2]!;
  handshake(s);
  const j = s.last().message as JoinT;
  assert.equal(j.token, 'tok-us');
  assert.equal(j.lastPressSeq, 9n);
  assert.equal(j.lastRound, 2);
  s.push(s.last().requestId, Message.Joined, new JoinedT('g1', 'us', Role.Seat, [], '', false));
  assert.equal(client.state.kind, 'joined');
  // Joined again: the backoff starts afresh.
  s.drop();
  assert.equal((client.state as { atMs: number }).atMs - clock.now, 500);
  assert.ok(states.some((x) => x.kind === 'retrying'));
});

test('a wrong token stops the client: no reconnect loop', () => {
  const { client, clock, sockets } = setup('bad');
  const s = sockets[0]!;
  handshake(s);
  const join = s.last();
  s.push(join.requestId, Message.Error, new ErrorT(join.requestId, ErrorCode.UnknownToken, 'no game knows this token'));
  assert.deepEqual(client.state, { kind: 'stopped', reason: 'no game knows this token' });
  s.drop();
  clock.advance(60_000);
  assert.equal(sockets.length, 1);
});

test('pings within the idle limit, and a server silent for three intervals counts as gone', () => {
  const { client, clock, sockets } = setup();
  const s = sockets[0]!;
  handshake(s, 30); // 30 s idle limit: ping every 10 s
  s.push(s.last().requestId, Message.Joined, new JoinedT('g1', 'us', Role.Seat, [], '', false));
  const before = s.sent.length;
  clock.advance(10_000);
  assert.equal(s.sent.length, before + 1);
  assert.equal(s.last().type, Message.Ping);
  clock.advance(10_000);
  clock.advance(10_000);
  assert.equal(s.sent.length, before + 3);
  assert.equal(s.closed, false);
  // No answer for over 30 s: the connection is dropped and retried.
  clock.advance(10_001);
  assert.equal(s.closed, true);
  assert.equal(client.state.kind, 'retrying');
});

test('without a token the client is open after Welcome (the console before a game exists)', () => {
  const { client, sockets } = setup('');
  handshake(sockets[0]!);
  assert.equal(client.state.kind, 'open');
  assert.equal(sockets[0]!.last().type, Message.Hello);
});

test('a version mismatch stops the client', () => {
  const { client, sockets } = setup();
  const s = sockets[0]!;
  s.open();
  const hello = s.last();
  s.push(hello.requestId, Message.Error, new ErrorT(hello.requestId, ErrorCode.VersionMismatch, 'client speaks protocol version 1 but this server speaks version 2'));
  assert.equal(client.state.kind, 'stopped');
  assert.match((client.state as { reason: string }).reason, /another protocol version/);
});

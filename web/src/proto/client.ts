// The protocol client every page uses: a WebSocket to the server's /ws, one
// Envelope per binary message, the handshake (Hello -> Welcome, then Join
// with the token), request ids matched to replies, a Ping well within the
// server's idle limit, and reconnection with backoff that joins again with
// the last Press.seq and RoundResult.round seen, so only what was missed is
// sent again (protocol/README.md, "Message flow").
import { Message } from '../generated/leadtime/wire/message';
import { ErrorCode } from '../generated/leadtime/wire/error-code';
import type { ErrorT } from '../generated/leadtime/wire/error';
import type { WelcomeT } from '../generated/leadtime/wire/welcome';
import type { JoinedT } from '../generated/leadtime/wire/joined';
import type { PressT } from '../generated/leadtime/wire/press';
import type { RoundResultT } from '../generated/leadtime/wire/round-result';
import { decodeEnvelope, encodeEnvelope, hello, join, ping, txt, type Packable } from './codec';
import { backoffDelayMs, pingIntervalMs, DEFAULT_BACKOFF, type BackoffOptions } from '../logic/backoff';

export type ConnectionState =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' } // handshake done, no token (the console before a game exists)
  | { kind: 'joined'; joined: JoinedT }
  | { kind: 'retrying'; attempt: number; atMs: number; reason: string }
  | { kind: 'stopped'; reason: string }; // no point retrying (wrong token, removed, version)

// An Error answer as a value a page can show.
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode | 'Disconnected',
    readonly text: string,
  ) {
    super(text);
    this.name = 'ProtocolError';
  }
  get codeName(): string {
    return typeof this.code === 'string' ? this.code : (ErrorCode[this.code] ?? String(this.code));
  }
}

export interface Reply {
  type: Message;
  message: unknown;
}

// The parts of the browser the client uses, replaceable in tests.
export interface SocketLike {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface ClientOptions {
  url: string;
  token?: string;
  memberName?: string;
  clientName?: string;
  backoff?: BackoffOptions;
  makeSocket?: (url: string) => SocketLike;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
  random?: () => number;
}

type Listener = (type: Message, message: unknown, requestId: number) => void;
type StateListener = (state: ConnectionState) => void;

// Errors on Join after which retrying cannot help.
const FATAL_JOIN = new Set<ErrorCode>([ErrorCode.UnknownToken, ErrorCode.NotFound, ErrorCode.NotAuthorised, ErrorCode.VersionMismatch, ErrorCode.BadMessage]);

export function defaultSocketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export class LeadtimeClient {
  private socket: SocketLike | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: ProtocolError) => void }>();
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<StateListener>();
  private pingTimer: unknown = null;
  private retryTimer: unknown = null;
  private lastHeardMs = 0;
  private pingEveryMs = 60_000;
  private attempt = 0;
  private helloId = 0;
  private joinId = 0;
  private stopped = false;
  private current: ConnectionState = { kind: 'connecting', attempt: 0 };
  // What a reconnect asks for: only later press and rounds.
  lastPressSeq = BigInt(0);
  lastRound = 0;
  welcome: WelcomeT | null = null;

  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (id: unknown) => void;
  private readonly random: () => number;
  private readonly makeSocket: (url: string) => SocketLike;

  constructor(private readonly opts: ClientOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
    this.random = opts.random ?? Math.random;
    this.makeSocket = opts.makeSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  }

  get state(): ConnectionState {
    return this.current;
  }

  get token(): string {
    return this.opts.token ?? '';
  }

  onMessage(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onState(l: StateListener): () => void {
    this.stateListeners.add(l);
    l(this.current);
    return () => this.stateListeners.delete(l);
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  // Joins with another token on the same connection (the console after it
  // created a game).
  joinWith(token: string, memberName?: string): void {
    this.opts.token = token;
    if (memberName !== undefined) this.opts.memberName = memberName;
    this.lastPressSeq = BigInt(0);
    this.lastRound = 0;
    if (this.current.kind === 'open' || this.current.kind === 'joined') this.sendJoin();
    else if (this.current.kind === 'stopped') this.start();
  }

  stop(reason = 'closed'): void {
    this.stopped = true;
    this.clearTimers();
    this.setState({ kind: 'stopped', reason });
    const s = this.socket;
    this.socket = null;
    if (s) s.close(1000, 'bye');
    this.failPending('the connection was closed');
  }

  // Reconnect now rather than at the end of the backoff (a person pressed
  // "reconnect", or the page became visible again).
  reconnectNow(): void {
    if (this.current.kind !== 'retrying' && this.current.kind !== 'stopped') return;
    this.stopped = false;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  // Sends a request and resolves with the answer that carries its id; an
  // Error answer rejects with a ProtocolError naming what was wrong.
  request(type: Message, message: Packable): Promise<Reply> {
    const s = this.socket;
    if (!s || (this.current.kind !== 'open' && this.current.kind !== 'joined')) {
      return Promise.reject(new ProtocolError('Disconnected', 'not connected to the server; try again once reconnected'));
    }
    const id = this.nextRequestId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      s.send(encodeEnvelope(id, type, message));
    });
  }

  // --- Connection life ------------------------------------------------------

  private connect(): void {
    this.clearTimers();
    this.setState({ kind: 'connecting', attempt: this.attempt });
    let s: SocketLike;
    try {
      s = this.makeSocket(this.opts.url);
    } catch (e) {
      this.scheduleRetry(`cannot open ${this.opts.url}: ${(e as Error).message}`);
      return;
    }
    this.socket = s;
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      if (this.socket !== s) return;
      this.lastHeardMs = this.now();
      this.helloId = this.nextRequestId++;
      s.send(encodeEnvelope(this.helloId, Message.Hello, hello(this.opts.clientName ?? 'leadtime-web')));
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      this.receive(ev.data);
    };
    s.onerror = () => {
      // onclose follows with the code; nothing to do here.
    };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = null;
      this.clearTimers();
      this.failPending('the connection was lost');
      if (this.stopped || this.current.kind === 'stopped') return;
      this.scheduleRetry(ev.reason ? `connection closed: ${ev.reason}` : 'connection lost');
    };
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const delay = backoffDelayMs(this.attempt, this.opts.backoff ?? DEFAULT_BACKOFF, this.random);
    this.attempt++;
    this.setState({ kind: 'retrying', attempt: this.attempt, atMs: this.now() + delay, reason });
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    this.lastHeardMs = this.now();
    let bytes: Uint8Array;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (data instanceof Uint8Array) bytes = data;
    else return; // a text frame: not ours
    let env;
    try {
      env = decodeEnvelope(bytes);
    } catch (e) {
      console.warn('leadtime: dropped a message that does not decode:', (e as Error).message);
      return;
    }
    const { requestId, type, message } = env;
    if (type === Message.Welcome) return this.onWelcome(message as WelcomeT);
    if (type === Message.Joined && requestId === this.joinId) {
      this.attempt = 0;
      this.setState({ kind: 'joined', joined: message as JoinedT });
    }
    if (type === Message.Press) {
      const p = message as PressT;
      if (p.seq > this.lastPressSeq) this.lastPressSeq = p.seq;
    }
    if (type === Message.RoundResult) {
      const r = message as RoundResultT;
      if (r.round > this.lastRound) this.lastRound = r.round;
    }
    if (type === Message.Error) this.onError(requestId, message as ErrorT);
    // Replies go to their request; pushes (and replies, for pages that read
    // state from them) go to every listener.
    const waiter = requestId !== 0 ? this.pending.get(requestId) : undefined;
    if (waiter) {
      this.pending.delete(requestId);
      if (type === Message.Error) {
        const err = message as ErrorT;
        waiter.reject(new ProtocolError(err.code, txt(err.text)));
      } else {
        waiter.resolve({ type, message });
      }
    }
    for (const l of this.listeners) l(type, message, requestId);
  }

  private onWelcome(w: WelcomeT): void {
    this.welcome = w;
    this.pingEveryMs = pingIntervalMs(w.idleTimeoutSeconds);
    this.schedulePing();
    if (this.opts.token) {
      this.sendJoin();
    } else {
      this.attempt = 0;
      this.setState({ kind: 'open' });
    }
  }

  private sendJoin(): void {
    const s = this.socket;
    if (!s) return;
    this.joinId = this.nextRequestId++;
    s.send(encodeEnvelope(this.joinId, Message.Join, join(this.opts.token ?? '', this.opts.memberName ?? '', this.lastPressSeq, this.lastRound)));
  }

  private onError(requestId: number, err: ErrorT): void {
    const text = txt(err.text);
    if (requestId === this.helloId && err.code === ErrorCode.VersionMismatch) {
      this.stop(`the server speaks another protocol version: ${text}`);
    } else if (requestId === this.joinId && requestId !== 0 && FATAL_JOIN.has(err.code)) {
      this.stop(text || ErrorCode[err.code] || 'join refused');
    } else if (requestId === 0 && err.code === ErrorCode.NotAuthorised) {
      // "the facilitator removed you": the server closes the connection.
      this.stop(text);
    }
  }

  private schedulePing(): void {
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    this.pingTimer = this.setTimer(() => {
      this.pingTimer = null;
      const s = this.socket;
      if (!s) return;
      // Three intervals without a word: the laptop slept or a NAT forgot us.
      if (this.now() - this.lastHeardMs > 3 * this.pingEveryMs) {
        this.socket = null;
        s.close(4000, 'no answer to pings');
        this.failPending('the server stopped answering');
        this.scheduleRetry('the server stopped answering pings');
        return;
      }
      s.send(encodeEnvelope(this.nextRequestId++, Message.Ping, ping(BigInt(this.now()))));
      this.schedulePing();
    }, this.pingEveryMs);
  }

  private clearTimers(): void {
    if (this.pingTimer !== null) this.clearTimer(this.pingTimer);
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.pingTimer = null;
    this.retryTimer = null;
  }

  private failPending(why: string): void {
    for (const [, w] of this.pending) w.reject(new ProtocolError('Disconnected', why));
    this.pending.clear();
  }

  private setState(s: ConnectionState): void {
    this.current = s;
    for (const l of this.stateListeners) l(s);
  }
}

import type { Message } from '../../src/model/message.ts';
import type { Hold } from '../../src/wire/gate.ts';
import {
  LIVE_PATH,
  type ClientFrame,
  type LiveEvidence,
  type LiveGate,
  type LiveRecord,
  type ServerFrame,
} from '../../src/wire/live.ts';

/** Messages kept in the page: the diagram draws the last few, the count says how many came. */
const KEPT = 400;

export type LiveStatus = 'connecting' | 'live' | 'closed';

/** A page-side notice: a refusal or an error the engine answered, shown until the next one. */
export interface LiveNotice {
  kind: 'refused' | 'error';
  text: string;
}

/** A line typed in the page's console, and what the engine's docker CLI printed for it. */
export interface ConsoleLine {
  line: string;
  /** The line's request id on the engine, once taken: its output records carry it as root. */
  id?: number;
  output: string;
  code?: number;
  /** Why the engine would not run it (a read-only page, not a docker command). */
  refused?: string;
  /** The real messages of its request (the first MESSAGES_KEPT), for the side-by-side view. */
  messages: Message[];
}

/** Real messages kept per console line. */
const MESSAGES_KEPT = 500;

/** The most output kept per console line (the last of it). */
const OUTPUT_KEPT = 64 * 1024;

/**
 * The page's end of the live protocol (src/wire/live.ts): one WebSocket to the engine that served
 * the page, on the same origin, with the page's token. It keeps the last KEPT real messages, the
 * gate and the evidence, and tells its listener at most once per animation frame however many
 * frames arrived (a pull's burst of progress is drawn once, not per message).
 */
export class LiveClient {
  status: LiveStatus = 'connecting';
  control = false;
  gate: LiveGate = { stepMode: false, breakpoints: [], held: null, holds: [] };
  /** The messages the gate let go last (a step, a continue, from any page or terminal). */
  released: Hold[] = [];
  evidence: LiveEvidence | null = null;
  notice: LiveNotice | undefined;
  messages: Message[] = [];
  console: ConsoleLine[] = [];
  /** Every message that came, kept or not. */
  total = 0;
  closeCode = 0;
  /** Bumped on every change: a component redraws when it differs from the one it drew. */
  version = 0;
  private socket: WebSocket | undefined;
  private scheduled = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly token: string) {}

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = this.token === '' ? '' : `?token=${encodeURIComponent(this.token)}`;
    const url = `${scheme}://${location.host}${LIVE_PATH}${query}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('message', (e: MessageEvent<string>) =>
      this.onFrame(JSON.parse(e.data) as ServerFrame),
    );
    socket.addEventListener('close', (e) => {
      this.status = 'closed';
      this.closeCode = e.code;
      this.changed();
    });
  }

  send(frame: ClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Send a docker command line to the engine's console (refused without control). */
  run(line: string): void {
    this.console.push({ line, output: '', messages: [] });
    if (this.console.length > 50) this.console = this.console.slice(-50);
    this.send({ type: 'command', line });
    this.changed();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.type === 'hello') {
      this.status = 'live';
      this.control = frame.control;
      this.gate = frame.gate;
    } else if (frame.type === 'records') this.onRecords(frame.records);
    else if (frame.type === 'gate') {
      this.gate = frame.gate;
      if (frame.released !== undefined) this.released = frame.released;
      if (frame.gate.held === null) this.evidence = null;
    } else if (frame.type === 'evidence') this.evidence = frame.evidence;
    else if (frame.type === 'command') {
      const line = this.console.find((l) => l.id === undefined && l.refused === undefined);
      if (line) line.id = frame.id;
    } else if (frame.type === 'exit') {
      const line = this.console.find((l) => l.id === frame.id);
      if (line) line.code = frame.code;
    } else {
      const text = frame.type === 'refused' ? frame.reason : frame.message;
      this.notice = { kind: frame.type, text };
      // A line not yet taken was refused with it (a read-only page, a line that is no docker command).
      const line = this.console.find((l) => l.id === undefined && l.refused === undefined);
      if (line) line.refused = text;
    }
    this.changed();
  }

  private onRecords(records: LiveRecord[]): void {
    for (const r of records) {
      if ('entry' in r && r.entry.type === 'message') {
        this.messages.push(r.entry.message);
        this.total++;
        const line = r.root === undefined ? undefined : this.console.find((l) => l.id === r.root);
        if (line && line.messages.length < MESSAGES_KEPT) line.messages.push(r.entry.message);
      } else if ('entry' in r && r.entry.type === 'output' && r.root !== undefined) {
        const line = this.console.find((l) => l.id === r.root);
        if (line) line.output = (line.output + r.entry.text).slice(-OUTPUT_KEPT);
      } else if ('released' in r && r.released.length > 0) this.released = r.released;
    }
    if (this.messages.length > KEPT) this.messages = this.messages.slice(-KEPT);
  }

  private changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

/**
 * The token of a live page's address (`?token=…`); '' for a live page reloaded (`?live`: the
 * token is in its HttpOnly cookie, which the socket's request carries); undefined for the
 * simulation's page.
 */
export function liveToken(search: string): string | undefined {
  const params = new URLSearchParams(search);
  return params.get('token') ?? (params.has('live') ? '' : undefined);
}

/** The address a live page shows: no token (out of history and screenshots), still live on reload. */
export const LIVE_ADDRESS = '?live';

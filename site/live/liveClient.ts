import type { Message } from '../../src/model/message.ts';
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
  evidence: LiveEvidence | null = null;
  notice: LiveNotice | undefined;
  messages: Message[] = [];
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
    const url = `${scheme}://${location.host}${LIVE_PATH}?token=${encodeURIComponent(this.token)}`;
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
      if (frame.gate.held === null) this.evidence = null;
    } else if (frame.type === 'evidence') this.evidence = frame.evidence;
    else this.notice = { kind: frame.type, text: frame.type === 'refused' ? frame.reason : frame.message };
    this.changed();
  }

  private onRecords(records: LiveRecord[]): void {
    for (const r of records) {
      if ('entry' in r && r.entry.type === 'message') {
        this.messages.push(r.entry.message);
        this.total++;
      }
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

/** The token of a live page's address (`?token=…`), or undefined for the simulation's page. */
export function liveToken(search: string): string | undefined {
  return new URLSearchParams(search).get('token') ?? undefined;
}

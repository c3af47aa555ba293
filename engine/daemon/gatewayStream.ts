// An operation's JSON-message stream as dockerd answers it (moby pkg/streamformatter): the 200
// goes out with the first line, and from then on every failure is the stream's error line; an
// error before any line is an HTTP error. The lines come as the real effects tell them (the
// session's progress: the lines the operation wrote before each registry request, the bytes of a
// blob as it moves), and at the end from the operation's reply, which holds the whole stream:
// what was not sent live is sent then, in order.
import { isJsonObject } from '../../src/model/json.ts';
import type { Message } from '../../src/model/message.ts';
import type { Progress } from '../image/progress.ts';
import { toMessage } from './backend.ts';
import { ApiError } from './errors.ts';
import { MessageStream, sendEmpty, sendJson } from './http.ts';
import type { ServerResponse } from 'node:http';

const keyOf = (m: { id?: unknown; status?: unknown; aux?: unknown }): string =>
  `${typeof m.id === 'string' ? m.id : ''}|${typeof m.status === 'string' ? m.status : ''}|${JSON.stringify(m.aux ?? null)}`;

export class StreamAnswer {
  private readonly stream: MessageStream;
  /** How many lines of each kind (`id|status`) went out live: so many of the reply's are not sent again. */
  private readonly sent = new Map<string, number>();

  constructor(private readonly res: ServerResponse) {
    this.stream = new MessageStream(res);
  }

  /** A line told by a real effect while the operation runs. */
  readonly live = (event: Progress): void => {
    const m = toMessage(event, '');
    if (m === undefined) return;
    this.sent.set(keyOf(m), (this.sent.get(keyOf(m)) ?? 0) + 1);
    this.stream.write(m);
  };

  /** The operation's reply: the rest of its stream, or its error. */
  finish(reply: Message): void {
    const status = Number(reply.status ?? (reply.ok ? 200 : 500));
    const payload = reply.payload;
    if (!Array.isArray(payload)) {
      const said = isJsonObject(payload) ? payload.message : undefined;
      const message = typeof said === 'string' ? said : `request failed with status ${status}`;
      if (this.stream.flushed) this.stream.end(new ApiError(status, message));
      else if (payload === undefined) sendEmpty(this.res, status);
      else sendJson(this.res, status, payload);
      return;
    }
    for (const line of payload) {
      if (!isJsonObject(line)) continue;
      const live = this.sent.get(keyOf(line)) ?? 0;
      // "Pushing" went out live as the bytes did, as often as they were counted; the operation has one.
      if (live > 0) {
        this.sent.set(keyOf(line), line.status === 'Pushing' ? live : live - 1);
        continue;
      }
      this.stream.write(line);
    }
    this.stream.end();
  }
}

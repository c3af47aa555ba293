import type { Message } from '../model/message.ts';
import type { Trace } from '../model/trace.ts';

/** The messages of a trace, in step order. */
export function messagesOf(trace: Trace): Message[] {
  return trace.entries.flatMap((e) => (e.type === 'message' ? [e.message] : []));
}

/** One message in golden form: `from -> to: call`, a reply's arrow dashed. */
export function goldenLine(m: Pick<Message, 'from' | 'to' | 'kind' | 'call'>): string {
  return `${m.from} ${m.kind === 'reply' ? '-->' : '->'} ${m.to}: ${m.call}`;
}

/** The golden form of a run: one `from -> to: call` line per message. */
export function goldenLines(trace: Trace): string[] {
  return messagesOf(trace).map(goldenLine);
}

/** What the docker CLI printed, command by command (the `cli` format). */
export function cliOutput(trace: Trace): string {
  let out = '';
  for (const e of trace.entries) {
    if (e.type === 'command') out += `$ ${e.line}\n`;
    if (e.type === 'output') out += e.text;
  }
  return out;
}

export function containerdLines(trace: Trace): string[] {
  return trace.entries.flatMap((e) =>
    e.type === 'containerd-event' ? [`${e.event.topic} ${JSON.stringify(e.event.event)}`] : [],
  );
}

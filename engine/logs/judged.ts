// One step of reading a log: a line of the file decoded and judged against `since` and `until`
// (moby loggerutils/logfile.go tailFiles and followLogs: an earlier message is skipped, a later
// one ends the reading).
import { decodeJsonLogLine } from './jsonLine.ts';
import type { StoredMessage } from './message.ts';
import type { ReadConfig } from './readLogs.ts';

type Verdict = 'skip' | 'give' | 'stop';

function judge(msg: StoredMessage, config: ReadConfig): Verdict {
  if (config.until !== undefined && msg.time > config.until) return 'stop';
  if (config.since !== undefined && msg.time < config.since) return 'skip';
  return 'give';
}

export async function* judged(
  lines: AsyncIterable<Buffer>,
  config: ReadConfig,
): AsyncGenerator<StoredMessage | 'stop'> {
  for await (const line of lines) {
    const msg = decodeJsonLogLine(line.toString('utf8'));
    const verdict = judge(msg, config);
    if (verdict === 'stop') {
      yield 'stop';
      return;
    }
    if (verdict === 'give') yield msg;
  }
}

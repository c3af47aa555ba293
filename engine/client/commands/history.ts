/**
 * `dockstep history [--no-trunc] [-q] [-H=false] IMAGE`: `GET /images/{name}/history`, drawn
 * as docker's table (IMAGE CREATED CREATED BY SIZE COMMENT) by the core's formatter.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/history.go
 */
import { formatHistory, type HistoryItem } from '../../../src/views/docker/history.ts';
import type { Command } from '../io.ts';

export const history: Command = async (engine, { values, args }, io) => {
  const items = await engine.list<HistoryItem>('GET', `/images/${args[0] ?? ''}/history`);
  const opts = {
    noTrunc: values.bool('no-trunc'),
    quiet: values.bool('quiet'),
    human: values.bool('human', true),
  };
  io.stdout.write(formatHistory(items, opts, io.now()));
};

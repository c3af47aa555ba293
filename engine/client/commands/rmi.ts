/**
 * `dockstep rmi [-f] [--no-prune] IMAGE...`: `DELETE /images/{name}[?force=1][&noprune=1]` for
 * each image in turn, printing the daemon's "Untagged:" and "Deleted:" lines; the errors are
 * collected and printed together at the end (exit status 1), as rmi.go does.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/remove.go
 */
import { DaemonError } from '../engine.ts';
import { CommandError, type Command } from '../io.ts';

interface DeleteResponse {
  Untagged?: string;
  Deleted?: string;
}

export const rmi: Command = async (engine, { values, args }, io) => {
  const query = new URLSearchParams();
  if (values.bool('force')) query.set('force', '1');
  if (values.bool('no-prune')) query.set('noprune', '1');
  const errors: string[] = [];
  for (const image of args) {
    try {
      const items = await engine.list<DeleteResponse>('DELETE', `/images/${image}`, { query });
      for (const item of items) {
        io.stdout.write(item.Deleted ? `Deleted: ${item.Deleted}\n` : `Untagged: ${item.Untagged ?? ''}\n`);
      }
    } catch (error) {
      if (!(error instanceof DaemonError)) throw error;
      errors.push(`Error response from daemon: ${error.message}`);
    }
  }
  if (errors.length > 0) throw new CommandError(errors.join('\n'));
};

// The live page's console (`--ui-control` only): a docker command line typed in the page runs in
// the engine as it runs in the simulation. The line goes, as the user's, to the engine's own CLI
// machine (src/layers/cli/cliMachine.ts: the same parser and the same Engine API requests as the
// site's console), whose requests reach the engine's dockerd on its wire — the engine is a client
// of itself — and whose output is trace entries of the line's request, which every page receives
// with the rest of the stream. The page hears the exit status when the CLI has answered.
import { routeLine } from '../../src/cli/lines.ts';
import { draft } from '../../src/layers/post.ts';
import { RealSession } from '../real/session.ts';
import type { RealWorld } from '../real/world.ts';
import { FrameError } from './control.ts';

/** The longest line the console takes (a docker command line is a few hundred bytes). */
export const MAX_LINE = 4096;

export interface ConsoleRun {
  /** The line's request id: the root of every record of its work, its output included. */
  id: number;
  /** The docker CLI's exit status. */
  exit: Promise<number>;
}

/** Run one docker command line through the engine's own CLI machine. */
export function runLine(world: RealWorld, line: string): ConsoleRun {
  const text = line.trim();
  if (text === '') throw new FrameError('an empty command line');
  if (text.length > MAX_LINE) throw new FrameError(`a command line is at most ${MAX_LINE} bytes`);
  // The host's programs are the learner's own terminal's, and kubectl has no kubelet here.
  if (routeLine(text).program !== 'docker')
    throw new FrameError(`the live console runs docker commands only, not ${JSON.stringify(text)}`);
  const session = new RealSession(world.root);
  const call = world.request(
    text,
    draft('User', 'CLI', 'cli.command', text, { payload: { line: text }, params: { line: text } }),
    session,
  );
  const exit = call.answer.then(
    async (reply) => {
      world.end(call.id);
      const payload = reply.payload;
      const code =
        typeof payload === 'object' && payload !== null && 'exitCode' in payload
          ? Number(payload.exitCode)
          : 1;
      const status = Number.isInteger(code) ? code : 1;
      await session.finish(status === 0);
      return status;
    },
    async () => {
      world.end(call.id);
      await session.finish(false);
      return 1;
    },
  );
  return { id: call.id, exit };
}

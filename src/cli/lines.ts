import type { Participant } from '../model/participants.ts';
import { parseHostWords, HOST_PROGRAMS, isCliError as isHostError } from './host.ts';
import { parseKubectlWords } from './kubectl.ts';
import { parseDockerLine } from './parse.ts';
import { splitShellWords } from './shellWords.ts';
import type { CliError } from './types.ts';

/**
 * Which participant a typed line goes to, by its program: `docker` to the docker CLI, `kubectl`
 * to the kubelet (the API server and scheduler that stand between them are not drawn), the host
 * actions of host.ts to the kernel, which signals or starts processes. Anything else goes to
 * the docker CLI, which refuses it as a shell would (127).
 */
export interface LineRoute {
  to: Participant;
  op: string;
  program: string;
}

function programOf(line: string): string {
  try {
    return splitShellWords(line)[0] ?? '';
  } catch {
    return '';
  }
}

export function routeLine(line: string): LineRoute {
  const program = programOf(line);
  if (program === 'kubectl') return { to: 'kubelet', op: 'kubelet.command', program };
  if (HOST_PROGRAMS.has(program)) return { to: 'Kernel', op: 'host.action', program };
  return { to: 'CLI', op: 'cli.command', program };
}

/** Why a line cannot run (its program's own error text), or undefined when it can. */
export function checkLine(line: string): CliError | undefined {
  const route = routeLine(line);
  if (route.to === 'CLI') {
    const parsed = parseDockerLine(line);
    return parsed.ok ? undefined : parsed.error;
  }
  const words = splitShellWords(line);
  if (route.to === 'kubelet') {
    const parsed = parseKubectlWords(words.slice(1));
    return 'stderr' in parsed ? parsed : undefined;
  }
  const action = parseHostWords(words);
  return isHostError(action) ? action : undefined;
}

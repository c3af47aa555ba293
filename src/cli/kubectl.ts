import { cliError } from './errors.ts';
import type { CliError } from './types.ts';

/**
 * kubectl lines, for the lesson that drives containerd through the kubelet (CRI). Only the
 * routing is here so far; the commands themselves are parsed by the kubelet's lesson support.
 */
export type KubectlCommand = { name: 'unsupported' };

export function parseKubectlWords(words: readonly string[]): KubectlCommand | CliError {
  return cliError(`dockstep: '${words.join(' ')}' is a kubectl command that dockstep does not simulate yet`, 1);
}

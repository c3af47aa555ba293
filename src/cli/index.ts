/**
 * dockstep's docker command-line parser: one for the site's console and the terminal CLI.
 * See parse.ts for the rules and the exit statuses.
 */
export { parseDockerLine } from './parse.ts';
export { splitShellWords } from './shellWords.ts';
export { CliSyntaxError } from './errors.ts';
export { parsePublish } from './publish.ts';
export { ramInBytes } from './goValues.ts';
export type * from './types.ts';

import { GROUPS, OTHER_COMMANDS, TOP_LEVEL } from './registry.ts';

/**
 * `docker --help` (and `docker help`, `docker` alone) as the console prints it: docker's usage
 * line, then — where docker lists its commands by category (cli/cobra.go's usage template) —
 * which commands dockstep simulates and which it does not yet, read from the command tree the
 * parser uses (registry.ts), so the list is always the parser's own. Names are padded to 11
 * columns, as cobra's `rpad(.Name, .NamePadding)`.
 */
const row = (name: string, short: string): string => `  ${name.padEnd(11)} ${short}`;

export function rootHelp(): string {
  const commands = Object.entries(TOP_LEVEL)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, spec]) => row(name, spec.short));
  const groups = Object.entries(GROUPS)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, group]) => `${row(name, group.short)} (${Object.keys(group.commands).sort().join(', ')})`);
  const others = [
    ...OTHER_COMMANDS,
    ...Object.entries(GROUPS).flatMap(([name, group]) => group.others.map((o) => `${name} ${o}`)),
  ].sort();
  return [
    'Usage:  docker [OPTIONS] COMMAND',
    '',
    'A self-sufficient runtime for containers',
    '',
    'Commands dockstep simulates:',
    ...commands,
    '',
    'Management commands dockstep simulates:',
    ...groups,
    '',
    'Docker commands dockstep does not simulate yet:',
    `  ${others.join(', ')}`,
    '',
  ].join('\n');
}

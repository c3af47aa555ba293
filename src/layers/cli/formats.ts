import type { JsonObject, JsonValue } from '../../model/json.ts';
import {
  displayablePorts,
  humanDuration,
  psCommand,
  psImage,
  psNames,
  tabwrite,
  truncateId,
  type ContainerSummary,
} from '../../views/docker/index.ts';
import type { Cli } from './cli.ts';
import { renderTemplate } from './goTemplate.ts';

/**
 * `--format` for `docker ps` and `docker inspect`, through the Go template subset. For ps the
 * template sees docker/cli's ContainerContext (cli/command/formatter/container.go): its fields
 * are already display strings; `table` adds the header row and aligns the columns; `\t` and
 * `\n` written in the format are tab and newline (formatter.Context.preFormat).
 * https://docs.docker.com/reference/cli/docker/container/ls/#format
 */
const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  LocalVolumes: 'LOCAL VOLUMES',
  Networks: 'NETWORKS',
};

/** Go's time.Time.String() for a Unix second in UTC: "2026-11-23 21:44:13 +0000 UTC". */
function goTimeString(sec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

function psContext(c: ContainerSummary, trunc: boolean, nowSec: number): JsonObject {
  return {
    ID: trunc ? truncateId(c.Id) : c.Id,
    Image: psImage(c, trunc),
    Command: psCommand(c.Command, trunc),
    CreatedAt: goTimeString(c.Created),
    RunningFor: `${humanDuration((nowSec - c.Created) * 1000)} ago`,
    Ports: displayablePorts(c.Ports),
    State: c.State,
    Status: c.Status,
    Size: '',
    Names: psNames(c.Names, trunc),
    Labels: Object.entries(c.Labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Mounts: '',
    LocalVolumes: '0',
    Networks: Object.keys(c.NetworkSettings.Networks).sort().join(','),
  };
}

export function printPsFormat(
  cli: Cli,
  containers: ContainerSummary[],
  format: string,
  trunc: boolean,
  nowSec: number,
): void {
  printFormatted(
    cli,
    containers.map((c) => psContext(c, trunc, nowSec)),
    format,
    PS_HEADERS,
  );
}

/**
 * Rows through a `--format` template: `table …` adds the header row (each field's header) and
 * aligns the columns with docker's tabwriter; otherwise one rendered line per row.
 */
export function printFormatted(
  cli: Cli,
  contexts: JsonObject[],
  format: string,
  headers: Record<string, string>,
): void {
  const table = /^table(\s|$)/.test(format);
  const body = (table ? format.slice(5) : format).trim().replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const rows: string[] = [];
  if (table) rows.push(render(cli, body, headers) ?? '');
  for (const c of contexts) {
    const text = render(cli, body, c);
    if (text === undefined) return;
    rows.push(text);
  }
  const out = rows.map((r) => `${r}\n`).join('');
  if (table) cli.out(tabwrite(rows.map((r) => r.split('\t'))));
  else if (out) cli.wire.output('stdout', out);
}

/** `docker inspect -f`: one rendered line per object; none found still prints an empty line. */
export function printInspectFormat(cli: Cli, objects: JsonValue[], format: string): void {
  const lines: string[] = [];
  for (const o of objects) {
    const text = render(cli, format, o);
    if (text === undefined) return;
    lines.push(text);
  }
  cli.wire.output('stdout', lines.length > 0 ? lines.map((l) => `${l}\n`).join('') : '\n');
}

function render(cli: Cli, format: string, data: JsonValue): string | undefined {
  const result = renderTemplate(format, data);
  if (result.ok) return result.text;
  cli.err(result.error);
  cli.exitCode = 1;
  return undefined;
}

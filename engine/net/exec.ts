// The host tools the bridge driver runs: Debian's iproute2 (`ip`), iptables and util-linux
// (`mount`, `umount`, `nsenter`), always through execFile (no shell), asynchronously, so a
// container's network setup never blocks the engine's event loop. Why tools and not netlink: see
// README.md.
import { execFile } from 'node:child_process';

/** A tool that exited non-zero: its argv and what it said on stderr. */
export class ToolError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly stderr: string,
    readonly code: number | string | undefined,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || `exit ${String(code)}`}`);
  }
}

/** Runs `file args…` with `input` (or nothing) on stdin; resolves with stdout. */
export function run(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new ToolError([file, ...args], String(stderr), error.code ?? undefined));
    });
    // Closed stdin: a tool that reads it (nc, ip -batch) sees its end, never waits on it.
    // A tool that exits without reading it closes the pipe: that is no error here.
    child.stdin?.on('error', () => undefined);
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });
}

/** `ip ARGS…` */
export function ip(...args: string[]): Promise<string> {
  return run('ip', args);
}

/** Several `ip` commands in one process (`ip -batch -`), in the network namespace at `netns` if given. */
export function ipBatch(lines: readonly string[], netns?: string): Promise<string> {
  const input = `${lines.join('\n')}\n`;
  return netns === undefined
    ? run('ip', ['-batch', '-'], input)
    : run('nsenter', [`--net=${netns}`, 'ip', '-batch', '-'], input);
}

/** `iptables -w -t TABLE ARGS…`: `-w` waits for the xtables lock another writer holds. */
export function iptables(table: 'nat' | 'filter', ...args: string[]): Promise<string> {
  return run('iptables', ['-w', '-t', table, ...args]);
}

/** Whether a tool failed because the thing it was asked to remove or find is not there. */
export function isAbsent(error: unknown): boolean {
  return (
    error instanceof ToolError &&
    /does not exist|cannot find device|no such|not mounted|bad rule|no chain|not found/i.test(error.stderr)
  );
}

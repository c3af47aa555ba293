// The UI options of `dockstep engine`, taken out of its argv before the engine's own options are
// read (engine/daemon/main.ts): `--ui` serves the site and the live WebSocket on 127.0.0.1,
// `--ui-port N` chooses the port (a free one by default), `--ui-control` lets the page hold,
// step and set breakpoints, `--ui-site DIR` serves another build of the site (default: dist/).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_USAGE = `  --ui                          serve the site live on http://127.0.0.1 (a URL with a token is printed)
  --ui-port N                   its port (default: a free one)
  --ui-control                  let the page hold, step and set breakpoints (read-only without)
  --ui-viewer-buffer BYTES      what one page may leave unread before it is dropped (default 4 MiB)
  --ui-site DIR                 the built site to serve (default: the package's dist/, npm run build)`;

export interface UiArgs {
  port: number;
  control: boolean;
  siteDir: string;
  /** What one viewer may have unsent before it is dropped (viewers.ts MAX_UNSENT when absent). */
  viewerBuffer?: number;
}

export class UiUsageError extends Error {}

const DEFAULT_SITE = fileURLToPath(new URL('../../dist/', import.meta.url));

function port(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535)
    throw new UiUsageError(`option --ui-port needs a port number from 0 to 65535, got "${value ?? ''}"`);
  return n;
}

function bytes(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < 1024 || !Number.isSafeInteger(n))
    throw new UiUsageError(
      `option --ui-viewer-buffer needs a number of bytes of at least 1024, got "${value ?? ''}"`,
    );
  return n;
}

/** The UI options (undefined without --ui) and the rest of argv, in order. */
export function takeUiArgs(argv: readonly string[]): { ui: UiArgs | undefined; rest: string[] } {
  const rest: string[] = [];
  let on = false;
  const ui: UiArgs = { port: 0, control: false, siteDir: DEFAULT_SITE };
  let given = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (flag === '--ui' || flag === '--ui-control') {
      if (inline !== undefined) throw new UiUsageError(`option ${flag} takes no value`);
      if (flag === '--ui') on = true;
      else ui.control = given = true;
    } else if (flag === '--ui-viewer-buffer') {
      ui.viewerBuffer = bytes(inline ?? argv[++i]);
      given = true;
    } else if (flag === '--ui-port' || flag === '--ui-site') {
      const value = inline ?? argv[++i];
      given = true;
      if (flag === '--ui-port') ui.port = port(value);
      else if (value === undefined || value === '') throw new UiUsageError('option --ui-site needs a value');
      else ui.siteDir = resolve(value);
    } else rest.push(arg);
  }
  if (given && !on)
    throw new UiUsageError('options --ui-port, --ui-control, --ui-viewer-buffer and --ui-site need --ui');
  return { ui: on ? ui : undefined, rest };
}

/** Why the site cannot be served (no build in its directory), or undefined. */
export function siteMissing(ui: UiArgs): string | undefined {
  return existsSync(join(ui.siteDir, 'index.html'))
    ? undefined
    : `no built site in ${ui.siteDir} for --ui (npm run build makes it, or give --ui-site DIR)`;
}

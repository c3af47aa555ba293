/**
 * `docker pull` output when stdout is not a terminal: the CLI's own first and last lines around
 * the daemon's JSON progress stream rendered by jsonmessage without cursor movement.
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/pull.go (runPull)
 * https://github.com/docker/cli/blob/v28.2.2/cli/command/image/trust.go (imagePullPrivileged)
 * https://github.com/moby/moby/blob/v28.2.2/pkg/jsonmessage/jsonmessage.go (Display, DisplayJSONMessagesStream)
 */
import type { JsonValue } from '../../model/json.ts';
import { formatRfc3339NanoFixed, splitUnixNano } from './gotime.ts';
import { fullString, parseNormalizedNamed, parseReference, tagNameOnly } from './reference.ts';

/** One line of `POST /images/create` (jsonmessage.JSONMessage). */
export interface JsonMessage {
  status?: string;
  id?: string;
  /** The pre-rendered progress bar text (deprecated field, still sent). */
  progress?: string;
  progressDetail?: { current?: number; total?: number; start?: number; hidecounts?: boolean; units?: string };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  stream?: string;
  from?: string;
  time?: number;
  timeNano?: number;
  aux?: JsonValue;
}

/** What a rendered stream left behind: the text, and the error that stopped it, if any. */
export interface PullStreamResult {
  text: string;
  /** errorDetail.message of the message that ended the stream ("" when it had none). */
  error?: string;
}

/**
 * JSONProgress.String() is empty only when neither current nor total is positive (outside a
 * terminal the width is 200, so the bar part is never empty otherwise).
 */
function hasProgressText(m: JsonMessage): boolean {
  const d = m.progressDetail;
  return d !== undefined && d !== null && ((d.current ?? 0) > 0 || (d.total ?? 0) > 0);
}

/** `JSONMessage.Display(out, isTerminal=false)` for one message without errorDetail. */
function displayLine(m: JsonMessage): string {
  let out = '';
  if (m.timeNano) {
    const { sec, nsec } = splitUnixNano(m.timeNano);
    out += formatRfc3339NanoFixed(sec, nsec) + ' ';
  } else if (m.time) {
    out += formatRfc3339NanoFixed(m.time, 0) + ' ';
  }
  if (m.id) out += `${m.id}: `;
  if (m.from) out += `(from ${m.from}) `;
  const status = m.status ?? '';
  // Quirk kept: the deprecated progress-text branch prints no newline outside a terminal.
  if (m.progress) return out + `${status} ${m.progress}`;
  if (m.stream) return out + m.stream;
  return out + `${status}\n`;
}

/**
 * The stream as jsonmessage renders it to a non-terminal: messages with live progress
 * (Downloading, Extracting with byte counts) are dropped, the rest print as "id: status";
 * an `errorDetail` stops the rendering and becomes the command's error. `aux` messages are
 * for callbacks, never printed.
 */
export function renderPullStream(messages: JsonMessage[]): PullStreamResult {
  let text = '';
  for (const m of messages) {
    if (m.aux !== undefined) continue;
    if (m.errorDetail !== undefined && m.errorDetail !== null) {
      return { text, error: m.errorDetail.message ?? '' };
    }
    if (hasProgressText(m)) continue;
    text += displayLine(m);
  }
  return { text };
}

/** The stdout text of the stream part of `docker pull` (stops at the first error). */
// Terminal rendering (cursor movement, progress bars) is not simulated, hence `false` only.
export function formatPullStream(messages: JsonMessage[], _isTerminal: false): string {
  return renderPullStream(messages).text;
}

/**
 * "Using default tag: latest\n" when the reference named neither tag nor digest, printed by the
 * CLI before it calls the daemon (not with -q). `hadTag` overrides what the reference says.
 */
export function pullPreamble(ref: string, hadTag?: boolean): string {
  const parsed = parseNormalizedNamed(ref);
  const nameOnly =
    hadTag === undefined
      ? parsed !== undefined && parsed.tag === undefined && parsed.digest === undefined
      : !hadTag;
  return nameOnly ? 'Using default tag: latest\n' : '';
}

/** The CLI's last line: the full normalized reference, "docker.io/library/nginx:latest\n". */
export function pullEpilogue(ref: string): string {
  const parsed = parseNormalizedNamed(ref);
  return parsed ? `${fullString(tagNameOnly(parsed))}\n` : '';
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * All of `docker pull [-q] REF` with stdout not a terminal. -q hides the preamble and the stream,
 * but the last line still prints. On a stream error the CLI prints the message on stderr and
 * exits 1 without the last line.
 */
export function formatPull(ref: string, messages: JsonMessage[], opts: { quiet: boolean }): CommandOutput {
  // An invalid reference is refused by the CLI before any request: nothing on stdout.
  const parsed = parseReference(ref);
  if ('error' in parsed) return { stdout: '', stderr: `${parsed.error}\n`, exitCode: 1 };
  const { text, error } = renderPullStream(messages);
  const stdout =
    (opts.quiet ? '' : pullPreamble(ref) + text) + (error === undefined ? pullEpilogue(ref) : '');
  if (error === undefined) return { stdout, stderr: '', exitCode: 0 };
  return { stdout, stderr: error === '' ? '' : `${error}\n`, exitCode: 1 };
}

/** How the CLI prints an HTTP error answer (`{"message": …}`) from the daemon, on stderr. */
export function daemonErrorLine(message: string): string {
  return `Error response from daemon: ${message}\n`;
}

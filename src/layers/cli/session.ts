import type { JsonObject } from '../../model/json.ts';
import type { Message } from '../../model/message.ts';
import type { HostFiles } from '../../ports/hostFiles.ts';
import { renderPlain, type PlainUpdate } from '../../views/docker/index.ts';
import type { Wire } from '../../wire/wire.ts';
import { replyDraft } from '../post.ts';
import { ignored } from './buildContext.ts';

/**
 * The CLI's side of a BuildKit session (buildx, moby/buildkit session/filesync): the directories
 * it shares under names (`context`, `dockerfile`), served when the daemon asks with
 * `FileSync.DiffCopy`; and the progress of the build it follows, printed as plain text as the
 * `Control.Status` stream brings it.
 */
export interface BuildSession {
  dirs: Record<'context' | 'dockerfile', string>;
  quiet: boolean;
  /** Vertex names and log lines seen, for buildx's summary of a failed step. */
  names: Map<number, string>;
  logs: Map<number, string[]>;
  failed?: number;
}

export type Sessions = Map<string, BuildSession>;

/** The files under a shared directory the daemon asked for: exact files, or everything under a directory. */
function collect(
  files: HostFiles,
  root: string,
  dir: string,
  followPaths: readonly string[],
): Record<string, string> {
  const all = files.walk(root);
  const patterns =
    dir === 'context'
      ? (files.read(`${root}/.dockerignore`) ?? '')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
      : [];
  const out: Record<string, string> = {};
  for (const wanted of followPaths) {
    const rel = wanted.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    for (const path of all.filter((p) => rel === '' || rel === '.' || p === rel || p.startsWith(`${rel}/`))) {
      if (path !== '.dockerignore' && ignored(patterns, path)) continue;
      out[path] = files.read(`${root}/${path}`) ?? '';
    }
  }
  return out;
}

/** `FileSync.DiffCopy`: the CLI streams what the daemon asked for from the shared directory. */
export function serveDiffCopy(wire: Wire, sessions: Sessions, files: HostFiles, msg: Message): void {
  const p = (msg.payload ?? {}) as JsonObject;
  const session = sessions.get(String(p.session));
  const dir = p.dir === 'dockerfile' ? 'dockerfile' : 'context';
  if (!session) {
    wire.reply(
      msg,
      replyDraft(msg.op, 'Unavailable: no such session', {
        ok: false,
        payload: { error: 'no active session' },
      }),
    );
    return;
  }
  const sent = collect(files, session.dirs[dir], dir, (p.followPaths ?? []) as string[]);
  const bytes = Object.values(sent).reduce((n, t) => n + t.length, 0);
  wire.reply(
    msg,
    replyDraft(msg.op, `${Object.keys(sent).length} file(s), ${bytes} bytes from ${session.dirs[dir]}`, {
      payload: { files: sent },
      params: { count: Object.keys(sent).length, dir: session.dirs[dir] },
    }),
  );
}

/** A `Control.Status` message: printed on stderr, and kept for the failure summary. */
export function printStatus(wire: Wire, sessions: Sessions, msg: Message): void {
  const p = (msg.payload ?? {}) as JsonObject;
  const session = sessions.get(String(p.session));
  const updates = (p.updates ?? []) as unknown as PlainUpdate[];
  for (const u of updates) {
    if (u.name !== undefined) session?.names.set(u.index, u.name);
    for (const log of u.logs ?? [])
      session?.logs.set(u.index, [
        ...(session.logs.get(u.index) ?? []),
        ...log.text.replace(/\n$/, '').split('\n'),
      ]);
    if (u.error !== undefined && session) session.failed = u.index;
  }
  if (session?.quiet) return;
  const text = renderPlain(updates);
  if (text !== '') wire.output('stderr', text);
}

// Messages between the engine and its unpack workers (pool.ts ⇄ worker.ts). A job is one layer:
// `job` names the directory and the checks, `data` carries compressed bytes (an ArrayBuffer
// moved, not copied, to the worker), `end` asks for the result; `file` instead names a blob the
// content store holds, which the worker reads itself and then ends; the worker answers `ack` for
// each data message once gunzip has consumed it, handing the buffer back for reuse (no fresh
// pages per batch), then `done` or `error`.
import type { ImageErrorCode } from '../errors.ts';
import type { UnpackLimits, UnpackResult } from './unpack.ts';

export interface JobOptions {
  layer: string;
  expectedDiffId?: string;
  chown: boolean;
  whiteoutTemplate?: string;
  limits?: Partial<UnpackLimits>;
}

export type ToWorker =
  | { t: 'job'; id: number; dir: string; options: JobOptions }
  | { t: 'data'; id: number; buf: ArrayBuffer; length: number }
  | { t: 'end'; id: number }
  | { t: 'file'; id: number; path: string }
  | { t: 'abort'; id: number }
  /** The engine's spare batch buffers, moved to a worker that is ending: they go with its isolate. */
  | { t: 'release'; bufs: ArrayBuffer[] };

export type FromWorker =
  | { t: 'ready' }
  /** The data message's buffer comes back (moved again) for the engine to reuse. */
  | { t: 'ack'; id: number; bytes: number; buf: ArrayBuffer }
  | { t: 'done'; id: number; result: UnpackResult }
  | { t: 'error'; id: number; code: ImageErrorCode | undefined; message: string };

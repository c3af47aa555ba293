// What every endpoint handler gets: the request's parts and the engine's state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ImageRoot } from '../image/root.ts';
import type { Puller } from './backend.ts';
import type { EventLog } from './events.ts';
import type { RealWorld } from '../real/world.ts';
import type { Stepping } from '../real/stepping.ts';

export interface Engine {
  /** The one world of layer machines every request that runs through them enters. */
  world: RealWorld;
  /** Its gate's policies, set from outside: real step mode and breakpoints. */
  stepping: Stepping;
  root: ImageRoot;
  puller: Puller;
  events: EventLog;
  /** The engine's own run directory (mount points of the tree endpoint live under it). */
  runDir: string;
  /** Scratch space on the root's file system (a loaded tarball is unpacked there, not in /run's tmpfs). */
  tmpDir: string;
  /** Aborted when the engine shuts down: long streams (events) end, pulls are cancelled. */
  closing: AbortSignal;
  /** Registry scheme override for tests and plain-http registries; loopback is http already. */
  registryScheme?: 'http' | 'https';
}

export interface Call {
  engine: Engine;
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for (1.44 without a prefix). */
  version: string;
}

export type Handler = (call: Call) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE' | 'PUT';
  /** A path with `{name}` parameters; `{name*}` takes slashes (image names have them). */
  path: string;
  handler: Handler;
}

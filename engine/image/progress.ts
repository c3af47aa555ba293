// Pull and push progress in the words of Docker's JSON stream (REFERENCE.md, "/images/create"):
// a status per layer id (12 hex digits of the layer digest), with byte counts while moving.
// The Engine API server later prints these as `{"status","id","progressDetail"}` lines.
import type { JsonMessage } from '../api/jsonmessage.ts';

export type LayerStatus =
  | 'Pulling fs layer'
  | 'Waiting'
  | 'Downloading'
  | 'Verifying Checksum'
  | 'Download complete'
  | 'Extracting'
  | 'Pull complete'
  | 'Already exists'
  | 'Preparing'
  | 'Pushing'
  | 'Pushed'
  | 'Layer already exists'
  | 'Mounted from';

export type Progress =
  | { kind: 'resolved'; name: string; digest: string; mediaType: string }
  | { kind: 'layer'; id: string; status: LayerStatus; current?: number; total?: number; detail?: string }
  | { kind: 'done'; name: string; digest: string; status: string }
  /** A line the operation wrote, as it stands (`The push refers to repository […]`, "Pushed", the aux). */
  | { kind: 'line'; message: JsonMessage };

export type ProgressSink = (event: Progress) => void;

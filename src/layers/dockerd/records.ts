import type { ActorRefFrom } from 'xstate';
import type { ImageConfig } from '../../model/image.ts';
import type { OciSpec } from '../../model/oci.ts';
import type { PortBinding } from '../../ports/network.ts';
import type { ImageLayerRecord } from '../containerd/imageService.ts';
import type { containerMachine } from './containerMachine.ts';

/** What dockerd knows about an image, from either image store (containerd's or its own). */
export interface ImageRecord {
  /** Normalised reference: `docker.io/library/nginx:latest`. */
  name: string;
  /** Image id: the config digest. */
  id: string;
  repoDigest: string;
  target: { mediaType: string; digest: string; size: number };
  manifestDigest: string;
  config: ImageConfig;
  configText: string;
  layers: ImageLayerRecord[];
  createdMs: number;
}

export interface ContainerRecord {
  id: string;
  name: string;
  /** The image as the user typed it (docker events' `image` attribute). */
  imageRef: string;
  image: ImageRecord;
  path: string;
  args: string[];
  env: string[];
  autoRemove: boolean;
  memory: number;
  ports: PortBinding[];
  networkMode: string;
  stopSignal: string;
  stopTimeout: number | undefined;
  createdMs: number;
  startedMs: number;
  finishedMs: number;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  restartCount: number;
  rwKey: string;
  spec: OciSpec | undefined;
  ip: string;
  actor: ActorRefFrom<typeof containerMachine>;
  /** Actions dockerd is in the middle of, which change how an exit is reported. */
  stopping: boolean;
  attached: boolean;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  cmd: string[];
  running: boolean;
  exitCode: number | null;
  pid: number;
}

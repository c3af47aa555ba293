import type { Catalogue } from '../index.ts';
import { binds } from './binds.ts';
import { build } from './build.ts';
import { cli } from './cli.ts';
import { containerd } from './containerd.ts';
import { copy } from './copy.ts';
import { cri } from './cri.ts';
import { desktop } from './desktop.ts';
import { dockerd } from './dockerd.ts';
import { host } from './host.ts';
import { kernel } from './kernel.ts';
import { kubelet } from './kubelet.ts';
import { network } from './network.ts';
import { networks } from './networks.ts';
import { volumes } from './volumes.ts';
import { inspectProcesses } from './inspectProcesses.ts';
import { registry } from './registry.ts';
import { resources } from './resources.ts';
import { prune } from './prune.ts';
import { restart } from './restart.ts';
import { search } from './search.ts';
import { saveLoad } from './saveLoad.ts';
import { runc } from './runc.ts';
import { shim } from './shim.ts';
import { storage } from './storage.ts';
import { views } from './views.ts';

/** The English catalogue, one file per area (a test checks the areas share no key). */
export const enAreas: Readonly<Record<string, Catalogue>> = {
  cli,
  dockerd,
  containerd,
  kubelet,
  cri,
  shim,
  runc,
  kernel,
  storage,
  network,
  networks,
  volumes,
  inspectProcesses,
  registry,
  host,
  restart,
  resources,
  copy,
  search,
  saveLoad,
  prune,
  views,
  desktop,
  binds,
  build,
};

export const en: Catalogue = Object.fromEntries(
  Object.values(enAreas).flatMap((area) => Object.entries(area)),
);

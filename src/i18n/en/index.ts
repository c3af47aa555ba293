import type { Catalogue } from '../index.ts';
import { build } from './build.ts';
import { cli } from './cli.ts';
import { containerd } from './containerd.ts';
import { dockerd } from './dockerd.ts';
import { kernel } from './kernel.ts';
import { network } from './network.ts';
import { registry } from './registry.ts';
import { runc } from './runc.ts';
import { shim } from './shim.ts';
import { storage } from './storage.ts';
import { views } from './views.ts';

/** The English catalogue, one file per area (a test checks the areas share no key). */
export const enAreas: Readonly<Record<string, Catalogue>> = {
  cli,
  dockerd,
  containerd,
  shim,
  runc,
  kernel,
  storage,
  network,
  registry,
  views,
  build,
};

export const en: Catalogue = Object.fromEntries(
  Object.values(enAreas).flatMap((area) => Object.entries(area)),
);

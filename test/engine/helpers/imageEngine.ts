// The world of the suites that drive images through the engine (pull, push, rmi, save and load): a
// registry on loopback holding the test images (daemonImages.ts) and `dockstep engine` with a temp
// root, brought up before the suite's tests and taken down after them, the engine first.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { pushTestImages, type PushedImages } from './daemonImages.ts';
import { startEngine, type RunningEngine } from './engine.ts';
import { startRegistry, type Registry } from './registry.ts';
import type { tempDir } from './tmp.ts';

export interface ImageEngine {
  registry: Registry;
  images: PushedImages;
  engine: RunningEngine;
}

/**
 * Registers the suite's beforeAll and afterAll: `ready` gets the world once it is up (the images
 * pushed under `work`). Down again, the engine has removed its directory.
 */
export function useImageEngine(
  work: ReturnType<typeof tempDir>,
  ready: (world: ImageEngine) => unknown,
): void {
  const up: Partial<ImageEngine> = {};
  beforeAll(async () => {
    const registry = (up.registry = await startRegistry());
    const images = (up.images = await pushTestImages(registry.host, work.path));
    const engine = (up.engine = await startEngine());
    await ready({ registry, images, engine });
  }, 120_000);
  afterAll(async () => {
    await up.engine?.stop();
    await up.registry?.stop();
    work.remove();
    expect(existsSync(up.engine?.dir ?? '/nonexistent')).toBe(false);
  });
}

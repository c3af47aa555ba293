// dockerd's layer store takes at most 125 layers (moby layer/layer_store.go maxLayerDepth): the
// pull operation refuses a deeper manifest as soon as it has read it, before the config or any
// layer is asked for, with the words a pull of such an image ends in on dockerd 20.10.
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/model/digest.ts';
import { MAX_LAYER_DEPTH, MEDIA_TYPES } from '../../../src/model/image.ts';
import type { RegistryRequest, RegistryResponse } from '../../../src/ports/registry.ts';
import { cliOutput, goldenLines } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/** busybox:latest answered by a manifest of `n` layers; everything else as the registry has it. */
function pullOfDepth(n: number): { lines: string[]; output: string } {
  const sim = new Simulation(['docker pull busybox']);
  const inner = sim.world.ports.registry;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: digestOf('config'), size: 6 },
    layers: Array.from({ length: n }, (_, i) => ({
      mediaType: MEDIA_TYPES.ociLayer,
      digest: digestOf(`layer ${i}`),
      size: 32,
    })),
  });
  sim.world.ports.registry = {
    roundTrip(request: RegistryRequest): RegistryResponse {
      // The tag's HEAD and the GET by the digest it gave (the simulated Docker Hub wants a token).
      const asked = /\/manifests\/(latest|sha256:.*)$/.exec(request.path)?.[1];
      if (asked !== 'latest' && asked !== digestOf(manifest)) return inner.roundTrip(request);
      const headers = {
        'Content-Type': MEDIA_TYPES.ociManifest,
        'Docker-Content-Digest': digestOf(manifest),
      };
      return { status: 200, statusText: 'OK', headers, body: manifest, bodySize: manifest.length };
    },
  };
  const trace = sim.runToEnd();
  return { lines: goldenLines(trace), output: cliOutput(trace) };
}

describe('a pull of a manifest deeper than dockerd takes', () => {
  it(`refuses ${MAX_LAYER_DEPTH + 1} layers before asking for any blob`, () => {
    const { lines, output } = pullOfDepth(MAX_LAYER_DEPTH + 1);
    expect(lines.filter((l) => l.includes('/blobs/'))).toEqual([]);
    expect(output).toContain('failed to register layer: max depth exceeded');
    expect(lines.at(-1)).toBe('CLI --> User: exit 1');
  });

  it(`goes on to the config with ${MAX_LAYER_DEPTH} layers`, () => {
    const { lines, output } = pullOfDepth(MAX_LAYER_DEPTH);
    expect(lines.some((l) => l.includes(`/blobs/${digestOf('config').slice(0, 19)}`))).toBe(true);
    expect(output).not.toContain('max depth exceeded');
  });
});

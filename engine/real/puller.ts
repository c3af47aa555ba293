// The engine's pull for the API server (engine/daemon/backend.ts `PullRun`): the layer
// machines' pull (pull.ts), its progress told as Docker's messages while it runs. The per-layer
// lines come from the real actions as the work happens ("Downloading" with bytes, "Extracting",
// "Pull complete", and "Verifying Checksum" just before "Download complete" as dockerd sends it);
// the operation's own stream, which it answers with at the end, supplies the rest ("Already
// exists", "Digest: …", "Status: …") and decides how the pull ended.
import type { JsonMessage } from '../api/jsonmessage.ts';
import { ApiError } from '../daemon/errors.ts';
import { toMessage, type PullRun } from '../daemon/backend.ts';
import { formatPlatform } from '../image/platform.ts';
import { parseReference } from '../image/reference.ts';
import { pullThroughMachines, type PullQuery } from './pull.ts';
import type { RealWorld } from './world.ts';

const keyOf = (m: JsonMessage): string => `${m.id ?? ''}|${m.status ?? ''}`;

/**
 * A layer's line as dockerd's progress writer sends it: with `progressDetail`, `{}` when there
 * is nothing to count (moby pkg/streamformatter: every progress.Update carries one), which the
 * docker CLI needs to redraw the line in place on a terminal. "Pulling from", "Digest" and
 * "Status" lines are messages and carry none.
 */
export function asLayerLine(m: JsonMessage): JsonMessage {
  if (m.id === undefined || m.progressDetail !== undefined || m.status === undefined) return m;
  if (m.status.startsWith('Pulling from ')) return m;
  return { status: m.status, progressDetail: {}, id: m.id };
}

export function machinePull(world: RealWorld, options: { timeoutMs?: number } = {}): PullRun {
  const { root } = world;
  return async (name, platform, credentials, emit, signal) => {
    const ref = parseReference(name);
    const query: PullQuery = {
      fromImage: `${ref.domain}/${ref.path}`,
      tag: ref.digest ?? ref.tag ?? 'latest',
      platform: formatPlatform(platform),
    };
    const sent = new Set<string>();
    const send = (m: JsonMessage): void => {
      sent.add(keyOf(m));
      emit(m);
    };
    const header: JsonMessage = { status: `Pulling from ${ref.path}`, id: ref.digest ?? ref.tag ?? 'latest' };
    const result = await pullThroughMachines(root, query, {
      ...(credentials === undefined ? {} : { credentials }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      world,
      signal,
      onProgress: (event) => {
        const m = toMessage(event, name);
        if (m === undefined || m.id === undefined) return;
        if (!sent.has(keyOf(header))) send(header);
        if (!sent.has(`${m.id}|Pulling fs layer`))
          send({ status: 'Pulling fs layer', progressDetail: {}, id: m.id });
        // The digest was checked while the bytes streamed in; dockerd says so just before
        // "Download complete" (moby distribution/pull_v2.go Download), not after the unpack.
        if (m.status === 'Download complete' && !sent.has(`${m.id}|Verifying Checksum`))
          send({ status: 'Verifying Checksum', progressDetail: {}, id: m.id });
        send(m);
      },
    });
    if (!Array.isArray(result.body))
      throw new ApiError(result.status, String(result.body.message ?? `pull of ${name} failed`));
    const record = root.images.get(name);
    for (const line of result.body as JsonMessage[]) {
      if (line.error !== undefined) throw new ApiError(500, line.error);
      if (!sent.has(keyOf(line))) send(asLayerLine(line));
    }
    if (record === undefined) throw new ApiError(500, `pull of ${name} stored no image`);
    return { name: record.name, digest: record.target.digest, id: record.config.digest };
  };
}

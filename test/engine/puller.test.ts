// The API server's shared pulls (engine/daemon/backend.ts ImagePuller): two clients of one image
// share one run; the run is cancelled only when the last of them hangs up, as dockerd's transfer
// manager cancels a download when its last watcher goes.
import { describe, expect, it } from 'vitest';
import { ImagePuller, type PullRun } from '../../engine/daemon/backend.ts';

function heldRun(): { run: PullRun; signals: AbortSignal[]; finish: () => void } {
  const signals: AbortSignal[] = [];
  let finish: () => void = () => undefined;
  const run: PullRun = (name, _platform, _credentials, _emit, signal) => {
    signals.push(signal);
    return new Promise((resolve, reject) => {
      finish = () => resolve({ name, digest: 'sha256:' + 'a'.repeat(64), id: 'sha256:' + 'b'.repeat(64) });
      signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
  };
  return { run, signals, finish: () => finish() };
}

describe('shared pulls', () => {
  it('run once for two clients, and are cancelled only when the last client hangs up', async () => {
    const { run, signals } = heldRun();
    const puller = new ImagePuller(run);
    const [a, b] = [new AbortController(), new AbortController()];
    const first = puller.pull('busybox:1', { onMessage: () => undefined, signal: a.signal });
    const second = puller.pull('busybox:1', { onMessage: () => undefined, signal: b.signal });
    expect(signals).toHaveLength(1);
    a.abort();
    await expect(first).rejects.toThrow(/cancelled/);
    expect(signals[0]?.aborted).toBe(false);
    b.abort();
    await expect(second).rejects.toThrow(/cancelled/);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('finish for the client that stays', async () => {
    const { run, signals, finish } = heldRun();
    const puller = new ImagePuller(run);
    const a = new AbortController();
    const first = puller.pull('busybox:1', { onMessage: () => undefined, signal: a.signal });
    const second = puller.pull('busybox:1', {
      onMessage: () => undefined,
      signal: new AbortController().signal,
    });
    a.abort();
    await expect(first).rejects.toThrow(/cancelled/);
    finish();
    await expect(second).resolves.toMatchObject({ name: 'docker.io/library/busybox:1' });
    expect(signals[0]?.aborted).toBe(false);
  });
});

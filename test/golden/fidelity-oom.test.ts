import { describe, expect, it } from 'vitest';
import { expectSameAsRealEngine } from './fidelity-fixture.ts';

/**
 * OOM kill (test/fixtures/real-engine/e-oom.txt): `-m 8m` and a shell doubling a string until
 * the memory cgroup's OOM killer takes it. The name is `oom1`, not `o`: the real engine refuses
 * one-character names (c-run-rm-exit-code.txt, "Invalid container name (t)").
 */
describe('fidelity: OOM kill, as dockerd 20.10 / containerd 1.6 report it', () => {
  it('create, attach, connect, start, oom, die 137, disconnect; /tasks/oom before /tasks/exit; exit 137, no output', () => {
    const { sim } = expectSameAsRealEngine('e-oom.txt', (line) => line.startsWith('docker '));
    const run = sim.merged[0] ?? [];
    const at = (prefix: string) => run.findIndex((l) => l.startsWith(prefix));
    expect(at('CT /tasks/oom')).toBeLessThan(at('CT /tasks/exit'));
    expect(at('EV container oom')).toBeLessThan(at('EV container die'));
    expect(sim.steps[0]).toMatchObject({ exitCode: 137, stdout: '', stderr: '' });
  });

  it('inspect shows OOMKilled=true, ExitCode=137, and MemorySwap twice the memory limit', () => {
    const { sim } = expectSameAsRealEngine('e-oom.txt', (line) => line.startsWith('docker '));
    expect(sim.steps[1]?.stdout).toBe('exited OOMKilled=true ExitCode=137 Error=\n');
    expect(sim.steps[2]?.stdout).toBe('8388608 16777216\n');
  });
});

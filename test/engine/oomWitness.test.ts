// An OOM kill the shim did not report is told from the kernel's count at the init's exit, once:
// a shim's late report of the same kill is not told again, a later kill is.
import { describe, expect, it } from 'vitest';
import { OomWitness } from '../../engine/real/oomWitness.ts';

const counting = (count: number) => () => ({ count, file: 'memory.oom_control' });

describe('the OOM witness', () => {
  it('tells an unreported kill at a 137 exit from the cgroup’s count, with the file it read', () => {
    const witness = new OomWitness(counting(1));
    expect(witness.unreportedAtExit('c1', 137)).toBe('memory.oom_control: oom_kill 1 (read at the exit)');
  });

  it('says nothing when the shim reported the kill, the exit is not a SIGKILL, or the kernel counted none', () => {
    const reported = new OomWitness(counting(1));
    expect(reported.shimReported('c1')).toBe(true);
    expect(reported.unreportedAtExit('c1', 137)).toBeUndefined();
    expect(new OomWitness(counting(1)).unreportedAtExit('c1', 1)).toBeUndefined();
    expect(new OomWitness(counting(0)).unreportedAtExit('c1', 137)).toBeUndefined();
  });

  it('absorbs the shim’s late report of a kill told at the exit, but not a report long after', () => {
    const witness = new OomWitness(counting(1));
    expect(witness.unreportedAtExit('c1', 137, 1_000)).toBeDefined();
    expect(witness.shimReported('c1', 1_500)).toBe(false);
    expect(witness.unreportedAtExit('c2', 137, 1_000)).toBeDefined();
    expect(witness.shimReported('c2', 60_000)).toBe(true);
  });
});

import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { narrate } from '../../src/i18n/index.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { cliOutput, messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** A program outside the process model is said to be so, and never stalls the run. */
describe('a program the process model does not simulate', () => {
  const lines = [
    'docker run --rm busybox wget -q -O- http://example.invalid/',
    'docker run --rm busybox echo hi',
  ];
  const trace = new Simulation(lines).runToEnd();

  it('its execve narration says it is not modelled, in both languages', () => {
    const execve = messagesOf(trace).filter((m) => m.op === 'kernel.execve');
    const [first] = execve;
    if (!first) throw new Error('no execve message in the trace');
    expect(first.fidelity?.key).toBe('fidelity.unmodelled');
    expect(narrate(first, 'en')).toMatch(/not in the process model/);
    expect(narrate(first, 'zh-CN')).toMatch(/不在进程模型里/);
    expect(execve[1]?.fidelity).toBeUndefined();
  });

  it('the run notes that the command is still running and goes on with the next one', async () => {
    expect(trace.entries.some((e) => e.type === 'note' && e.text.key === 'note.stillRunning')).toBe(true);
    expect(cliOutput(trace)).toMatch(/\$ docker run --rm busybox echo hi\nhi\n$/);
    const text = toMermaid(trace);
    expect(text).toMatch(/Note over User,Kernel: “docker run --rm busybox wget/);
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });
});

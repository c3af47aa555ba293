// Stdio and OOM under the real shim: a TTY container fed through a stdin FIFO (the shim's
// console: output on the stdout FIFO, the window size from ResizePty), and a container that
// outgrows its memory limit: /tasks/oom, then /tasks/exit with 137.
import { expect, it } from 'vitest';
import { openFifoWriter } from '../../engine/shim/fifo.ts';
import { realSuite } from './helpers/caps.ts';
import {
  collect,
  counts,
  labForSuite,
  makeBundle,
  runcOptions,
  startLabShim,
  type Counts,
  type Lab,
} from './shimFixture.ts';

const sockets: string[] = [];

async function ttyShell(lab: Lab): Promise<void> {
  const c = await makeBundle(lab, 'tty', {
    args: ['sh'],
    terminal: true,
    env: ['PATH=/bin', 'TERM=xterm'],
  });
  const shim = await startLabShim(lab, c);
  sockets.push(shim.socketAddress);
  const stdin = await openFifoWriter(`${c.bundle}/stdin`);
  const out = await collect(c.stdout);
  await shim.task.create({
    bundle: c.bundle,
    terminal: true,
    stdin: `${c.bundle}/stdin`,
    stdout: c.stdout,
    runc: runcOptions(lab),
  });
  await shim.task.start();
  await shim.task.resizePty(100, 30);
  stdin.write('tty; stty size; echo done $((6*7)); exit 4\n');
  expect((await shim.task.wait()).exitStatus).toBe(4);
  await expect.poll(() => out.text()).toContain('done 42');
  expect(out.text()).toMatch(/\/dev\/pts\/0\r\n30 100\r\n/);
  stdin.destroy();
  out.close();
  await shim.task.delete();
  await shim.task.shutdown();
  shim.log.close();
}

async function oomKill(lab: Lab): Promise<void> {
  const c = await makeBundle(lab, 'oom', {
    // A second's pause first: the shim watches for OOM only once runc start has returned
    // (runtime/v2/runc/task/service.go Start), so an instant OOM could go unreported.
    args: ['sh', '-c', 'sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=4'],
    memoryLimit: 16 * 1024 * 1024,
  });
  const shim = await startLabShim(lab, c);
  sockets.push(shim.socketAddress);
  const out = await collect(c.stdout);
  const err = await collect(c.stderr);
  await shim.task.create({ bundle: c.bundle, stdout: c.stdout, stderr: c.stderr, runc: runcOptions(lab) });
  const oom = lab.events.next('/tasks/oom', (e) => e.event.containerId === 'oom');
  const exited = lab.events.next('/tasks/exit', (e) => e.event.containerId === 'oom');
  await shim.task.start();
  await oom;
  expect((await exited).event.exitStatus).toBe(137);
  out.close();
  err.close();
  await shim.task.delete();
  await shim.task.shutdown();
  shim.log.close();
}

realSuite('stdio and OOM under the real shim', ['root', 'busybox', 'shim', 'runc'], () => {
  let before: Counts;
  const theLab = labForSuite(async (lab) => {
    before = await counts(lab);
  });

  it('runs an interactive shell on a TTY: input from the stdin FIFO, output and window size on stdout', () =>
    ttyShell(theLab()));

  it('reports an OOM kill: /tasks/oom, then /tasks/exit 137', () => oomKill(theLab()));

  it('refuses a Create whose stdout FIFO does not exist, before runc leaves an init behind', async () => {
    const c = await makeBundle(theLab(), 'nofifo', { args: ['true'] });
    const shim = await startLabShim(theLab(), c);
    sockets.push(shim.socketAddress);
    const create = shim.task.create({
      bundle: c.bundle,
      stdout: c.stdout,
      stderr: c.stderr,
      runc: runcOptions(theLab()),
    });
    await expect(create).rejects.toThrow(`stdio of nofifo: ${c.stdout} does not exist`);
    await shim.task.shutdown();
    shim.log.close();
  });

  it('leaves nothing behind', async () => {
    expect(await counts(theLab(), sockets)).toEqual({ ...before, sockets: [] });
  });
});

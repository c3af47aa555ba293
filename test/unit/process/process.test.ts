import { describe, expect, it } from 'vitest';
import { signalName, signalNumber, spawnProcess } from '../../../src/sim/process/index.ts';
import { T0, env, exitOf, runUntil, spawn, stderr, stdout } from './helpers.ts';

describe('signals', () => {
  it('parses the forms docker accepts', () => {
    expect(signalNumber('TERM')).toBe(15);
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('sigkill')).toBe(9);
    expect(signalNumber('15')).toBe(15);
    expect(signalNumber('RTMIN+3')).toBe(37);
    expect(signalNumber('0')).toBeUndefined();
    expect(signalNumber('NOPE')).toBeUndefined();
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(3)).toBe('SIGQUIT');
    expect(signalName(34)).toBe('SIGRTMIN');
  });
});

describe('lookup (runc exec.LookPath)', () => {
  it('not found in PATH: 127 with runc text', () => {
    expect(spawnProcess(env('busybox', ['nosuchcmd']))).toEqual({
      ok: false,
      code: 127,
      message: 'exec: "nosuchcmd": executable file not found in $PATH',
    });
  });
  it('a directory: 126', () => {
    expect(spawnProcess(env('busybox', ['/etc']))).toEqual({
      ok: false,
      code: 126,
      message: 'exec: "/etc": is a directory',
    });
  });
  it('a missing absolute path: 127 with the stat error', () => {
    expect(spawnProcess(env('busybox', ['/nosuch']))).toEqual({
      ok: false,
      code: 127,
      message: 'exec: "/nosuch": stat /nosuch: no such file or directory',
    });
  });
  it('a non-executable file: 126 permission denied', () => {
    const r = spawnProcess(env('busybox', ['/etc/passwd']));
    expect(r).toEqual({ ok: false, code: 126, message: 'exec: "/etc/passwd": permission denied' });
  });
  it('bash is not in busybox', () => {
    const r = spawnProcess(env('busybox', ['bash']));
    expect(r.ok).toBe(false);
  });
});

describe('sleep and PID 1', () => {
  it('as PID 1 ignores SIGTERM and dies to SIGKILL (137)', () => {
    const p = spawn('busybox', ['sleep', '1000']);
    expect(p.comm).toBe('sleep');
    expect(p.start()).toEqual([]);
    expect(p.nextWakeMs()).toBe(T0 + 1_000_000);
    expect(p.signal(15, T0 + 5000)).toEqual([]);
    expect(p.exited).toBe(false);
    expect(p.signal(9, T0 + 15000)).toEqual([{ type: 'exit', code: 137, signal: 9, atMs: T0 + 15000 }]);
    expect(p.exited).toBe(true);
  });
  it('not PID 1 dies to SIGTERM (143)', () => {
    const p = spawn('busybox', ['sleep', '1000'], { isPid1: false });
    p.start();
    expect(p.signal(15, T0 + 10)).toEqual([{ type: 'exit', code: 143, signal: 15, atMs: T0 + 10 }]);
  });
  it('ends on its own with 0', () => {
    const p = spawn('busybox', ['sleep', '1.5']);
    p.start();
    expect(runUntil(p, T0 + 10_000)).toEqual([{ type: 'exit', code: 0, atMs: T0 + 1500 }]);
  });
  it('sleep infinity blocks', () => {
    const p = spawn('busybox', ['sleep', 'infinity']);
    p.start();
    expect(p.nextWakeMs()).toBeUndefined();
  });
  it('sh -c "sleep 1000" becomes sleep itself (exec of the last command)', () => {
    const p = spawn('busybox', ['sh', '-c', 'sleep 1000']);
    p.start();
    expect(p.comm).toBe('sleep');
    expect(p.signal(15, T0 + 100)).toEqual([]);
    expect(exitOf(p.signal(9, T0 + 200))?.code).toBe(137);
  });
});

describe('sh -c', () => {
  it('echo and exit 3', () => {
    const p = spawn('busybox', ['sh', '-c', 'echo hello; x=world; echo "$x $x"; exit 3']);
    const out = [...p.start(), ...runUntil(p, T0 + 1000)];
    expect(stdout(out)).toBe('hello\nworld world\n');
    expect(exitOf(out)).toEqual({ type: 'exit', code: 3, atMs: T0 });
  });
  it('&&, ||, for, arithmetic, printf, echo -n/-e', () => {
    const script =
      'false || echo a && echo b; for i in 1 2 3; do printf "%s-" $i; done; echo; i=0; while [ $i -lt 2 ]; do i=$((i+1)); done; echo -n "$i"; echo -e "\\tz"';
    const p = spawn('busybox', ['sh', '-c', script]);
    const out = [...p.start(), ...runUntil(p, T0 + 1000)];
    expect(stdout(out)).toBe('a\nb\n1-2-3-\n2\tz\n');
    expect(exitOf(out)?.code).toBe(0);
  });
  it('a missing command: ash message and 127', () => {
    const p = spawn('busybox', ['sh', '-c', 'nosuch; echo $?']);
    const out = [...p.start(), ...runUntil(p, T0 + 1000)];
    expect(stderr(out)).toBe('sh: nosuch: not found\n');
    expect(stdout(out)).toBe('127\n');
  });
  it('dash names the line', () => {
    const p = spawn('nginx', ['/bin/sh', '-c', 'nosuch']);
    const out = [...p.start(), ...runUntil(p, T0 + 1000)];
    expect(stderr(out)).toBe('/bin/sh: 1: nosuch: not found\n');
    expect(exitOf(out)?.code).toBe(127);
  });
  it('sh alone reads EOF from /dev/null and exits 0', () => {
    const p = spawn('busybox', ['sh']);
    expect(p.start()).toEqual([{ type: 'exit', code: 0, atMs: T0 }]);
  });
  it('a loop with sleep shows sh with a sleep child', () => {
    const p = spawn('busybox', ['sh', '-c', 'while true; do echo tick; sleep 1; done']);
    const out = [...p.start(), ...runUntil(p, T0 + 3500)];
    expect(stdout(out)).toBe('tick\n'.repeat(4));
    expect(p.comm).toBe('sh');
    expect(p.children()).toEqual([{ comm: 'sleep' }]);
    expect(p.signal(15, T0 + 3600)).toEqual([]); // PID 1 without a trap
  });
});

describe('sh traps', () => {
  it('trap runs only after the current sleep ends', () => {
    const p = spawn('busybox', ['sh', '-c', "trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"]);
    p.start();
    runUntil(p, T0 + 2500);
    expect(p.signal(15, T0 + 2500)).toEqual([]);
    expect(p.exited).toBe(false);
    const out = runUntil(p, T0 + 5000);
    const exit = exitOf(out);
    expect(exit?.code).toBe(0);
    expect(exit?.atMs).toBeGreaterThan(T0 + 2500);
    expect(exit?.atMs).toBeLessThanOrEqual(T0 + 3010);
    expect(stdout(out)).toBe('bye\n');
  });
  it('wait returns at once for a trapped signal', () => {
    const p = spawn('busybox', ['sh', '-c', "trap 'exit 0' TERM; sleep 1000 & wait"]);
    p.start();
    runUntil(p, T0 + 100);
    expect(p.children()).toEqual([{ comm: 'sleep' }]);
    expect(p.signal(15, T0 + 200)).toEqual([{ type: 'exit', code: 0, atMs: T0 + 200 }]);
  });
  it('an EXIT trap runs at exit', () => {
    const p = spawn('busybox', ['sh', '-c', "trap 'echo cleanup' EXIT; echo work"]);
    expect(stdout(p.start())).toBe('work\ncleanup\n');
  });
  it('unsupported syntax: not modelled, prints nothing', () => {
    for (const script of ['ls | wc -l', 'echo $(date)', 'echo *', 'case x in x) ;; esac']) {
      const p = spawn('busybox', ['sh', '-c', script]);
      expect(p.modeled).toBe(false);
      expect(p.start()).toEqual([]);
      expect(p.nextWakeMs()).toBeUndefined();
      expect(p.signal(15, T0 + 1)).toEqual([]);
      expect(exitOf(p.signal(9, T0 + 2))?.code).toBe(137);
    }
  });
});

describe('OOM', () => {
  it('x=$x$x with an 8 MiB limit: oom, then 137 by SIGKILL', () => {
    const p = spawn('busybox', ['sh', '-c', 'x=a; while true; do x=$x$x; done'], {
      memoryLimitBytes: 8 * 1024 * 1024,
    });
    const out = [...p.start(), ...runUntil(p, T0 + 10_000)];
    const oom = out.find((e) => e.type === 'oom');
    const exit = exitOf(out);
    expect(oom).toBeDefined();
    expect(exit).toMatchObject({ code: 137, signal: 9 });
    expect(out.indexOf(oom as never)).toBeLessThan(out.indexOf(exit as never));
    expect(exit?.atMs).toBeGreaterThan(T0 + 5);
    expect(exit?.atMs).toBeLessThan(T0 + 1000);
  });
  it('without a limit it grows until the host runs out', () => {
    const p = spawn('busybox', ['sh', '-c', 'x=a; while true; do x=$x$x; done']);
    const out = [...p.start(), ...runUntil(p, T0 + 3_600_000)];
    expect(out.map((e) => e.type)).toEqual(['oom', 'exit']);
  });
});

describe('applets', () => {
  it('env shows HOME set by runc', () => {
    const p = spawn('busybox', ['env']);
    expect(stdout(p.start())).toBe(
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=0123456789ab\nHOME=/root\n',
    );
  });
  it('echo, hostname, cat, date, true/false', () => {
    expect(stdout(spawn('busybox', ['echo', 'hi', 'there']).start())).toBe('hi there\n');
    expect(stdout(spawn('busybox', ['hostname']).start())).toBe('0123456789ab\n');
    expect(spawn('busybox', ['cat']).start()).toEqual([{ type: 'exit', code: 0, atMs: T0 }]);
    expect(stdout(spawn('busybox', ['date']).start())).toBe('Thu Jan  1 00:00:00 UTC 2026\n');
    expect(exitOf(spawn('busybox', ['false']).start())?.code).toBe(1);
  });
  it('yes is sampled: bounded output, keeps running', () => {
    const p = spawn('busybox', ['yes']);
    const out = [...p.start(), ...runUntil(p, T0 + 10_000)];
    expect(out.length).toBeGreaterThan(100);
    expect(out.length).toBeLessThan(20_000);
    expect(stdout(out).startsWith('y\ny\n')).toBe(true);
    expect(p.exited).toBe(false);
  });
  it('an unknown program is unmodelled', () => {
    const p = spawn('busybox', ['vi']);
    expect(p.modeled).toBe(false);
    expect(p.comm).toBe('vi');
  });
});

describe('nginx', () => {
  const argv = ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'];
  it('entrypoint lines on stdout, notices on stderr, two workers', () => {
    const p = spawn('nginx', argv);
    const out = [...p.start(), ...runUntil(p, T0 + 5000)];
    const lines = stdout(out).split('\n');
    expect(lines[0]).toBe(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    );
    expect(lines).toContain(
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    );
    expect(lines[lines.length - 2]).toBe('/docker-entrypoint.sh: Configuration complete; ready for start up');
    const err = stderr(out);
    expect(err).toMatch(/^2026\/01\/01 00:00:00 \[notice\] 1#1: using the "epoll" event method\n/);
    expect(err).toContain('[notice] 1#1: nginx/1.27.');
    expect(err).toContain('[notice] 1#1: start worker process 29\n');
    expect(err).toContain('[notice] 1#1: start worker process 30\n');
    expect(p.comm).toBe('nginx');
    expect(p.children()).toEqual([{ comm: 'nginx' }, { comm: 'nginx' }]);
    expect(p.nextWakeMs()).toBeUndefined();
  });
  it('SIGQUIT: graceful shutdown, exit 0', () => {
    const p = spawn('nginx', argv);
    p.start();
    runUntil(p, T0 + 5000);
    const out = [...p.signal(3, T0 + 6000), ...runUntil(p, T0 + 7000)];
    const err = stderr(out);
    expect(err).toContain('2026/01/01 00:00:06 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n');
    expect(err).toContain('[notice] 29#29: gracefully shutting down\n');
    expect(err).toContain('[notice] 1#1: worker process 30 exited with code 0\n');
    expect(err.trimEnd().endsWith('[notice] 1#1: exit')).toBe(true);
    expect(exitOf(out)).toMatchObject({ code: 0 });
    expect(exitOf(out)?.signal).toBeUndefined();
  });
  it('SIGTERM: fast shutdown; SIGHUP: reload keeps running', () => {
    const p = spawn('nginx', argv);
    p.start();
    runUntil(p, T0 + 5000);
    const hup = [...p.signal(1, T0 + 6000), ...runUntil(p, T0 + 6500)];
    expect(stderr(hup)).toContain('signal 1 (SIGHUP) received, reconfiguring');
    expect(stderr(hup)).toContain('start worker process 31');
    expect(p.exited).toBe(false);
    expect(p.children()).toHaveLength(2);
    const term = [...p.signal(15, T0 + 7000), ...runUntil(p, T0 + 8000)];
    expect(stderr(term)).toContain('signal 15 (SIGTERM) received, exiting');
    expect(stderr(term)).not.toContain('gracefully');
    expect(exitOf(term)?.code).toBe(0);
  });
  it('TERM during the entrypoint is ignored (dash without a trap, PID 1)', () => {
    const p = spawn('nginx', argv);
    p.start();
    expect(p.signal(15, T0 + 1)).toEqual([]);
    expect(p.comm).toBe('docker-entrypoi');
  });
});

describe('redis', () => {
  it('startup log and SIGTERM shutdown', () => {
    const p = spawn('redis', ['docker-entrypoint.sh', 'redis-server']);
    const out = [...p.start(), ...runUntil(p, T0 + 5000)];
    const log = stdout(out);
    expect(log).toContain('1:C 01 Jan 2026 00:00:00.005 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n');
    expect(log).toContain('# Warning: no config file specified, using the default config.');
    expect(log).toContain('1:M 01 Jan 2026 00:00:00.');
    expect(log).toMatch(/\* Ready to accept connections tcp\n$/);
    expect(p.comm).toBe('redis-server');
    const down = [...p.signal(15, T0 + 10_000), ...runUntil(p, T0 + 11_000)];
    const text = stdout(down);
    expect(text).toMatch(/^1:signal-handler \(\d+\) Received SIGTERM scheduling shutdown...\n/);
    expect(text).toContain('* User requested shutdown...\n');
    expect(text).toContain('* Saving the final RDB snapshot before exiting.\n');
    expect(text).toContain('* DB saved on disk\n');
    expect(text).toContain('# Redis is now ready to exit, bye bye...\n');
    expect(exitOf(down)).toMatchObject({ code: 0 });
  });
  it('ignores SIGHUP', () => {
    const p = spawn('redis', ['docker-entrypoint.sh', 'redis-server']);
    p.start();
    runUntil(p, T0 + 100);
    expect(p.signal(1, T0 + 200)).toEqual([]);
    expect(p.exited).toBe(false);
  });
});

describe('determinism', () => {
  it('same inputs, same effects', () => {
    const run = () => {
      const p = spawn('busybox', ['sh', '-c', "trap 'exit 0' TERM; while true; do echo x; sleep 0.3; done"]);
      const out = [
        ...p.start(),
        ...runUntil(p, T0 + 2000),
        ...p.signal(15, T0 + 2000),
        ...runUntil(p, T0 + 5000),
      ];
      const q = spawn('nginx', ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
      out.push(...q.start(), ...runUntil(q, T0 + 1000), ...q.signal(3, T0 + 1500), ...runUntil(q, T0 + 3000));
      return out;
    };
    expect(run()).toEqual(run());
  });
});

describe('sampling of CPU-bound loops', () => {
  it('a busy loop wakes rarely and keeps running', () => {
    const p = spawn('busybox', ['sh', '-c', 'while true; do echo hi; done']);
    const out = [...p.start()];
    let wakes = 0;
    for (let w = p.nextWakeMs(); w !== undefined && w <= T0 + 10_000; w = p.nextWakeMs()) {
      out.push(...p.advance(w));
      wakes++;
    }
    expect(wakes).toBeGreaterThan(50);
    expect(wakes).toBeLessThan(1000);
    expect(out.length).toBeLessThan(5000);
    expect(out.every((e) => e.type === 'write' && e.text === 'hi\n')).toBe(true);
    expect(p.exited).toBe(false);
  });
});

describe('lookup details', () => {
  it('a relative path is stat-ed as given', () => {
    expect(spawnProcess(env('busybox', ['bin/bash']))).toEqual({
      ok: false,
      code: 127,
      message: 'exec: "bin/bash": stat bin/bash: no such file or directory',
    });
    expect(spawnProcess(env('busybox', ['bin/sh'])).ok).toBe(true);
  });
  it('no PATH: nothing is found by name', () => {
    expect(spawnProcess({ ...env('busybox', ['sleep']), env: [] })).toMatchObject({ ok: false, code: 127 });
  });
});

describe('more signal semantics', () => {
  it('SIGSTOP/SIGCONT: a sleep that expired while stopped ends at CONT', () => {
    const p = spawn('busybox', ['sleep', '10'], { isPid1: false });
    p.start();
    expect(p.signal(19, T0 + 1000)).toEqual([]);
    expect(p.nextWakeMs()).toBeUndefined();
    expect(p.signal(18, T0 + 20_000)).toEqual([{ type: 'exit', code: 0, atMs: T0 + 20_000 }]);
  });
  it('SIGHUP: ignored by PID 1, kills an exec (129)', () => {
    const a = spawn('busybox', ['sleep', '10']);
    a.start();
    expect(a.signal(1, T0 + 1)).toEqual([]);
    const b = spawn('busybox', ['sleep', '10'], { isPid1: false });
    b.start();
    expect(exitOf(b.signal(1, T0 + 1))).toEqual({ type: 'exit', code: 129, signal: 1, atMs: T0 + 1 });
  });
  it('an exec-ed shell without a trap dies to SIGTERM', () => {
    const p = spawn('busybox', ['sh', '-c', 'while true; do sleep 1; done'], { isPid1: false });
    p.start();
    expect(exitOf(p.signal(15, T0 + 500))).toMatchObject({ code: 143, signal: 15 });
  });
  it('bash names line and says command not found', () => {
    const p = spawn('nginx', ['bash', '-c', 'echo ok\nnosuch']);
    const out = [...p.start(), ...runUntil(p, T0 + 100)];
    expect(stdout(out)).toBe('ok\n');
    expect(stderr(out)).toBe('bash: line 2: nosuch: command not found\n');
    expect(exitOf(out)?.code).toBe(127);
  });
  it('break outside a loop stops modelling instead of throwing', () => {
    const p = spawn('busybox', ['sh', '-c', 'break; echo x']);
    expect(p.start()).toEqual([]);
    expect(p.modeled).toBe(false);
  });
});

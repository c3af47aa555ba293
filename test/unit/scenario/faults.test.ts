import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/index.ts';
import { errorsOf } from './errorsOf.ts';

/** A lesson with one fault; each case changes the fault (or the steps) and reads the errors. */
const lesson = (faults: string, step = 'docker ps') => `id: tiny
level: 1
title: { en: Tiny, zh-CN: 小课 }
summary: { en: One command., zh-CN: 一条命令。 }
faults:
${faults}
steps:
  - run: ${step}
goal:
  - exit: { step: 0, code: 0 }
`;

const parseErrorsOf = (text: string): string[] => errorsOf(text, { run: false });

describe('lesson faults and host actions', () => {
  it('reads every kind of fault', () => {
    const s = parseScenario(
      'scenarios/tiny.yaml',
      lesson(`  - registry: { path: /v2/library/nginx/manifests/, status: 500, times: 1 }
  - registry: { path: /v2/, timeout: true }
  - process: { image: redis, ignore: [SIGTERM, SIGINT] }
  - disk: { free: 20m }
  - port: { port: 8080 }`),
    );
    expect(s.faults).toEqual([
      { registry: { path: '/v2/library/nginx/manifests/', status: 500, times: 1 } },
      { registry: { path: '/v2/', timeout: true } },
      { process: { image: 'redis', ignore: ['SIGTERM', 'SIGINT'] } },
      { disk: { free: 20 * 1024 * 1024 } },
      { port: { port: 8080 } },
    ]);
  });

  it('names the line and field of each mistake, and says what was expected', () => {
    expect(parseErrorsOf(lesson('  - registry: { path: /v2/, status: 418 }'))).toEqual([
      'scenarios/tiny.yaml:6:37: faults[0].registry.status: expected one of 401, 403, 404, 429, 500, 502, 503, got number 418',
    ]);
    expect(parseErrorsOf(lesson('  - registry: { path: /v2/x/manifests/, timeout: true }'))).toEqual([
      "scenarios/tiny.yaml:6:23: faults[0].registry.path: a timeout applies to /v2/ only (dockerd's ping has a deadline; other requests would hang for good), got '/v2/x/manifests/'",
    ]);
    expect(parseErrorsOf(lesson('  - registry: { path: /v2/, status: 500, timeout: true }'))).toEqual([
      'scenarios/tiny.yaml:6:15: faults[0].registry: expected either status or timeout: true',
    ]);
    expect(parseErrorsOf(lesson('  - registry: { path: v2, status: 500 }'))).toEqual([
      "scenarios/tiny.yaml:6:23: faults[0].registry.path: expected a registry path starting with /v2/, got 'v2'",
    ]);
    expect(parseErrorsOf(lesson('  - process: { image: redis, ignore: [SIGKILL] }'))).toEqual([
      "scenarios/tiny.yaml:6:39: faults[0].process.ignore[0]: expected one of SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, got the text 'SIGKILL'",
    ]);
    expect(parseErrorsOf(lesson('  - disk: { free: lots }'))).toEqual([
      "scenarios/tiny.yaml:6:19: faults[0].disk.free: expected a size such as '20m' or '1g', got 'lots'",
    ]);
    expect(parseErrorsOf(lesson('  - port: { port: 70000 }'))).toEqual([
      'scenarios/tiny.yaml:6:19: faults[0].port.port: expected a whole number from 1 to 65535, got number 70000',
    ]);
    expect(parseErrorsOf(lesson('  - network: { down: true }'))).toEqual([
      "scenarios/tiny.yaml:6:5: faults[0].network: unknown field 'network'; expected one of: registry, process, disk, port",
      'scenarios/tiny.yaml:6:5: faults[0]: expected exactly one of registry, process, disk, port',
    ]);
  });

  it('checks host actions like docker lines, with their own program’s words', () => {
    expect(parseErrorsOf(lesson('  - port: { port: 80 }', 'systemctl reload docker'))).toEqual([
      "scenarios/tiny.yaml:8:10: steps[0].run: 'systemctl reload docker' is not a command the host (systemctl) accepts: systemctl: dockstep knows start, stop and restart, not 'reload'",
    ]);
    expect(parseErrorsOf(lesson('  - port: { port: 80 }', 'allocate 10m web'))).toEqual([
      "scenarios/tiny.yaml:8:10: steps[0].run: 'allocate 10m web' is not a command the host (allocate) accepts: allocate: expected 'allocate SIZE in CONTAINER', as in 'allocate 64m in web'",
    ]);
  });

  it('reads dockerd’s live-restore from the world', () => {
    const s = parseScenario(
      'scenarios/tiny.yaml',
      lesson('  - port: { port: 80 }').replace(
        'faults:',
        'world:\n  daemon: { live-restore: true }\nfaults:',
      ),
    );
    expect(s.world.daemon).toEqual({ liveRestore: true });
    expect(
      parseErrorsOf(
        lesson('  - port: { port: 80 }').replace(
          'faults:',
          'world:\n  daemon: { live-restore: yes please }\nfaults:',
        ),
      ),
    ).toEqual([
      "scenarios/tiny.yaml:6:27: world.daemon.live-restore: expected true or false, got the text 'yes please'",
    ]);
  });
});

// `docker import -c`: the changes applied to an empty config as dockerd 20.10's BuildFromConfig
// does, and its refusal of an instruction that is no config change (y-diff-export-import.txt).
import { describe, expect, it } from 'vitest';
import { buildFromChanges } from '../../../src/layers/dockerd/ops/importChanges.ts';

describe('import changes', () => {
  it('makes the config dockerd 20.10 made for the recorded changes', () => {
    const changes = [
      'CMD ["sh"]',
      'ENV A=1',
      'WORKDIR /tmp',
      'EXPOSE 80',
      'LABEL k=v',
      'USER nobody',
      'ENTRYPOINT ["/bin/sh","-c"]',
    ];
    // Recorded: {"User":"nobody","ExposedPorts":{"80/tcp":{}},"Env":["A=1"],"Entrypoint":["/bin/sh","-c"],"Cmd":["sh"],"WorkingDir":"/tmp","Labels":{"k":"v"}}
    expect(buildFromChanges(changes)).toEqual({
      User: 'nobody',
      ExposedPorts: { '80/tcp': {} },
      Env: ['A=1'],
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['sh'],
      WorkingDir: '/tmp',
      Labels: { k: 'v' },
    });
  });

  it('takes the shell form, ENV K V, several labels and a relative WORKDIR', () => {
    expect(
      buildFromChanges(['cmd echo hi', 'ENV B two words', 'LABEL a=1 b="x y"', 'WORKDIR /a', 'WORKDIR b']),
    ).toEqual({
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      Env: ['B=two words'],
      Labels: { a: '1', b: 'x y' },
      WorkingDir: '/a/b',
    });
  });

  it('refuses what is no config change, in dockerd words', () => {
    expect(buildFromChanges(['RUN true'])).toEqual({ refused: 'run is not a valid change command' });
    expect(buildFromChanges(['CMD ["sh"]', 'BOGUS x'])).toEqual({
      refused: 'bogus is not a valid change command',
    });
  });
});

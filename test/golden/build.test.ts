import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { PROFILES, type Profile } from '../../src/model/trace.ts';
import { toMermaid } from '../../src/views/mermaid.ts';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { commandText } from './commandText.ts';

/**
 * Golden traces of `docker build` in both profiles: a first build, the same build again (all
 * cache hits) and `--no-cache`, each after `docker pull busybox`, reduced to `from -> to: call`
 * lines and the command's Mermaid text, as in commands.test.ts. The Dockerfile is the one the
 * real engine built in test/fixtures/real-engine/k-build.txt.
 */
export const APP: Readonly<Record<string, string>> = {
  '/src/app/Dockerfile':
    'FROM busybox\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt .\nRUN echo "$GREETING from RUN" && echo hi > /app/hi.txt\nCMD ["cat", "/app/hello.txt"]\n',
  '/src/app/hello.txt': 'hello from the build context\n',
};

const BUILD = 'docker build -t app /src/app';

interface Case {
  name: string;
  setup: string[];
  command: string;
}

const CASES: Case[] = [
  { name: 'build', setup: ['docker pull busybox'], command: BUILD },
  { name: 'build-cached', setup: ['docker pull busybox', BUILD], command: BUILD },
  {
    name: 'build-no-cache',
    setup: ['docker pull busybox', BUILD],
    command: 'docker build --no-cache -t app /src/app',
  },
];

function run(profile: Profile, lines: string[]) {
  return new Simulation(lines, { profile, files: APP }).runToEnd();
}

describe('golden trace of docker build', () => {
  for (const profile of PROFILES) {
    for (const c of CASES) {
      it(`${c.name} (${profile})`, async () => {
        const lines = [...c.setup, c.command];
        const trace = run(profile, lines);
        const index = lines.length - 1;
        expect(messagesOf(trace).filter((m) => m.command === index).length).toBeGreaterThan(0);
        const text = commandText(trace, index, c.command);
        await expect(text).toMatchFileSnapshot(`__golden__/${c.name}-${profile}.txt`);
      });
    }

    it(`draws a diagram Mermaid's own parser accepts, with the Builder column (${profile})`, async () => {
      const text = toMermaid(run(profile, ['docker pull busybox', BUILD, BUILD]));
      expect(text).toMatch(/participant Builder as /);
      await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
    });
  }
});

import { describe, expect, it } from 'vitest';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { commandText } from './commandText.ts';

/**
 * One golden trace per docker command: the command runs after a setup, and its messages are
 * reduced to `from -> to: call` lines plus the command's Mermaid text, both compared with the
 * files under __golden__/. A change in any layer's flow shows up here as a readable diff.
 */
interface Case {
  name: string;
  setup?: string[];
  command: string;
  profile?: 'v29' | 'classic';
}

const WEB = ['docker run -d --name web nginx'];
const SLEEPER = ['docker run -d --name sl busybox sleep 600'];

const CASES: Case[] = [
  { name: 'run-detached-pull', command: 'docker run -d --name web nginx' },
  { name: 'run-detached-pull-classic', command: 'docker run -d --name web nginx', profile: 'classic' },
  { name: 'run-attached-rm', setup: ['docker pull busybox'], command: 'docker run --rm busybox echo hi' },
  {
    name: 'run-publish-env-memory',
    setup: ['docker pull nginx'],
    command: 'docker run -d -p 8080:80 -e A=1 -m 64m --name web nginx',
  },
  {
    name: 'run-network-none',
    setup: ['docker pull busybox'],
    command: 'docker run --rm --network none busybox true',
  },
  {
    name: 'run-oom',
    setup: ['docker pull busybox'],
    command: 'docker run -m 8m busybox sh -c "x=a; while true; do x=$x$x; done"',
  },
  {
    name: 'run-command-not-found',
    setup: ['docker pull busybox'],
    command: 'docker run --name bad busybox nosuchcmd',
  },
  { name: 'create', setup: ['docker pull busybox'], command: 'docker create --name cc busybox sleep 60' },
  { name: 'tag', setup: ['docker pull busybox'], command: 'docker tag busybox mybox:1' },
  { name: 'start', setup: ['docker create --name cc busybox sleep 60'], command: 'docker start cc' },
  { name: 'start-attach', setup: ['docker create --name cc busybox echo hi'], command: 'docker start -a cc' },
  { name: 'stop-sigterm-handled', setup: WEB, command: 'docker stop web' },
  { name: 'stop-grace-expired', setup: SLEEPER, command: 'docker stop -t 2 sl' },
  { name: 'restart', setup: SLEEPER, command: 'docker restart -t 1 sl' },
  { name: 'kill', setup: SLEEPER, command: 'docker kill sl' },
  { name: 'kill-signal', setup: SLEEPER, command: 'docker kill -s HUP sl' },
  { name: 'pause', setup: SLEEPER, command: 'docker pause sl' },
  { name: 'unpause', setup: [...SLEEPER, 'docker pause sl'], command: 'docker unpause sl' },
  { name: 'rm-running-refused', setup: SLEEPER, command: 'docker rm sl' },
  { name: 'rm-force', setup: SLEEPER, command: 'docker rm -f sl' },
  { name: 'rm-stopped', setup: [...SLEEPER, 'docker kill sl'], command: 'docker rm sl' },
  { name: 'ps', setup: WEB, command: 'docker ps' },
  { name: 'ps-all-quiet', setup: WEB, command: 'docker ps -a -q' },
  { name: 'images', setup: WEB, command: 'docker images' },
  { name: 'images-classic', setup: WEB, command: 'docker images', profile: 'classic' },
  { name: 'pull', command: 'docker pull redis' },
  { name: 'pull-shared-base', setup: ['docker pull nginx'], command: 'docker pull redis' },
  { name: 'pull-unknown', command: 'docker pull nosuch/image' },
  { name: 'rmi', setup: ['docker pull busybox'], command: 'docker rmi busybox' },
  { name: 'logs', setup: WEB, command: 'docker logs web' },
  { name: 'inspect', setup: WEB, command: 'docker inspect web' },
  { name: 'wait', setup: [...SLEEPER, 'docker kill sl'], command: 'docker wait sl' },
  { name: 'events', setup: SLEEPER, command: 'docker events --since 0 --until 1' },
  { name: 'history', setup: ['docker pull nginx'], command: 'docker history nginx' },
  { name: 'exec', setup: SLEEPER, command: 'docker exec sl echo hi' },
  { name: 'exec-not-found', setup: SLEEPER, command: 'docker exec sl nosuchcmd' },
  { name: 'version', command: 'docker version' },
  { name: 'info', command: 'docker info' },
  { name: 'unknown-command', command: 'docker frobnicate' },
  { name: 'unknown-flag', command: 'docker ps --frob' },
];

describe('golden trace of every command', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const lines = [...(c.setup ?? []), c.command];
      const trace = new Simulation(lines, { profile: c.profile ?? 'v29' }).runToEnd();
      const index = lines.length - 1;
      const own = messagesOf(trace).filter((m) => m.command === index);
      expect(own.length).toBeGreaterThan(0);
      const text = commandText(trace, index, c.command);
      await expect(text).toMatchFileSnapshot(`__golden__/${c.name}.txt`);
    });
  }
});

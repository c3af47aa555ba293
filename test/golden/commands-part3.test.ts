import { describe, expect, it } from 'vitest';
import { messagesOf } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { commandText } from './commandText.ts';

/**
 * Golden traces of the commands and behaviours of the simulation's third part (restart
 * policies, user-defined networks, volumes and the listing commands), as commands.test.ts does
 * for the first ones: the command runs after a setup, and its messages and Mermaid text are
 * compared with the files under __golden__/.
 */
interface Case {
  name: string;
  setup?: string[];
  command: string;
  profile?: 'v29' | 'classic';
  /** The host's files (the working directory is /home/user). */
  files?: Record<string, string>;
}

const BUSYBOX = ['docker pull busybox'];
const N1 = ['docker network create n1'];
const T1 = ['docker run -d --name t1 busybox sleep 600'];
const IN_TXT = { '/home/user/in.txt': 'hello\n' };
const SAVED = [...BUSYBOX, 'docker save -o bb.tar busybox', 'docker rmi busybox'];
const DB = [...N1, 'docker run -d --name db --network n1 --network-alias database busybox sleep 600'];

export const CASES: Case[] = [
  {
    name: 'restart-on-failure',
    setup: BUSYBOX,
    command: "docker run -d --name rf --restart on-failure:1 busybox sh -c 'exit 1'",
  },
  {
    name: 'stop-restarting',
    setup: [...BUSYBOX, "docker run -d --name ra --restart always busybox sh -c 'exit 3'"],
    command: 'docker stop ra',
  },
  {
    name: 'daemon-restart-always',
    setup: [
      'docker run -d --name web --restart always busybox sleep 1000',
      'docker run -d --name once busybox sleep 1000',
    ],
    command: 'systemctl restart docker',
  },
  { name: 'volume-create', command: 'docker volume create v1' },
  { name: 'volume-ls', setup: ['docker volume create v1'], command: 'docker volume ls' },
  { name: 'volume-inspect', setup: ['docker volume create v1'], command: 'docker volume inspect v1' },
  { name: 'volume-rm', setup: ['docker volume create v1'], command: 'docker volume rm v1' },
  {
    name: 'container-prune',
    setup: ['docker create --name c3 busybox', 'docker run -d --name up busybox sleep 600'],
    command: 'docker container prune -f',
  },
  {
    name: 'system-df',
    setup: ['docker volume create v1', 'docker run -d --name up busybox sleep 600'],
    command: 'docker system df',
  },
  { name: 'rename', setup: ['docker run -d --name old busybox sleep 600'], command: 'docker rename old new' },
  {
    name: 'port',
    setup: ['docker run -d --name web -p 8080:80 busybox sleep 600'],
    command: 'docker port web',
  },
  {
    name: 'diff',
    setup: ["docker run -d --name wr busybox sh -c 'echo hi > /tmp/x; sleep 600'"],
    command: 'docker diff wr',
  },
  {
    name: 'diff-classic',
    setup: ["docker run -d --name wr busybox sh -c 'echo hi > /tmp/x; sleep 600'"],
    command: 'docker diff wr',
    profile: 'classic',
  },
  { name: 'top', setup: T1, command: 'docker top t1' },
  { name: 'top-classic', setup: T1, command: 'docker top t1', profile: 'classic' },
  { name: 'top-ps-args', setup: T1, command: 'docker top t1 -o pid,comm' },
  { name: 'top-stopped', setup: [...T1, 'docker stop -t 0 t1'], command: 'docker top t1' },
  // A container run without -m has no swap limit: a memory limit alone is refused (w-update.txt).
  { name: 'update', setup: T1, command: 'docker update --memory 64m --memory-swap 128m --cpus 0.5 t1' },
  {
    name: 'update-classic',
    setup: T1,
    command: 'docker update --memory 64m --memory-swap 128m t1',
    profile: 'classic',
  },
  {
    name: 'update-stopped',
    setup: [...T1, 'docker stop -t 0 t1'],
    command: 'docker update --memory 32m --memory-swap 64m t1',
  },
  { name: 'update-needs-swap', setup: T1, command: 'docker update --memory 64m t1' },
  { name: 'update-too-small', setup: T1, command: 'docker update --memory 4m t1' },
  { name: 'stats', setup: T1, command: 'docker stats --no-stream t1' },
  { name: 'stats-classic', setup: T1, command: 'docker stats --no-stream t1', profile: 'classic' },
  { name: 'stats-stopped', setup: [...T1, 'docker stop -t 0 t1'], command: 'docker stats --no-stream t1' },
  { name: 'stats-stream', setup: T1, command: 'docker stats t1' },
  { name: 'cp-to', setup: T1, command: 'docker cp in.txt t1:/tmp/in.txt', files: IN_TXT },
  {
    name: 'cp-to-classic',
    setup: T1,
    command: 'docker cp in.txt t1:/tmp/in.txt',
    files: IN_TXT,
    profile: 'classic',
  },
  {
    name: 'cp-from',
    setup: [...T1, 'docker cp in.txt t1:/tmp/in.txt'],
    command: 'docker cp t1:/tmp/in.txt out.txt',
    files: IN_TXT,
  },
  { name: 'cp-from-missing', setup: T1, command: 'docker cp t1:/nosuch out.txt' },
  { name: 'export', setup: T1, command: 'docker export -o t1.tar t1' },
  { name: 'search', command: 'docker search busybox' },
  { name: 'search-classic', command: 'docker search busybox', profile: 'classic' },
  { name: 'logout', command: 'docker logout' },
  { name: 'volume-prune', setup: ['docker volume create v1'], command: 'docker volume prune -f' },
  {
    name: 'volume-prune-classic',
    setup: ['docker volume create v1'],
    command: 'docker volume prune -f',
    profile: 'classic',
  },
  {
    name: 'system-prune',
    setup: [...N1, 'docker run --name gone busybox true'],
    command: 'docker system prune -f',
  },
  {
    name: 'system-prune-classic',
    setup: [...N1, 'docker run --name gone busybox true'],
    command: 'docker system prune -f',
    profile: 'classic',
  },
  { name: 'image-prune-all', setup: BUSYBOX, command: 'docker image prune -a -f' },
  {
    name: 'commit',
    setup: [...T1, 'docker cp in.txt t1:/tmp/in.txt'],
    command: 'docker commit t1 snap:1',
    files: IN_TXT,
  },
  {
    name: 'commit-classic',
    setup: [...T1, 'docker cp in.txt t1:/tmp/in.txt'],
    command: 'docker commit t1 snap:1',
    files: IN_TXT,
    profile: 'classic',
  },
  { name: 'save', setup: BUSYBOX, command: 'docker save -o bb.tar busybox', files: {} },
  {
    name: 'save-classic',
    setup: BUSYBOX,
    command: 'docker save -o bb.tar busybox',
    files: {},
    profile: 'classic',
  },
  { name: 'load', setup: SAVED, command: 'docker load -i bb.tar', files: {} },
  { name: 'load-classic', setup: SAVED, command: 'docker load -i bb.tar', files: {}, profile: 'classic' },
  {
    name: 'load-not-tar-classic',
    command: 'docker load -i notatar.txt',
    files: { '/home/user/notatar.txt': 'hello\n' },
    profile: 'classic',
  },
  { name: 'login-cli', command: 'docker login -u alice -p pw localhost:5000' },
  { name: 'network-create', command: 'docker network create n1' },
  { name: 'network-ls', setup: N1, command: 'docker network ls' },
  { name: 'network-inspect', setup: N1, command: 'docker network inspect n1' },
  { name: 'network-rm', setup: N1, command: 'docker network rm n1' },
  {
    name: 'run-user-network',
    setup: [...N1, ...BUSYBOX],
    command: 'docker run -d --name db --network n1 busybox sleep 600',
  },
  { name: 'dns-user-network', setup: DB, command: 'docker run --rm --network n1 busybox nslookup database' },
  { name: 'dns-default-bridge', setup: DB, command: 'docker run --rm busybox nslookup db' },
  {
    name: 'network-connect',
    setup: [...N1, 'docker run -d --name web busybox sleep 600'],
    command: 'docker network connect n1 web',
  },
  {
    name: 'network-disconnect',
    setup: [...N1, 'docker run -d --name web busybox sleep 600', 'docker network connect n1 web'],
    command: 'docker network disconnect n1 web',
  },
];

describe('golden trace of every command, part 3', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const lines = [...(c.setup ?? []), c.command];
      const files = c.files ? { files: c.files, cwd: '/home/user' } : {};
      const trace = new Simulation(lines, { profile: c.profile ?? 'v29', ...files }).runToEnd();
      const index = lines.length - 1;
      const own = messagesOf(trace).filter((m) => m.command === index);
      expect(own.length).toBeGreaterThan(0);
      const text = commandText(trace, index, c.command);
      await expect(text).toMatchFileSnapshot(`__golden__/${c.name}.txt`);
    });
  }
});

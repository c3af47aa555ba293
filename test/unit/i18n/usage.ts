import type { Message, TextRef } from '../../../src/model/message.ts';
import { PROFILES } from '../../../src/model/trace.ts';
import { messagesOf } from '../../../src/views/trace.ts';
import { Simulation, type SimulationOptions } from '../../../src/sim/simulation.ts';

/**
 * Which catalogue keys the simulation produces, and with which params: every command the parser
 * supports, in fresh runs, in both profiles. Each use records the slots a template for that key
 * could fill: its own params, plus — for narration and fidelity, which `narrate` renders — the
 * implicit `{call}`, `{from}`, `{to}`, and `{status}` when the message has a status.
 */
export const SCENARIOS: readonly (readonly string[])[] = [
  [
    'docker run -d --name web nginx',
    'docker ps',
    'docker ps -a',
    'docker ps -q',
    'docker images',
    'docker history nginx',
    'docker logs web',
    'docker inspect web',
    'docker inspect nginx',
    'docker inspect nothing',
    'docker exec web echo hi',
    'docker exec web nosuchcmd',
    'docker exec -d web sleep 5',
    'docker pause web',
    'docker rm web',
    'docker unpause web',
    'docker stop web',
    'docker start web',
    'docker restart web',
    'docker kill web',
    'docker rm web',
  ],
  [
    'docker run -d --name sl busybox sleep 600',
    'docker stop -t 1 sl',
    'docker start sl',
    'docker restart -t 1 sl',
    'docker kill -s HUP sl',
    'docker rm sl',
    'docker rm -f sl',
  ],
  ['docker run --rm busybox echo hi', 'docker run busybox sh -c "echo out; echo err >&2; exit 3"'],
  ['docker run -m 8m busybox sh -c "x=a; while true; do x=$x$x; done"', 'docker ps -a'],
  [
    'docker run busybox nosuchcmd',
    'docker run -d -p 8080:80 nginx',
    'docker run --network none busybox true',
  ],
  ['docker create --name c alpine', 'docker start -a c', 'docker wait c', 'docker logs c', 'docker rm c'],
  ['docker pull redis', 'docker pull nosuch/image', 'docker pull busybox:latest', 'docker images'],
  [
    'docker pull busybox',
    'docker tag busybox mybox:v1',
    'docker images',
    'docker rmi mybox:v1',
    'docker create --name user busybox',
    'docker rmi busybox',
    'docker rmi -f busybox',
    'docker rm user',
    'docker rmi nothing',
  ],
  ['docker version', 'docker info', 'docker events --since 0 --until 1'],
  [
    'docker volume create v1',
    'docker volume create',
    'docker volume ls',
    'docker volume inspect v1',
    'docker volume inspect nosuch',
    'docker volume rm v1',
    'docker volume rm nosuch',
    'docker create --name c3 busybox',
    'docker container prune -f',
    'docker container prune',
    'docker system df',
    'docker run -d --name old -p 8080:80 busybox sleep 100',
    'docker rename old new',
    'docker rename new t',
    'docker port new',
    'docker port new 80',
    'docker diff new',
  ],
  [
    'docker network create n1',
    'docker network create --subnet 10.9.0.0/24 n2',
    'docker network create n1',
    'docker network ls',
    'docker network inspect n1',
    'docker run -d --name db --network n1 --network-alias database busybox sleep 100',
    'docker run --rm --network n1 busybox nslookup db',
    'docker run --rm --network n1 busybox nslookup nosuch',
    'docker run --rm busybox nslookup db',
    'docker run -d --name web busybox sleep 100',
    'docker network connect n1 web',
    'docker network connect n1 web',
    'docker network disconnect n1 web',
    'docker network rm n1',
    'docker network rm n2',
    'docker network rm bridge',
    'docker network rm nosuch',
    'docker network disconnect n1 nosuch',
    'docker run --rm --network nosuch busybox true',
  ],
  [
    "docker run -d --name r1 --restart on-failure:1 busybox sh -c 'exit 1'",
    'sleep 1',
    "docker run -d --name r2 --restart always busybox sh -c 'exit 2'",
    'sleep 0.3',
    'docker ps',
    'docker rm r2',
    'docker pause r2',
    'docker stop r2',
    'docker run -d --name r3 --restart always busybox sleep 100',
    'docker stop -t 1 r3',
    'systemctl restart docker',
    'docker run --restart bogus busybox true',
    'sleep x',
  ],
  [
    'docker run -d --name u1 busybox sleep 100',
    'docker top u1',
    'docker top u1 -o pid,comm',
    'docker top u1 -o comm',
    'docker update --memory 64m --memory-swap 128m --cpus 0.5 u1',
    'docker update --memory 4m u1',
    'docker stop -t 0 u1',
    'docker update --restart always u1',
    'docker top u1',
    'docker stats --no-stream u1',
    'docker start u1',
    'docker stats --no-stream',
    'docker stats u1',
    'docker stats --no-stream nosuch',
  ],

  [
    'docker search busybox',
    "docker search --limit 1 --format '{{.Name}}' busybox",
    'docker search --limit 0 busybox',
    'docker search localhost:5000/busybox',
    'docker logout',
    'docker logout localhost:5000',
    'docker volume create v1',
    'docker volume prune',
    'docker volume prune -f',
    'docker volume prune -a -f',
    'docker network create n9',
    'docker run --name gone busybox true',
    'docker system prune',
    'docker system prune -f --volumes',
    'docker image prune -f',
    'docker image prune -a -f',
  ],
  ['docker run --rm busybox wget -q -O- http://example.invalid/', 'docker ps'],
  ['docker frobnicate', 'docker ps --frob', 'docker run', 'ls'],
  [
    'docker start nosuch',
    'docker stop nosuch',
    'docker restart nosuch',
    'docker kill nosuch',
    'docker pause nosuch',
    'docker unpause nosuch',
    'docker rm nosuch',
    'docker logs nosuch',
    'docker wait nosuch',
    'docker exec nosuch true',
    'docker history nosuch',
  ],
  // A Kubernetes node: the kubelet drives containerd's CRI plugin (no dockerd).
  ['kubectl run web --image=nginx', 'kubectl get pods', 'kubectl delete pod web', 'kubectl get pods'],
  [
    'kubectl run bad --image=nosuch/thing',
    'kubectl frobnicate',
    'kubectl delete pod nosuch',
    'kubectl run sl --image=busybox -- sleep 1000',
    'kubectl delete pod sl --grace-period=1',
  ],
];

/** Runs that need more than command lines: a lesson's faults, dockerd's configuration. */
export const RUNS_WITH_OPTIONS: readonly { commands: readonly string[]; options: SimulationOptions }[] = [
  {
    commands: [
      'docker pull busybox',
      'docker tag busybox bb:1',
      'docker save -o bb.tar busybox bb:1',
      'docker save -o x.tar nosuch',
      'docker save busybox',
      'docker rmi busybox bb:1',
      'docker load -i bb.tar',
      'docker load -q -i bb.tar',
      'docker load -i nosuch.tar',
      'docker load -i notatar.txt',
      'docker load',
      'docker login -u alice -p pw localhost:5000',
      'docker login -u alice localhost:5000',
      'docker login',
      'docker login -u a -p b --password-stdin',
      'docker login -u alice -p pw 127.0.0.1:1',
    ],
    options: { files: { '/home/user/notatar.txt': 'hello\n' }, cwd: '/home/user' },
  },
  {
    commands: [
      'docker run -d --name v1 busybox sleep 100',
      'docker cp in.txt v1:/tmp/in.txt',
      'docker cp in.txt v1:/nosuchdir/x',
      'docker cp nosuch.txt v1:/tmp/',
      'docker cp v1:/tmp/in.txt out.txt',
      'docker cp v1:/nosuch out.txt',
      'docker cp nosuch:/etc/hostname out.txt',
      'docker export -o v1.tar v1',
      'docker export -o v1.tar nosuch',
      'docker export v1',
      'docker commit v1 snap:1',
      "docker commit -m 'msg' -c 'CMD [\"sh\"]' v1 snap:2",
      'docker commit v1',
      'docker commit nosuch',
    ],
    options: { files: { '/home/user/in.txt': 'hello\n' }, cwd: '/home/user' },
  },
  {
    commands: [
      'docker run -d --name sl busybox sleep 1000',
      'pkill -9 dockerd',
      'docker ps',
      'pkill dockerd',
      'systemctl start docker',
      'systemctl start docker',
      'allocate 10m in sl',
      'allocate 1g in nope',
      'systemctl frob docker',
      'pkill -HUP dockerd',
      'systemctl restart docker',
      'systemctl stop docker',
    ],
    options: {},
  },
  {
    commands: ['docker run -d --name sl busybox sleep 1000', 'systemctl restart docker', 'docker ps'],
    options: { daemon: { liveRestore: true } },
  },
  { commands: ['docker pull alpine'], options: { faults: [{ registry: { path: '/v2/', timeout: true } }] } },
  {
    commands: ['docker pull nginx', 'docker pull redis', 'docker run busybox true'],
    options: {
      faults: [
        { registry: { path: '/v2/library/nginx/manifests/', status: 500 } },
        { registry: { path: '/v2/library/redis/manifests/', status: 429 } },
        { registry: { path: '/v2/library/busybox/manifests/', status: 401 } },
      ],
    },
  },
  { commands: ['docker pull nginx'], options: { faults: [{ disk: { free: 20_000_000 } }] } },
  {
    commands: ['docker run -d --name web -p 8080:80 nginx', 'docker ps -a'],
    options: { faults: [{ port: { port: 8080 } }] },
  },
  {
    commands: ['docker run -d --name web nginx', 'docker stop web'],
    options: { faults: [{ process: { image: 'nginx', ignore: ['SIGTERM'] } }] },
  },
  {
    commands: ['docker run -d --name web -m 64m nginx', 'allocate 100m in web', 'docker ps -a'],
    options: {},
  },
];

/** Runs on Docker Desktop (platform `desktop`): the backend's forwarding, file sharing and ports. */
export const DESKTOP_SCENARIOS: readonly (readonly string[])[] = [
  [
    'docker run -d --name web -p 8080:80 -v /Users/me/site:/usr/share/nginx/html:ro nginx',
    'docker ps',
    'docker inspect web',
    'docker exec web echo hi',
    'docker stop web',
    'docker run --rm busybox echo hi',
    'docker run -v /data/site:/srv busybox true',
  ],
];

/** Bind mounts on a Linux host. */
export const BIND_SCENARIOS: readonly (readonly string[])[] = [
  [
    'docker run -d --name site -v /srv/site:/usr/share/nginx/html:ro --mount type=bind,src=/srv/logs,dst=/var/log/nginx nginx',
    'docker inspect site',
  ],
];

/** Runs that need the host's files: `docker build` in its successful, cached and failing forms. */
export const BUILD_FILES: Readonly<Record<string, string>> = {
  '/src/app/Dockerfile':
    'FROM busybox\nENV GREETING=hello\nWORKDIR /app\nCOPY hello.txt .\nRUN echo "$GREETING" && echo hi > /app/hi.txt\nCMD ["cat", "/app/hello.txt"]\n',
  '/src/app/hello.txt': 'hello\n',
  '/src/fail/Dockerfile': 'FROM busybox\nRUN exit 3\n',
  '/src/bad/Dockerfile': 'FROM busybox\nFROBNICATE x\n',
  '/src/alp/Dockerfile': 'FROM alpine\nRUN echo hi\n',
  '/src/nodf/readme': 'x',
  '/src/none/Dockerfile': 'FROM nosuch/image\n',
};

export const BUILD_SCENARIOS: readonly (readonly string[])[] = [
  [
    'docker pull busybox',
    'docker build -t app /src/app',
    'docker build -t app /src/app',
    'docker build --no-cache -q -t app /src/app',
    'docker build -t f /src/fail',
    'docker build -t b /src/bad',
    'docker build /src/nodf',
    'docker build /nosuch',
    'docker build -t a /src/alp',
    'docker build /src/none',
    'docker history app',
  ],
];

export type RefRole = 'narration' | 'fidelity' | 'phase' | 'block' | 'note';

export interface KeyUse {
  role: RefRole;
  /** The slots this use can fill. */
  slots: ReadonlySet<string>;
  /** Where it came from, for failure messages. */
  where: string;
}

function slotsOf(ref: TextRef, m: Message, role: RefRole): Set<string> {
  const slots = new Set(Object.keys(ref.params ?? {}));
  if (role === 'narration' || role === 'fidelity') {
    for (const implicit of ['call', 'from', 'to']) slots.add(implicit);
    if (m.status !== undefined) slots.add('status');
  }
  return slots;
}

function refsOf(m: Message): [RefRole, TextRef][] {
  const refs: [RefRole, TextRef | undefined][] = [
    ['narration', m.narration],
    ['fidelity', m.fidelity],
    ['phase', m.phase],
    ['block', m.block?.open?.label],
    ['block', m.block?.otherwise],
  ];
  return refs.flatMap(([role, ref]) => (ref ? [[role, ref] as [RefRole, TextRef]] : []));
}

let cached: Map<string, KeyUse[]> | undefined;

/** Every key produced by the scenarios, with each of its uses. */
export function producedKeys(): Map<string, KeyUse[]> {
  if (cached) return cached;
  const uses = new Map<string, KeyUse[]>();
  const runs: { commands: readonly string[]; options: SimulationOptions }[] = [
    ...SCENARIOS.map((commands) => ({ commands, options: {} })),
    ...BIND_SCENARIOS.map((commands) => ({ commands, options: {} })),
    ...DESKTOP_SCENARIOS.map((commands) => ({ commands, options: { platform: 'desktop' as const } })),
    ...RUNS_WITH_OPTIONS,
    ...BUILD_SCENARIOS.map((commands) => ({ commands, options: { files: BUILD_FILES } })),
  ];
  for (const profile of PROFILES) {
    for (const { commands, options } of runs) {
      const trace = new Simulation([...commands], { ...options, profile }).runToEnd();
      for (const m of messagesOf(trace)) {
        for (const [role, ref] of refsOf(m)) {
          const where = `${profile}: ${m.from} → ${m.to} ${m.call.slice(0, 80)}`;
          uses.set(ref.key, [...(uses.get(ref.key) ?? []), { role, slots: slotsOf(ref, m, role), where }]);
        }
      }
      for (const e of trace.entries) {
        if (e.type !== 'note') continue;
        const use: KeyUse = {
          role: 'note',
          slots: new Set(Object.keys(e.text.params ?? {})),
          where: `${profile}: note in command ${e.command}`,
        };
        uses.set(e.text.key, [...(uses.get(e.text.key) ?? []), use]);
      }
    }
  }
  cached = uses;
  return uses;
}

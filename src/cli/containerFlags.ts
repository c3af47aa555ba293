import { spec, type FlagKind, type FlagSpec } from './flags.ts';

/**
 * Every flag `docker create` accepts in docker/cli v28 (cli/command/container/opts.go `addFlags`
 * and create.go), so that a real command line parses as it would with docker: a flag dockstep
 * does not simulate (`--tmpfs`, `--cpus`…) is accepted with its value checked by its pflag type, and
 * reported in `ignoredFlags` rather than rejected as unknown.
 * Reference: https://docs.docker.com/reference/cli/docker/container/create/
 */
const MODELLED: FlagSpec[] = [
  spec('env', 'e', 'env'),
  spec('entrypoint', '', 'string'),
  spec('interactive', 'i', 'bool'),
  spec('memory', 'm', 'bytes'),
  spec('mount', '', 'mount'),
  spec('name', '', 'string'),
  spec('network', '', 'network'),
  spec('net', '', 'network', { key: 'network' }),
  spec('network-alias', '', 'list'),
  spec('net-alias', '', 'list', { key: 'network-alias' }),
  spec('publish', 'p', 'list'),
  spec('pull', '', 'string'),
  spec('restart', '', 'string'),
  spec('rm', '', 'bool'),
  spec('stop-signal', '', 'string'),
  spec('stop-timeout', '', 'int'),
  spec('tty', 't', 'bool'),
  spec('user', 'u', 'string'),
  spec('volume', 'v', 'list'),
  spec('workdir', 'w', 'string'),
].map((f) => ({ ...f, modelled: true }));

// name[,shorthand]:kind — the accepted-but-not-simulated flags, grouped by pflag type.
const IGNORED: Record<FlagKind, string> = {
  bool:
    'disable-content-trust init no-healthcheck oom-kill-disable privileged publish-all,P quiet,q read-only ' +
    'use-api-socket',
  string:
    'cgroup-parent cgroupns cidfile cpuset-cpus cpuset-mems domainname health-cmd hostname,h ip ip6 ipc ' +
    'isolation log-driver mac-address pid platform runtime userns uts volume-driver ' +
    // durations (time.ParseDuration) and decimals are not checked here
    'health-interval health-start-interval health-start-period health-timeout cpus gpus ulimit',
  int:
    'cpu-count cpu-percent cpu-period cpu-quota cpu-rt-period cpu-rt-runtime cpu-shares,c health-retries ' +
    'memory-swappiness oom-score-adj pids-limit',
  uint: 'io-maxiops',
  uint16: 'blkio-weight',
  list:
    'add-host annotation attach,a blkio-weight-device cap-add cap-drop device device-cgroup-rule device-read-bps ' +
    'device-read-iops device-write-bps device-write-iops dns dns-opt dns-option dns-search env-file expose ' +
    'group-add label,l label-file link link-local-ip log-opt security-opt storage-opt ' +
    'sysctl tmpfs volumes-from',
  env: '',
  bytes: 'io-maxbandwidth kernel-memory memory-reservation shm-size',
  filter: '',
  network: '',
  mount: '',
  tag: '',
};

function ignoredFlags(): FlagSpec[] {
  return Object.entries(IGNORED).flatMap(([kind, names]) =>
    names
      .split(' ')
      .filter((n) => n !== '')
      .map((entry) => {
        const [name = '', short = ''] = entry.split(',');
        return spec(name, short, kind as FlagKind);
      }),
  );
}

/** `docker create`'s flags. */
// --memory-swap (opts.MemSwapBytes) is RAMInBytes or -1; it is accepted unchecked.
export const CREATE_FLAGS: readonly FlagSpec[] = [
  ...MODELLED,
  ...ignoredFlags(),
  spec('memory-swap', '', 'string'),
];

/** `docker run`'s: create's plus the ones about attaching (run.go). */
export const RUN_FLAGS: readonly FlagSpec[] = [
  ...CREATE_FLAGS,
  { ...spec('detach', 'd', 'bool'), modelled: true },
  spec('detach-keys', '', 'string'),
  spec('sig-proxy', '', 'bool'),
];

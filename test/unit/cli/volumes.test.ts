import { describe, expect, it } from 'vitest';
import { parseDockerLine } from '../../../src/cli/index.ts';
import { cliOutput } from '../../../src/views/trace.ts';
import { Simulation } from '../../../src/sim/simulation.ts';

/**
 * `-v` and `--mount`. The expected texts were captured from the docker CLI 28.2.2 (build
 * e6534b4) talking to dockerd 20.10.24 on this machine: the CLI's own refusals (exit 125, before
 * any request) and, in the second block, the daemon's (`Error response from daemon: …`).
 */
const RUN_HELP = "\n\nRun 'docker run --help' for more information\n";
const CREATE_USAGE =
  "\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker create --help' for more information\n";

// prettier-ignore
const CLI_REFUSALS: [line: string, stderr: string][] = [
  ['docker run -v /tmp/dsk-site::/x busybox', `docker: invalid spec: /tmp/dsk-site::/x: empty section between colons${RUN_HELP}`],
  ['docker run -v :/x busybox', `docker: invalid spec: :/x: empty section between colons${RUN_HELP}`],
  ['docker run -v /tmp/dsk-site: busybox', `docker: invalid spec: /tmp/dsk-site:: empty section between colons${RUN_HELP}`],
  ['docker run -v /tmp/dsk-site:/x:ro:extra busybox', `docker: invalid spec: /tmp/dsk-site:/x:ro:extra: too many colons${RUN_HELP}`],
  ["docker run -v '' busybox", `docker: invalid empty volume spec${RUN_HELP}`],
  ["docker create -v '' busybox", "docker: invalid empty volume spec\n\nRun 'docker create --help' for more information\n"],
  // -v is checked after --pull and before -p.
  ['docker run -v /x::/y --pull bogus busybox', `docker: invalid pull option: 'bogus': must be one of "always", "missing" or "never"${RUN_HELP}`],
  ['docker run -v /x::/y -p 99999:80 busybox', `docker: invalid spec: /x::/y: empty section between colons${RUN_HELP}`],
  ['docker create --mount type=bind,source=/tmp/dsk-site busybox', `invalid argument "type=bind,source=/tmp/dsk-site" for "--mount" flag: target is required${CREATE_USAGE}`],
  ['docker create --mount type=bind,source=/tmp/dsk-site,target=/m,ro=maybe busybox', `invalid argument "type=bind,source=/tmp/dsk-site,target=/m,ro=maybe" for "--mount" flag: invalid value for ro: maybe${CREATE_USAGE}`],
  ['docker create --mount type=bind,source=/tmp/dsk-site,target=/m,bogus=1 busybox', `invalid argument "type=bind,source=/tmp/dsk-site,target=/m,bogus=1" for "--mount" flag: unexpected key 'bogus' in 'bogus=1'${CREATE_USAGE}`],
  ['docker create --mount type=bind,source=/tmp/dsk-site,target=/m,bogus busybox', `invalid argument "type=bind,source=/tmp/dsk-site,target=/m,bogus" for "--mount" flag: invalid field 'bogus' must be a key=value pair${CREATE_USAGE}`],
  ["docker create --mount '' busybox", `invalid argument "" for "--mount" flag: EOF${CREATE_USAGE}`],
  ['docker create --mount type=volume,target=/m,bind-propagation=rshared busybox', `invalid argument "type=volume,target=/m,bind-propagation=rshared" for "--mount" flag: cannot mix 'bind-*' options with mount type 'volume'${CREATE_USAGE}`],
  ['docker create --mount type=,target=/m busybox', `invalid argument "type=,target=/m" for "--mount" flag: type is required${CREATE_USAGE}`],
  ['docker create --mount type=bind,target=/m, busybox', `invalid argument "type=bind,target=/m," for "--mount" flag: invalid field '' must be a key=value pair${CREATE_USAGE}`],
  ["docker create --mount ' type=bind,target=/m' busybox", `invalid argument " type=bind,target=/m" for "--mount" flag: unexpected key ' type' in ' type=bind'${CREATE_USAGE}`],
  [`docker create --mount 'type=bind,sou"rce=/x,target=/m' busybox`, `invalid argument "type=bind,sou\\"rce=/x,target=/m" for "--mount" flag: parse error on line 1, column 14: bare " in non-quoted-field${CREATE_USAGE}`],
  [`docker create --mount '"type=bind"x,target=/m' busybox`, `invalid argument "\\"type=bind\\"x,target=/m" for "--mount" flag: parse error on line 1, column 11: extraneous or missing " in quoted-field${CREATE_USAGE}`],
  [`docker create --mount '"type=bind,target=/m' busybox`, `invalid argument "\\"type=bind,target=/m" for "--mount" flag: parse error on line 1, column 21: extraneous or missing " in quoted-field${CREATE_USAGE}`],
];

// prettier-ignore
const DAEMON_REFUSALS: [line: string, stderr: string][] = [
  ['docker run -v /tmp/dsk-site:relative busybox', "docker: Error response from daemon: invalid volume specification: '/tmp/dsk-site:relative': invalid mount config for type \"bind\": invalid mount path: 'relative' mount path must be absolute"],
  ['docker run -v /tmp/dsk-site:/x:zz busybox', 'docker: Error response from daemon: invalid mode: zz'],
  ['docker run -v /tmp/dsk-site:/x:rw,ro busybox', 'docker: Error response from daemon: invalid mode: rw,ro'],
  ['docker run -v a:b:c:d busybox', "docker: Error response from daemon: invalid volume specification: 'a:b:c:d'"],
  ['docker create -v a::b busybox', 'Error response from daemon: invalid mode: b'],
  ['docker run -v rel/dir:/x busybox', 'docker: Error response from daemon: create rel/dir: "rel/dir" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
  ['docker run -v /tmp/dsk-site:/ busybox', "docker: Error response from daemon: invalid volume specification: '/tmp/dsk-site:/': invalid mount config for type \"bind\": invalid specification: destination can't be '/'"],
  ['docker run -v /tmp/dsk-site:/x:nocopy busybox', "docker: Error response from daemon: invalid volume specification: '/tmp/dsk-site:/x:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified"],
  ['docker create --name dsk-d -v /tmp/dsk-site:/a --mount type=bind,src=/tmp/dsk-site,dst=/a busybox sh', 'Error response from daemon: Duplicate mount point: /a'],
  ['docker create --name dsk-d -v /tmp/dsk-site:/a -v /tmp:/a busybox sh', 'Error response from daemon: Duplicate mount point: /a'],
  ['docker create --mount type=bind,target=/m busybox', 'Error response from daemon: invalid mount config for type "bind": field Source must not be empty'],
  ['docker create --mount source=/tmp/dsk-site,target=/m busybox', 'Error response from daemon: create /tmp/dsk-site: "/tmp/dsk-site" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
  ['docker create --mount type=foo,source=/tmp/dsk-site,target=/m busybox', 'Error response from daemon: invalid mount config for type "foo": mount type unknown'],
  [`docker create --mount '"type=bind,source=/tmp/dsk-site",target=/m' busybox`, 'Error response from daemon: invalid mount config for type "bind,source=/tmp/dsk-site": mount type unknown'],
  ['docker create --mount type=bind,source=/tmp/dsk-site,target=/m,bind-propagation=bogus busybox', 'Error response from daemon: invalid mount config for type "bind": invalid propagation mode: bogus'],
  ['docker create --mount type=bind,source=rel,target=/m busybox', "Error response from daemon: invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"],
  ['docker create --mount type=bind,source=/tmp/dsk-site,target=rel busybox', "Error response from daemon: invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute"],
];

describe('-v and --mount: what the docker CLI refuses, byte for byte', () => {
  it.each(CLI_REFUSALS)('%s', (line, stderr) => {
    expect(parseDockerLine(line)).toEqual({ ok: false, error: { stderr, exitCode: 125 } });
  });
});

describe('-v and --mount: what dockerd refuses, as docker prints it', () => {
  it.each(DAEMON_REFUSALS)('%s', (line, stderr) => {
    const out = cliOutput(new Simulation([line], { setup: ['docker pull busybox'] }).runToEnd());
    expect(out).toContain(`${stderr}\n`);
  });

  it('a failed -v spec leaves no container and no layer behind (moby cleans up the new layer)', () => {
    const sim = new Simulation(['docker create --name bad -v /a:/x:zz busybox', 'docker ps -a'], {
      setup: ['docker pull busybox'],
    });
    const trace = sim.runToEnd();
    expect(cliOutput(trace)).not.toContain(' bad\n');
    // The new layer and its init layer both go (Engine 29: the lease's collector takes them).
    const left = sim.world.ports.snapshotter
      .list()
      .filter((s) => s.kind === 'active' || s.key.endsWith('-init'));
    expect(left).toEqual([]);
  });
});

describe('-v and --mount: what they become', () => {
  const command = (line: string) => {
    const out = parseDockerLine(line);
    if (!out.ok) throw new Error(out.error.stderr);
    return out.command;
  };

  it('keeps -v specs as typed, in order, without repeats (HostConfig.Binds)', () => {
    expect(command('docker run -v /a:/b:ro -v /a:/b:ro -v /c:/d busybox')).toMatchObject({
      binds: ['/a:/b:ro', '/c:/d'],
    });
    expect(command('docker run busybox')).not.toHaveProperty('binds');
  });

  it('reads --mount into the Engine API mount (HostConfig.Mounts)', () => {
    expect(
      command(
        'docker run --mount type=bind,src=/a,dst=/m,readonly --mount type=bind,source=/b,target=/n,bind-propagation=rshared busybox',
      ),
    ).toMatchObject({
      mounts: [
        { type: 'bind', source: '/a', target: '/m', readOnly: true },
        { type: 'bind', source: '/b', target: '/n', propagation: 'rshared' },
      ],
    });
    expect(command('docker run --mount type=BIND,source=/a,target=/m busybox')).toMatchObject({
      mounts: [{ type: 'bind' }],
    });
  });

  it("says which specs dockstep does not simulate, after docker's own checks", () => {
    const refusal = (line: string) => {
      const out = parseDockerLine(line);
      return out.ok ? '' : out.error;
    };
    expect(refusal('docker run -v data:/srv busybox')).toEqual({
      exitCode: 1,
      stderr:
        "dockstep: '-v data:/srv' names a volume, which dockstep does not simulate yet; bind a host directory instead (-v /host/dir:/data)\n",
    });
    expect(refusal('docker run -v /srv busybox')).toMatchObject({
      stderr: expect.stringContaining("'-v /srv' is an anonymous volume"),
    });
    expect(refusal('docker run -v ./site:/srv busybox')).toMatchObject({
      stderr: expect.stringContaining('has a relative source, and the console has no working directory'),
    });
    expect(refusal('docker run --mount type=tmpfs,target=/run busybox')).toMatchObject({
      stderr: expect.stringContaining('is a tmpfs mount'),
    });
    expect(refusal('docker run --mount type=volume,source=data,target=/srv busybox')).toMatchObject({
      stderr: expect.stringContaining('names a volume'),
    });
    // docker's own error still wins.
    expect(refusal('docker run -v data:/srv -p 99999:80 busybox')).toMatchObject({
      exitCode: 125,
      stderr: `docker: invalid hostPort: 99999${RUN_HELP}`,
    });
  });

  it('puts them in the create body, inspect and the OCI spec (Linux: the source is the host path)', () => {
    const trace = new Simulation(
      [
        'docker run -d --name web -v /srv/site:/usr/share/nginx/html:ro --mount type=bind,src=/srv/logs,dst=/logs nginx',
        "docker inspect --format '{{json .Mounts}} {{json .HostConfig.Binds}} {{json .HostConfig.Mounts}}' web",
      ],
      { setup: ['docker pull nginx'] },
    ).runToEnd();
    expect(cliOutput(trace)).toContain(
      '[{"Type":"bind","Source":"/srv/site","Destination":"/usr/share/nginx/html","Mode":"ro","RW":false,"Propagation":"rprivate"},' +
        '{"Type":"bind","Source":"/srv/logs","Destination":"/logs","Mode":"","RW":true,"Propagation":"rprivate"}] ' +
        '["/srv/site:/usr/share/nginx/html:ro"] [{"Type":"bind","Source":"/srv/logs","Target":"/logs"}]\n',
    );
    const spec = trace.entries.flatMap((e) =>
      e.type === 'message' && e.message.op === 'dockerd.buildSpec' ? [e.message.payload] : [],
    )[0] as { mounts: { destination: string }[] };
    // By depth, as moby sorts them: /logs, then /etc/hosts, then /usr/share/nginx/html.
    expect(spec.mounts.map((m) => m.destination)).toEqual([
      '/proc',
      '/dev',
      '/sys',
      '/logs',
      '/etc/hosts',
      '/usr/share/nginx/html',
    ]);
  });
});

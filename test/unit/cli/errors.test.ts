import { describe, expect, it } from 'vitest';
import { parseDockerLine } from '../../../src/cli/index.ts';

/**
 * Every refusal must be byte-for-byte what docker prints. The expected texts and exit codes in
 * DOCKER_28 were captured from the real docker CLI 28.2.2 (build e6534b4) on a machine with no
 * daemon, so each one is an error docker raises before it sends any request. The sources are
 * docker/cli v28.2.2: cli/cobra.go (FlagErrorFunc, exit 125), cli/required.go (argument counts,
 * exit 1), cmd/docker/docker.go (unknown command, exit 1), cli/command/container/run.go
 * (withHelp, exit 125), opts/*.go, vendor/github.com/spf13/pflag/flag.go,
 * vendor/github.com/docker/go-units/size.go and vendor/github.com/docker/go-connections/nat/nat.go.
 */
// prettier-ignore
const DOCKER_28: [line: string, exitCode: number, stderr: string][] = [
    ["docker frobnicate", 1, "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n"],
    ["docker container frob", 1, "docker: unknown command: docker container frob\n\nUsage:  docker container\n\nRun 'docker container --help' for more information\n"],
    ["docker image frob", 1, "docker: unknown command: docker image frob\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n"],
    ["docker --frob", 125, "unknown flag: --frob\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"],
    ["docker -x ps", 125, "unknown shorthand flag: 'x' in -x\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"],
    ["docker --host", 125, "flag needs an argument: --host\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"],
    ["docker run --frob busybox", 125, "unknown flag: --frob\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker container run --frob b", 125, "unknown flag: --frob\n\nUsage:  docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker container run --help' for more information\n"],
    ["docker container ps --frob", 125, "unknown flag: --frob\n\nUsage:  docker container ls [OPTIONS]\n\nRun 'docker container ls --help' for more information\n"],
    ["docker image remove --frob", 125, "unknown flag: --frob\n\nUsage:  docker image rm [OPTIONS] IMAGE [IMAGE...]\n\nRun 'docker image rm --help' for more information\n"],
    ["docker image rmi --frob", 125, "unknown flag: --frob\n\nUsage:  docker image rm [OPTIONS] IMAGE [IMAGE...]\n\nRun 'docker image rm --help' for more information\n"],
    ["docker container --frob", 125, "unknown flag: --frob\n\nUsage:  docker container\n\nRun 'docker container --help' for more information\n"],
    ["docker run -x busybox", 125, "unknown shorthand flag: 'x' in -x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -dx busybox", 125, "unknown shorthand flag: 'x' in -x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker create -d b", 125, "unknown shorthand flag: 'd' in -d\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker create --help' for more information\n"],
    ["docker run ---x busybox", 125, "bad flag syntax: ---x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --=x busybox", 125, "bad flag syntax: --=x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --name", 125, "flag needs an argument: --name\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -e", 125, "flag needs an argument: 'e' in -e\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -h", 125, "flag needs an argument: 'h' in -h\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker logs --tail", 125, "flag needs an argument: --tail\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nRun 'docker logs --help' for more information\n"],
    ["docker logs -n", 125, "flag needs an argument: 'n' in -n\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nRun 'docker logs --help' for more information\n"],
    ["docker run", 1, "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n"],
    ["docker container run", 1, "docker: 'docker container run' requires at least 1 argument\n\nUsage:  docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker container run --help' for more information\n"],
    ["docker rmi", 1, "docker: 'docker rmi' requires at least 1 argument\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker rmi --help' for more information\n"],
    ["docker stop", 1, "docker: 'docker stop' requires at least 1 argument\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker stop --help' for more information\n"],
    ["docker exec c", 1, "docker: 'docker exec' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help' for more information\n"],
    ["docker exec -it", 1, "docker: 'docker exec' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help' for more information\n"],
    ["docker inspect --type=image", 1, "docker: 'docker inspect' requires at least 1 argument\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nSee 'docker inspect --help' for more information\n"],
    ["docker kill -sTERM", 1, "docker: 'docker kill' requires at least 1 argument\n\nUsage:  docker kill [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker kill --help' for more information\n"],
    ["docker logs a b", 1, "docker: 'docker logs' requires 1 argument\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nRun 'docker logs --help' for more information\n"],
    ["docker pull", 1, "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information\n"],
    ["docker history a b", 1, "docker: 'docker history' requires 1 argument\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information\n"],
    ["docker image history", 1, "docker: 'docker image history' requires 1 argument\n\nUsage:  docker image history [OPTIONS] IMAGE\n\nRun 'docker image history --help' for more information\n"],
    ["docker ps x", 1, "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"],
    ["docker container ps x", 1, "docker: 'docker container ls' accepts no arguments\n\nUsage:  docker container ls [OPTIONS]\n\nRun 'docker container ls --help' for more information\n"],
    ["docker version x", 1, "docker: 'docker version' accepts no arguments\n\nUsage:  docker version [OPTIONS]\n\nRun 'docker version --help' for more information\n"],
    ["docker events x", 1, "docker: 'docker events' accepts no arguments\n\nUsage:  docker events [OPTIONS]\n\nRun 'docker events --help' for more information\n"],
    ["docker images a b", 1, "docker: 'docker images' requires at most 1 argument\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker images --help' for more information\n"],
    ["docker image ls a b", 1, "docker: 'docker image ls' requires at most 1 argument\n\nUsage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker image ls --help' for more information\n"],
    ["docker run -m foo busybox", 125, "invalid argument \"foo\" for \"-m, --memory\" flag: invalid size: 'foo'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -m 1x busybox", 125, "invalid argument \"1x\" for \"-m, --memory\" flag: invalid suffix: 'x'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -m -1 busybox", 125, "invalid argument \"-1\" for \"-m, --memory\" flag: invalid size: '-1'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -m 10zb busybox", 125, "invalid argument \"10zb\" for \"-m, --memory\" flag: invalid suffix: 'zb'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --memory=1.2.3 busybox", 125, "invalid argument \"1.2.3\" for \"-m, --memory\" flag: strconv.ParseFloat: parsing \"1.2.3\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker container create -m x b", 125, "invalid argument \"x\" for \"-m, --memory\" flag: invalid size: 'x'\n\nUsage:  docker container create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker container create --help' for more information\n"],
    ["docker stop -t x c", 125, "invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker stop --help' for more information\n"],
    ["docker stop -t 1.5 c", 125, "invalid argument \"1.5\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"1.5\": invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker stop --help' for more information\n"],
    ["docker stop -t 99999999999999999999 c", 125, "invalid argument \"99999999999999999999\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker stop --help' for more information\n"],
    ["docker ps -n x", 125, "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"],
    ["docker run --rm=maybe busybox", 125, "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --stop-timeout x busybox", 125, "invalid argument \"x\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --blkio-weight=x busybox", 125, "invalid argument \"x\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker ps -f foo", 125, "invalid argument \"foo\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n"],
    ["docker run -e =x b", 125, "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --network alias=x b", 125, "invalid argument \"alias=x\" for \"--network\" flag: network name/id is not specified\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run --network foo=bar b", 125, "invalid argument \"foo=bar\" for \"--network\" flag: invalid field key foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p foo busybox", 125, "docker: invalid containerPort: foo\n\nRun 'docker run --help' for more information\n"],
    ["docker container run -p foo b", 125, "docker: invalid containerPort: foo\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 99999:80 busybox", 125, "docker: invalid hostPort: 99999\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 8080:foo busybox", 125, "docker: invalid containerPort: foo\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 80:80:80:80 busybox", 125, "docker: invalid IP address: 80:80\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 1.2.3:80:80 busybox", 125, "docker: invalid IP address: 1.2.3\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 01.2.3.4:1:2 b", 125, "docker: invalid IP address: 01.2.3.4\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p [::1:1:2 b", 125, "docker: invalid IP address [::1: address [::1:: missing ']' in address\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 127.0.0.1:8080:80/xyz busybox", 125, "docker: invalid proto: xyz\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p /tcp b", 125, "docker: no port specified: /tcp<empty>\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 8080: b", 125, "docker: no port specified: 8080:<empty>\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p 80-81:90-92 busybox", 125, "docker: invalid ranges specified for container and host Ports: 90-92 and 80-81\n\nRun 'docker run --help' for more information\n"],
    ["docker run -p published=80,=x busybox", 125, "docker: invalid publish opts format (should be name=value but got '=x')\n\nRun 'docker run --help' for more information\n"],
    ["docker run --network= busybox", 125, "docker: no name set for network\n\nRun 'docker run --help' for more information\n"],
    ["docker run --network=a --network=a busybox", 125, "docker: network \"a\" is specified multiple times\n\nRun 'docker run --help' for more information\n"],
    ["docker run --network=host --network=b busybox", 125, "docker: conflicting options: cannot attach both user-defined and non-user-defined network-modes\n\nRun 'docker run --help' for more information\n"],
    ["docker run --restart on-failure:x busybox", 125, "docker: invalid restart policy format: maximum retry count must be an integer\n\nRun 'docker run --help' for more information\n"],
    ["docker run --restart :3 busybox", 125, "docker: invalid restart policy format: no policy provided before colon\n\nRun 'docker run --help' for more information\n"],
    ["docker run --rm --restart always busybox", 125, "docker: conflicting options: cannot specify both --restart and --rm\n\nRun 'docker run --help' for more information\n"],
    ["docker run --pull foo busybox", 125, "docker: invalid pull option: 'foo': must be one of \"always\", \"missing\" or \"never\"\n\nRun 'docker run --help' for more information\n"],
    ["docker run UPPER", 125, "docker: invalid reference format: repository name (library/UPPER) must be lowercase\n\nRun 'docker run --help' for more information\n"],
    ["docker create UPPER", 1, "invalid reference format: repository name (library/UPPER) must be lowercase\n"],
    ["docker run busybox@sha256:abc", 125, "docker: invalid reference format\n\nRun 'docker run --help' for more information\n"],
    ["docker pull UPPER", 1, "invalid reference format: repository name (library/UPPER) must be lowercase\n"],
    ["docker pull busybox@sha256:abc", 1, "invalid reference format\n"],
    ["docker pull -a busybox:1", 1, "tag can't be used with --all-tags/-a\n"],
    ["docker inspect --type foo x", 1, "unknown type: \"foo\": must be one of \"config\", \"container\", \"image\", \"network\", \"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\"\n"],
    ["docker start -a x y", 1, "you cannot start and attach multiple containers at once\n"],
];

describe('parseDockerLine refuses what docker 28 refuses, with its exact stderr and exit code', () => {
  it.each(DOCKER_28)('%s', (line, exitCode, stderr) => {
    expect(parseDockerLine(line)).toEqual({ ok: false, error: { stderr, exitCode } });
  });
});

describe('dockstep-own refusals', () => {
  it('refuses a line that is not a docker command, like a shell (127)', () => {
    expect(parseDockerLine('ls -la')).toEqual({
      ok: false,
      error: { stderr: "dockstep: only docker commands run here: 'ls'\n", exitCode: 127 },
    });
  });

  it('reports an unterminated single quote with its column (exit 2, like a shell syntax error)', () => {
    expect(parseDockerLine("docker run busybox echo 'hi")).toEqual({
      ok: false,
      error: {
        stderr: "dockstep: unterminated single quote: the ' at column 25 is never closed\n",
        exitCode: 2,
      },
    });
  });

  it('reports an unterminated double quote', () => {
    expect(parseDockerLine('docker run busybox sh -c "echo hi')).toEqual({
      ok: false,
      error: {
        stderr: 'dockstep: unterminated double quote: the " at column 26 is never closed\n',
        exitCode: 2,
      },
    });
  });

  it('says which real docker commands are not simulated rather than calling them unknown', () => {
    expect(parseDockerLine('docker swarm init')).toEqual({
      ok: false,
      error: {
        stderr: "dockstep: 'docker swarm' is a docker command that dockstep does not simulate yet\n",
        exitCode: 1,
      },
    });
    expect(parseDockerLine('docker container attach web')).toEqual({
      ok: false,
      error: {
        stderr:
          "dockstep: 'docker container attach' is a docker command that dockstep does not simulate yet\n",
        exitCode: 1,
      },
    });
  });

  it('does nothing for an empty line or a comment', () => {
    expect(parseDockerLine('   ')).toEqual({ ok: false, error: { stderr: '', exitCode: 0 } });
    expect(parseDockerLine('# docker ps')).toEqual({ ok: false, error: { stderr: '', exitCode: 0 } });
  });
});

describe('help', () => {
  it('answers --help with the usage line and exit 0', () => {
    expect(parseDockerLine('docker ps --help')).toEqual({
      ok: false,
      error: { stderr: 'Usage:  docker ps [OPTIONS]\n\nList containers\n', exitCode: 0 },
    });
    expect(parseDockerLine('docker container ls -h')).toEqual({
      ok: false,
      error: { stderr: 'Usage:  docker container ls [OPTIONS]\n\nList containers\n', exitCode: 0 },
    });
    expect(parseDockerLine('docker run --help')).toEqual({
      ok: false,
      error: {
        stderr:
          'Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run a new container from an image\n',
        exitCode: 0,
      },
    });
  });

  it('prints the root and group usage when no command is given', () => {
    const root = parseDockerLine('docker');
    expect(root.ok === false && root.error.exitCode).toBe(0);
    expect(root.ok === false && root.error.stderr).toMatch(
      /^Usage: {2}docker \[OPTIONS\] COMMAND\n\nA self-sufficient runtime for containers\n\nCommands dockstep simulates:\n/,
    );
    expect(parseDockerLine('docker image')).toEqual({
      ok: false,
      error: { stderr: 'Usage:  docker image COMMAND\n\nManage images\n', exitCode: 0 },
    });
  });

  it('leaves --help after the image to the container (run does not intersperse)', () => {
    const out = parseDockerLine('docker run busybox --help');
    expect(out.ok && out.command.name === 'run' && out.command.args).toEqual(['--help']);
  });

  it('prints the version for docker --version', () => {
    expect(parseDockerLine('docker --version')).toEqual({
      ok: false,
      error: { stderr: 'Docker version 28.2.2, build e6534b4\n', exitCode: 0 },
    });
  });
});

describe('docker help', () => {
  it('lists, for docker help and --help, the commands the parser simulates and the ones it does not yet', () => {
    const help = parseDockerLine('docker help');
    expect(help).toEqual(parseDockerLine('docker --help'));
    const text = help.ok ? '' : help.error.stderr;
    const [simulated = '', notYet = ''] = text.split('Docker commands dockstep does not simulate yet:');
    for (const name of ['save', 'load', 'login', 'logout', 'search', 'export', 'commit'])
      expect(simulated).toMatch(new RegExp(`\\n  ${name} +\\S`));
    expect(simulated).toMatch(/\n {2}image {7}Manage images \(.*load, .*save, tag\)\n/);
    expect(notYet.trim().split(', ')).toEqual(
      expect.arrayContaining(['swarm', 'image import', 'container attach']),
    );
    for (const name of ['save', 'load', 'login']) expect(notYet.trim().split(', ')).not.toContain(name);
    for (const line of simulated.split('\n').filter((l) => /^ {2}[a-z]+ {2,}/.test(l))) {
      const name = line.trim().split(' ')[0] ?? '';
      const parsed = parseDockerLine(`docker ${name} --help`);
      expect(parsed.ok === false && parsed.error.stderr, name).not.toMatch(
        /does not simulate|unknown command/,
      );
    }
  });
});

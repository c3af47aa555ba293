import type { DockerCommand } from '../../../cli/index.ts';
import type { JsonObject, JsonValue } from '../../../model/json.ts';
import { bytesSize, tabwriteText } from '../../../views/docker/index.ts';
import type { OperationProgram } from '../../operation.ts';
import { asReply, type Cli } from '../cli.ts';
import { renderTemplate } from '../goTemplate.ts';

type Cmd = DockerCommand;

/**
 * `docker version` and `docker info` (docker/cli v28 cli/command/system/version.go, info.go).
 * The client half describes the docker CLI dockstep mirrors, 28.2.2, which speaks API 1.50 and
 * negotiates down to the engine's (1.41 for 20.10; Engine 29 speaks 1.52, so 1.50 stays); the
 * server half is whatever `GET /version` and
 * `GET /info` say (src/layers/dockerd/ops/system.ts tells which engine the profile models).
 */
const CLIENT = {
  Version: '28.2.2',
  DefaultAPIVersion: '1.50',
  GoVersion: 'go1.24.3',
  GitCommit: 'e6534b4',
  BuildTime: 'Fri May 30 12:07:14 2025',
  Os: 'linux',
  Arch: 'amd64',
  Context: 'default',
};

export function* version(cli: Cli, cmd: Extract<Cmd, { name: 'version' }>): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.version', method: 'GET', path: '/version' }));
  const server = (reply.payload ?? {}) as JsonObject;
  if (cmd.format !== undefined) {
    // The template sees Go field names: ApiVersion in the JSON is APIVersion in the struct.
    const data: JsonObject = {
      Client: { ...CLIENT, APIVersion: cli.apiVersion },
      Server: { ...server, APIVersion: server.ApiVersion ?? '' },
    };
    return printTemplate(cli, cmd.format, data);
  }
  const lines = [
    'Client:',
    ` Version:\t${CLIENT.Version}`,
    ` API version:\t${cli.apiVersion}${cli.apiVersion === CLIENT.DefaultAPIVersion ? '' : ` (downgraded from ${CLIENT.DefaultAPIVersion})`}`,
    ` Go version:\t${CLIENT.GoVersion}`,
    ` Git commit:\t${CLIENT.GitCommit}`,
    ` Built:\t${CLIENT.BuildTime}`,
    ` OS/Arch:\t${CLIENT.Os}/${CLIENT.Arch}`,
    ` Context:\t${CLIENT.Context}`,
    '',
    `Server:${platformName(server)}`,
    ...((server.Components ?? []) as JsonObject[]).flatMap(componentLines),
  ];
  // prettyPrintVersion: a tabwriter with minwidth 20, padding 1.
  cli.out(tabwriteText(`${lines.join('\n')}\n`, { minwidth: 20, padding: 1 }));
}

function platformName(v: JsonObject): string {
  const name = String(((v.Platform ?? {}) as JsonObject).Name ?? '');
  return name === '' ? '' : ` ${name}`;
}

function componentLines(c: JsonObject): string[] {
  const details = (c.Details ?? {}) as Record<string, string>;
  const name = String(c.Name);
  if (name !== 'Engine') {
    return [
      ` ${name}:`,
      `  Version:\t${String(c.Version)}`,
      ...Object.keys(details)
        .sort()
        .map((k) => `  ${k}:\t${details[k] ?? ''}`),
    ];
  }
  return [
    ` ${name}:`,
    `  Version:\t${String(c.Version)}`,
    `  API version:\t${details.ApiVersion ?? ''} (minimum version ${details.MinAPIVersion ?? ''})`,
    `  Go version:\t${details.GoVersion ?? ''}`,
    `  Git commit:\t${details.GitCommit ?? ''}`,
    `  Built:\t${details.BuildTime ?? ''}`,
    `  OS/Arch:\t${details.Os ?? ''}/${details.Arch ?? ''}`,
    `  Experimental:\t${details.Experimental ?? ''}`,
  ];
}

function printTemplate(cli: Cli, format: string, data: JsonValue): void {
  const result = renderTemplate(format, data);
  if (result.ok) {
    cli.wire.output('stdout', `${result.text}\n`);
    return;
  }
  cli.err(`template parsing error: ${result.error}`);
  cli.exitCode = 64;
}

export function* info(cli: Cli, cmd: Extract<Cmd, { name: 'info' }>): OperationProgram {
  const reply = asReply(yield cli.call({ op: 'api.info', method: 'GET', path: '/info' }));
  const i = (reply.payload ?? {}) as JsonObject;
  if (cmd.format !== undefined) {
    return printTemplate(cli, cmd.format, {
      ...i,
      ClientInfo: {
        Version: CLIENT.Version,
        Context: CLIENT.Context,
        Debug: false,
        Plugins: [],
        Warnings: null,
      },
    });
  }
  const client = [
    'Client:',
    ` Version:    ${CLIENT.Version}`,
    ` Context:    ${CLIENT.Context}`,
    ' Debug Mode: false',
    '',
    'Server:',
  ];
  cli.wire.output('stdout', [...client, ...serverLines(i), ...tailLines(i), '', ''].join('\n'));
}

const str = (v: JsonValue | undefined): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
const nonEmpty = (label: string, v: JsonValue | undefined): string[] =>
  str(v) === '' ? [] : [`${label} ${str(v)}`];

/** prettyPrintServerInfo, from the container counts to the security options. */
function serverLines(i: JsonObject): string[] {
  const plugins = (i.Plugins ?? {}) as Record<string, string[] | null>;
  const commit = (k: string) => str(((i[k] ?? {}) as JsonObject).ID);
  return [
    ` Containers: ${str(i.Containers)}`,
    `  Running: ${str(i.ContainersRunning)}`,
    `  Paused: ${str(i.ContainersPaused)}`,
    `  Stopped: ${str(i.ContainersStopped)}`,
    ` Images: ${str(i.Images)}`,
    ...nonEmpty(' Server Version:', i.ServerVersion),
    ...nonEmpty(' Storage Driver:', i.Driver),
    ...((i.DriverStatus ?? []) as string[][]).map(([k, v]) => `  ${k ?? ''}: ${v ?? ''}`),
    ...nonEmpty(' Logging Driver:', i.LoggingDriver),
    ...nonEmpty(' Cgroup Driver:', i.CgroupDriver),
    ...nonEmpty(' Cgroup Version:', i.CgroupVersion),
    ' Plugins:',
    `  Volume: ${(plugins.Volume ?? []).join(' ')}`,
    `  Network: ${(plugins.Network ?? []).join(' ')}`,
    `  Log: ${(plugins.Log ?? []).join(' ')}`,
    ` Swarm: ${str(((i.Swarm ?? {}) as JsonObject).LocalNodeState)}`,
    // The CLI ranges over a Go map here, so the real order varies; sorted is one of them.
    ` Runtimes: ${Object.keys((i.Runtimes ?? {}) as JsonObject)
      .sort()
      .join(' ')}`,
    ` Default Runtime: ${str(i.DefaultRuntime)}`,
    ` Init Binary: ${str(i.InitBinary)}`,
    ` containerd version: ${commit('ContainerdCommit')}`,
    ` runc version: ${commit('RuncCommit')}`,
    ` init version: ${commit('InitCommit')}`,
    ...securityLines((i.SecurityOptions ?? []) as string[]),
  ];
}

/** `name=seccomp,profile=default` → "  seccomp" and "   Profile: default". */
function securityLines(options: string[]): string[] {
  if (options.length === 0) return [];
  return [
    ' Security Options:',
    ...options.flatMap((o) => {
      const kv = Object.fromEntries(o.split(',').map((p) => p.split('=') as [string, string]));
      return [`  ${kv.name ?? ''}`, ...(kv.profile ? [`   Profile: ${kv.profile}`] : [])];
    }),
  ];
}

/** prettyPrintServerInfo, from the kernel version to "Live Restore Enabled". */
function tailLines(i: JsonObject): string[] {
  const registry = (i.RegistryConfig ?? {}) as JsonObject;
  const insecure = (registry.InsecureRegistryCIDRs ?? []) as string[];
  return [
    ...nonEmpty(' Kernel Version:', i.KernelVersion),
    ...nonEmpty(' Operating System:', i.OperatingSystem),
    ...nonEmpty(' OSType:', i.OSType),
    ...nonEmpty(' Architecture:', i.Architecture),
    ` CPUs: ${str(i.NCPU)}`,
    ` Total Memory: ${bytesSize(Number(i.MemTotal ?? 0))}`,
    ...nonEmpty(' Name:', i.Name),
    ...nonEmpty(' ID:', i.ID),
    ` Docker Root Dir: ${str(i.DockerRootDir)}`,
    ` Debug Mode: ${str(i.Debug)}`,
    ` Experimental: ${str(i.ExperimentalBuild)}`,
    ...(insecure.length > 0 ? [' Insecure Registries:', ...insecure.map((c) => `  ${c}`)] : []),
    ` Live Restore Enabled: ${str(i.LiveRestoreEnabled)}`,
  ];
}

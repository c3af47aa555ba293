// The world a real-container suite runs in, set up the same way for each: a registry on loopback
// holding the test images (daemonImages.ts), `dockstep engine` with a temp root on a bridge of the
// suite's own (`--bridge <prefix><6 hex digits>`, so suites and engineers running at once never
// meet), and busybox:v1 pulled through it. Each suite has its own engine, root and bridge. stop()
// takes down whatever start reached: the containers and volumes the suite left (with
// --live-restore its containers would outlive the engine), the engine, then its bridge, chains and
// rules (they outlive the engine, as docker0 outlives dockerd), the registry and the scratch
// directory.
import { existsSync } from 'node:fs';
import { pushTestImages } from './daemonImages.ts';
import { startEngine, type RunningEngine } from './engine.ts';
import { engineProcess } from './procs.ts';
import { startRegistry, type Registry } from './registry.ts';
import { tempDir } from './tmp.ts';
import { until } from './until.ts';
import { teardown } from '../../../engine/net/index.ts';
import { loadState } from '../../../engine/net/store.ts';
import { engineBridge } from '../../../engine/real/world.ts';

export interface Started {
  registry: Registry;
  engine: RunningEngine;
  /** busybox:v1 in the registry, already pulled by the engine. */
  image: string;
}

export interface SuiteEngine {
  /** The suite's scratch directory: the images' layout, and files of the suite's own. */
  readonly work: ReturnType<typeof tempDir>;
  /** The suite's own bridge: a prefix and six hex digits, short enough for a link name (IFNAMSIZ). */
  readonly bridge: string;
  /** The registry with the test images, an engine on the suite's bridge (`args` after `--bridge`), busybox:v1 pulled. */
  start(args?: readonly string[]): Promise<Started>;
  /** An engine on the suite's bridge alone, for a suite that brings its images otherwise. */
  startEngine(args?: readonly string[]): Promise<RunningEngine>;
  /**
   * `systemctl stop docker`: SIGTERM to the engine (it stops its containers as dockerd does), back
   * once it has exited; its directory (root, socket, run state) stays for `startAgain`.
   */
  stopDaemon(): Promise<void>;
  /** `systemctl start docker`: a new engine on the stopped one's directory, with the same flags, once it answers. */
  startAgain(): Promise<RunningEngine>;
  /** Everything down; `current` is the engine now serving when the suite started another one. */
  stop(current?: RunningEngine): Promise<void>;
}

/** `docker rm -f` of every container left, then `docker volume prune -f`; an engine gone already is left be. */
async function removeLeft(engine: RunningEngine): Promise<void> {
  const docker = (...args: string[]) => engine.docker(args, { timeoutMs: 120_000 });
  const left = (await docker('ps', '-aq')).stdout.split('\n').filter((l) => l !== '');
  if (left.length > 0) await docker('rm', '-f', ...left);
  await docker('volume', 'prune', '-f');
}

export function suiteEngine(name: string, bridgePrefix: string): SuiteEngine {
  const work = tempDir(name);
  const bridge = `${bridgePrefix}${Math.random().toString(16).slice(2, 8)}`;
  let registry: Registry | undefined;
  let engine: RunningEngine | undefined;
  let flags: readonly string[] = [];
  const startOne = async (args: readonly string[] = [], base?: string): Promise<RunningEngine> => {
    flags = args;
    engine = await startEngine({
      args: ['--bridge', bridge, ...args],
      ...(base === undefined ? {} : { base }),
    });
    return engine;
  };
  const running = (): RunningEngine => {
    if (engine === undefined) throw new Error(`suite ${name}: no engine started`);
    return engine;
  };
  return {
    work,
    bridge,
    startEngine: startOne,
    async stopDaemon() {
      const wrapper = running().pid;
      const pid = engineProcess(wrapper);
      process.kill(wrapper, 'SIGTERM');
      await until(() => !existsSync(`/proc/${pid}`) && !existsSync(`/proc/${wrapper}`), 'the engine to exit');
    },
    startAgain: () => startOne(flags, running().dir),
    async start(args = []) {
      registry = await startRegistry();
      await pushTestImages(registry.host, work.path);
      const started = await startOne(args);
      const image = `${registry.host}/busybox:v1`;
      const pulled = await started.docker(['pull', '-q', image], { timeoutMs: 120_000 });
      if (pulled.code !== 0) throw new Error(`docker pull ${image}: ${pulled.stderr}`);
      return { registry, engine: started, image };
    },
    async stop(current = engine) {
      if (current !== undefined) await removeLeft(current);
      // The bridge's state lives under the engine's root, which goes with the engine: read first.
      const net = current === undefined ? undefined : engineBridge(current.root, bridge);
      if (net !== undefined) net.state = await loadState(net.cfg.stateFile);
      await current?.stop();
      if (net !== undefined) await teardown(net);
      await registry?.stop();
      work.remove();
    },
  };
}

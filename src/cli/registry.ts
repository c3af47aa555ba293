import type { CommandSpec } from './command.ts';
import {
  CONTAINER_INSPECT,
  EXEC,
  KILL,
  LOGS,
  PAUSE,
  PS,
  RESTART,
  RM,
  START,
  STOP,
  UNPAUSE,
  WAIT,
} from './containerCommands.ts';
import {
  EVENTS,
  HISTORY,
  IMAGE_INSPECT,
  IMAGES,
  INFO,
  INSPECT,
  PULL,
  PUSH,
  RMI,
  TAG,
  VERSION,
} from './imageCommands.ts';
import { BUILD } from './buildCommand.ts';
import { CREATE, RUN } from './runCreate.ts';
import { DIFF, PORT, RENAME } from './renamePort.ts';
import { STATS, TOP, UPDATE } from './topUpdateStats.ts';
import { COMMIT, CP, EXPORT } from './copyExport.ts';
import { LOGOUT, SEARCH } from './searchLogout.ts';
import { LOAD, LOGIN, SAVE } from './saveLoadLogin.ts';
import { IMAGE_PRUNE, SYSTEM_PRUNE } from './prune.ts';
import {
  NETWORK_CONNECT,
  NETWORK_CREATE,
  NETWORK_DISCONNECT,
  NETWORK_INSPECT,
  NETWORK_LS,
  NETWORK_RM,
} from './networkCommands.ts';
import {
  CONTAINER_PRUNE,
  SYSTEM_DF,
  VOLUME_CREATE,
  VOLUME_INSPECT,
  VOLUME_LS,
  VOLUME_PRUNE,
  VOLUME_RM,
} from './volumeCommands.ts';

/**
 * The docker command tree as docker/cli v28 builds it (cli/command/commands/commands.go): the
 * top-level shortcuts and the management commands whose subcommands we simulate. Aliases
 * resolve to the canonical subcommand, and cobra prints the canonical path in its messages
 * (`docker container ps --frob` says `Run 'docker container ls --help'`).
 */
export interface Entry {
  spec: CommandSpec;
  aliases?: readonly string[];
}

export const TOP_LEVEL: Readonly<Record<string, CommandSpec>> = {
  run: RUN,
  create: CREATE,
  start: START,
  stop: STOP,
  restart: RESTART,
  kill: KILL,
  pause: PAUSE,
  unpause: UNPAUSE,
  rm: RM,
  ps: PS,
  images: IMAGES,
  pull: PULL,
  push: PUSH,
  rmi: RMI,
  tag: TAG,
  logs: LOGS,
  inspect: INSPECT,
  wait: WAIT,
  events: EVENTS,
  history: HISTORY,
  exec: EXEC,
  build: BUILD,
  version: VERSION,
  info: INFO,
  rename: RENAME,
  port: PORT,
  diff: DIFF,
  top: TOP,
  update: UPDATE,
  stats: STATS,
  cp: CP,
  export: EXPORT,
  commit: COMMIT,
  search: SEARCH,
  logout: LOGOUT,
  login: LOGIN,
  save: SAVE,
  load: LOAD,
};

export interface Group {
  short: string;
  commands: Readonly<Record<string, Entry>>;
  /** Real subcommands dockstep does not simulate (so they are not "unknown"). */
  others: readonly string[];
}

export const GROUPS: Readonly<Record<string, Group>> = {
  container: {
    short: 'Manage containers',
    commands: {
      commit: { spec: COMMIT },
      cp: { spec: CP },
      create: { spec: CREATE },
      diff: { spec: DIFF },
      exec: { spec: EXEC },
      export: { spec: EXPORT },
      inspect: { spec: CONTAINER_INSPECT },
      kill: { spec: KILL },
      logs: { spec: LOGS },
      ls: { spec: { ...PS, use: 'ls [OPTIONS]' }, aliases: ['list', 'ps'] },
      pause: { spec: PAUSE },
      port: { spec: PORT },
      prune: { spec: CONTAINER_PRUNE },
      rename: { spec: RENAME },
      restart: { spec: RESTART },
      rm: { spec: RM, aliases: ['remove'] },
      run: { spec: RUN },
      start: { spec: START },
      stats: { spec: STATS },
      stop: { spec: STOP },
      top: { spec: TOP },
      unpause: { spec: UNPAUSE },
      update: { spec: UPDATE },
      wait: { spec: WAIT },
    },
    others: ['attach'],
  },
  image: {
    short: 'Manage images',
    commands: {
      build: { spec: BUILD },
      history: { spec: HISTORY },
      inspect: { spec: IMAGE_INSPECT },
      load: { spec: LOAD },
      ls: { spec: { ...IMAGES, use: 'ls [OPTIONS] [REPOSITORY[:TAG]]' }, aliases: ['list'] },
      prune: { spec: IMAGE_PRUNE },
      pull: { spec: PULL },
      push: { spec: PUSH },
      rm: { spec: { ...RMI, use: 'rm [OPTIONS] IMAGE [IMAGE...]' }, aliases: ['rmi', 'remove'] },
      save: { spec: SAVE },
      tag: { spec: TAG },
    },
    others: ['import'],
  },
  builder: {
    short: 'Manage builds',
    commands: { build: { spec: BUILD } },
    others: ['prune'],
  },
  network: {
    short: 'Manage networks',
    commands: {
      connect: { spec: NETWORK_CONNECT },
      create: { spec: NETWORK_CREATE },
      disconnect: { spec: NETWORK_DISCONNECT },
      inspect: { spec: NETWORK_INSPECT },
      ls: { spec: NETWORK_LS, aliases: ['list'] },
      rm: { spec: NETWORK_RM, aliases: ['remove'] },
    },
    others: ['prune'],
  },
  volume: {
    short: 'Manage volumes',
    commands: {
      create: { spec: VOLUME_CREATE },
      inspect: { spec: VOLUME_INSPECT },
      ls: { spec: VOLUME_LS, aliases: ['list'] },
      prune: { spec: VOLUME_PRUNE },
      rm: { spec: VOLUME_RM, aliases: ['remove'] },
    },
    others: ['update'],
  },
  system: {
    short: 'Manage Docker',
    commands: {
      df: { spec: SYSTEM_DF },
      events: { spec: EVENTS },
      info: { spec: INFO },
      prune: { spec: SYSTEM_PRUNE },
    },
    others: [],
  },
};

/** Top-level docker commands (docker 28 `docker --help`) that dockstep does not simulate. */
export const OTHER_COMMANDS: readonly string[] = [
  'checkpoint',
  'context',
  'manifest',
  'plugin',
  'trust',
  'config',
  'node',
  'secret',
  'service',
  'stack',
  'swarm',
  'attach',
  'import',
  'buildx',
  'compose',
];

/** A subcommand by name or alias: the canonical name and its spec. */
export function findInGroup(group: Group, name: string): [string, CommandSpec] | undefined {
  for (const [canonical, entry] of Object.entries(group.commands)) {
    if (canonical === name || entry.aliases?.includes(name)) return [canonical, entry.spec];
  }
  return undefined;
}

import type { ContainerConfig } from '../../model/image.ts';
import { resolvePath } from '../../model/paths.ts';
import { expandVars, type Step } from './dockerfile.ts';

/**
 * What a metadata instruction does to the image's run config (moby builder/dockerfile
 * dispatchers.go; the same fields BuildKit's dockerfile frontend sets): ENV appends or replaces
 * a variable, WORKDIR resolves against the previous one, CMD and ENTRYPOINT replace, and so on.
 * No file changes: only the config.
 */
export type Metadata = Exclude<Step, { kind: 'FROM' | 'RUN' | 'COPY' | 'ADD' }>;

function setEnv(env: readonly string[], name: string, value: string): string[] {
  const out = env.filter((e) => !e.startsWith(`${name}=`));
  const at = env.findIndex((e) => e.startsWith(`${name}=`));
  if (at < 0) return [...out, `${name}=${value}`];
  return [...env.slice(0, at), `${name}=${value}`, ...env.slice(at + 1)];
}

export function applyMetadata(config: ContainerConfig, step: Metadata): ContainerConfig {
  const env = config.Env ?? [];
  switch (step.kind) {
    case 'ENV':
      return { ...config, Env: step.pairs.reduce((e, [k, v]) => setEnv(e, k, expandVars(v, env)), env) };
    case 'LABEL':
      return { ...config, Labels: { ...(config.Labels ?? {}), ...Object.fromEntries(step.pairs) } };
    case 'WORKDIR':
      return { ...config, WorkingDir: resolvePath(expandVars(step.path, env), config.WorkingDir || '/') };
    case 'EXPOSE':
      return {
        ...config,
        ExposedPorts: {
          ...(config.ExposedPorts ?? {}),
          ...Object.fromEntries(step.ports.map((p) => [p.includes('/') ? p : `${p}/tcp`, {}])),
        },
      };
    case 'USER':
      return { ...config, User: step.user };
    case 'CMD':
      return { ...config, Cmd: step.args };
    case 'ENTRYPOINT':
      return { ...config, Entrypoint: step.args };
  }
}

/** Go's `%q` of a []string: `["cat" "/app/hello.txt"]`. */
export function goQuoteList(args: readonly string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(' ')}]`;
}

/** The instruction as the legacy builder writes it into the step's Cmd (and so into `created_by`). */
export function instructionText(step: Metadata, config: ContainerConfig): string {
  switch (step.kind) {
    case 'ENV':
    case 'LABEL':
      return `${step.kind} ${step.pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'WORKDIR':
      return `WORKDIR ${config.WorkingDir ?? '/'}`;
    case 'EXPOSE':
      return `EXPOSE ${step.ports.join(' ')}`;
    case 'USER':
      return `USER ${step.user}`;
    case 'CMD':
    case 'ENTRYPOINT':
      return `${step.kind} ${goQuoteList(step.args)}`;
  }
}

/**
 * The run config the legacy builder commits a metadata step with: its Cmd is a no-op shell
 * comment naming the instruction. WORKDIR uses `withCmdCommentString` (one argument,
 * `#(nop) WORKDIR /app`), the others `withCmdComment` (`#(nop) ` and the text as two
 * arguments, hence the double space in `/bin/sh -c #(nop)  ENV …`).
 */
export function commitComment(step: Metadata, config: ContainerConfig): ContainerConfig {
  const text = instructionText(step, config);
  const cmd =
    step.kind === 'WORKDIR' ? ['/bin/sh', '-c', `#(nop) ${text}`] : ['/bin/sh', '-c', '#(nop) ', text];
  return { ...config, Cmd: cmd };
}

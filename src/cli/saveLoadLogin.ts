import { defined, type CommandSpec } from './command.ts';
import { cliError } from './errors.ts';
import { m, spec } from './flags.ts';

/**
 * `docker save`, `docker load` and `docker login` as docker/cli v28.2.2 declares them
 * (cli/command/image/save.go, load.go; cli/command/registry/login.go). The console is the
 * user's terminal for what would land on it (save refuses to write a tar there), and gives a
 * command nothing on stdin (as `</dev/null` would): load reads an empty stream and login cannot
 * prompt (recorded: x-save-login.txt, y-load-login.txt).
 */
export const SAVE: CommandSpec = {
  use: 'save [OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  args: { kind: 'min', n: 1 },
  flags: [m(spec('output', 'o', 'string')), spec('platform', '', 'string')],
  interspersed: true,
  build: ({ values, args }) => {
    const output = values.string('output');
    // save.go runSave: stdout is the console's terminal, and a tar is not for one.
    if (!output) return cliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
    return { name: 'save', images: args, output };
  },
};

export const LOAD: CommandSpec = {
  use: 'load [OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  args: { kind: 'none' },
  flags: [m(spec('input', 'i', 'string')), m(spec('quiet', 'q', 'bool')), spec('platform', '', 'string')],
  interspersed: true,
  build: ({ values }) => ({
    name: 'load',
    quiet: values.bool('quiet'),
    ...defined({ input: values.string('input') || undefined }),
  }),
};

export const LOGIN: CommandSpec = {
  use: 'login [OPTIONS] [SERVER]',
  short: 'Authenticate to a registry',
  args: { kind: 'max', n: 1 },
  flags: [
    m(spec('username', 'u', 'string')),
    m(spec('password', 'p', 'string')),
    m(spec('password-stdin', '', 'bool')),
  ],
  interspersed: true,
  // login.go verifyLoginFlags: checked before anything else, no request made.
  build: ({ values: v, args }) => {
    if (v.changed('password-stdin')) {
      if (v.changed('password'))
        return cliError('conflicting options: cannot specify both --password and --password-stdin', 1);
      if (!v.changed('username'))
        return cliError('the --password-stdin option requires --username to be set', 1);
    }
    if (v.changed('username') && !v.string('username')) return cliError('username is empty', 1);
    if (v.changed('password') && !v.string('password')) return cliError('password is empty', 1);
    return {
      name: 'login',
      passwordStdin: v.bool('password-stdin'),
      ...defined({
        server: args[0],
        username: v.string('username') || undefined,
        password: v.string('password') || undefined,
      }),
    };
  },
};

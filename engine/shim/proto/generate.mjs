// Writes engine/shim/proto/gen/ (TypeScript from containerd's .proto files, by protoc-gen-es with
// buf as the compiler, both from npm) when it is missing or older than a .proto file or the buf
// settings; `--force` writes it anyway. Run by `npm install` through `prepare`, before the command
// is built, and by `npm run gen:proto`. The generated code is not kept in the repository: it is
// the .proto files' output, made again on every machine from the same pinned tools.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const gen = join(here, 'gen');

/** Every file below `dir`, with its modification time. */
function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
}

function current() {
  if (!existsSync(gen)) return false;
  const made = files(gen);
  if (made.length === 0) return false;
  const sources = [
    ...files(join(here, 'src')),
    ...['buf.yaml', 'buf.gen.yaml'].map((f) => statSync(join(here, f)).mtimeMs),
  ];
  return Math.max(...sources) <= Math.min(...made);
}

if (process.argv.includes('--force') || !current()) {
  const bin = join(root, 'node_modules', '.bin');
  const r = spawnSync(join(bin, 'buf'), ['generate'], {
    cwd: here,
    stdio: 'inherit',
    // buf.gen.yaml names the plugin `protoc-gen-es`, found on the PATH.
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (r.status !== 0) {
    process.stderr.write(
      `engine/shim/proto: buf generate failed (${r.error?.message ?? `exit ${r.status}`})\n`,
    );
    process.exit(1);
  }
}

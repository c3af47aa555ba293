import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simCommand } from '../../../engine/cli/simCommand.ts';

describe('dockstep sim --files DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockstep-build-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nRUN echo from a real directory\n');

  it('builds from a real directory, which is also the working directory', () => {
    const out = simCommand([
      '--profile',
      'classic',
      '--files',
      dir,
      'docker pull busybox',
      'docker build -t mine .',
    ]);
    expect(out).toContain('from a real directory\n');
    expect(out).toContain('Successfully tagged mine:latest\n');
  });

  it('without it the host has no files: `.` is an empty / and BuildKit finds no Dockerfile there', () => {
    expect(simCommand(['--profile', 'v29', 'docker build .'])).toContain(
      'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { HELLO_TEXT } from '../../src/sim/process/hello.ts';
import { cliOutput } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** The images people try first, and where the docker CLI writes a pull's progress. */
describe('the images people try first', () => {
  it("docker run hello-world pulls it, then prints Docker's hello-world text and exits 0", () => {
    const trace = new Simulation(['docker run hello-world']).runToEnd();
    const out = cliOutput(trace);
    expect(out).toContain('Status: Downloaded newer image for hello-world:latest\n');
    expect(out.endsWith(HELLO_TEXT)).toBe(true);
    expect(out.indexOf('Status: Downloaded')).toBeLessThan(out.indexOf('Hello from Docker!'));
    expect(HELLO_TEXT).toContain(
      '\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n',
    );
    const hello = trace.entries.find((e) => e.type === 'output' && e.text.includes('Hello from Docker!'));
    expect(hello).toMatchObject({ stream: 'stdout' });
    expect(trace.entries.find((e) => e.type === 'exit')).toMatchObject({ code: 0 });
  });

  it.each(['ubuntu', 'debian'])('docker run %s pulls it and runs its shell', (image) => {
    const trace = new Simulation([`docker run ${image} echo hi`, `docker images ${image}`]).runToEnd();
    const out = cliOutput(trace);
    expect(out).toContain(`Status: Downloaded newer image for ${image}:latest\nhi\n`);
    expect(out).toMatch(new RegExp(`\\n${image} +latest +[0-9a-f]{12} `));
  });
});

/**
 * docker/cli writes the progress of `docker pull` to stdout (cli/command/image/pull.go) and that of
 * the pull inside `docker run`/`docker create` to stderr (cli/command/container/create.go,
 * pullImage: `out := dockerCli.Err()`), as the dockstep client does for `docker pull`.
 */
describe('pull progress streams', () => {
  const streamOf = (line: string, text: string) => {
    const trace = new Simulation([line]).runToEnd();
    return trace.entries.find((e) => e.type === 'output' && e.text.includes(text));
  };

  it('docker pull: on stdout', () => {
    expect(streamOf('docker pull alpine', 'Pulling from library/alpine')).toMatchObject({ stream: 'stdout' });
  });

  it('docker run: on stderr, after "Unable to find image"', () => {
    expect(streamOf('docker run alpine true', 'Pulling from library/alpine')).toMatchObject({
      stream: 'stderr',
    });
  });
});

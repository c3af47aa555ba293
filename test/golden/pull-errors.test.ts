import { describe, expect, it } from 'vitest';
import { cliOutput } from '../../src/views/trace.ts';
import { Simulation } from '../../src/sim/simulation.ts';

/** A reference that does not resolve fails before any progress: an HTTP 404 with docker's text. */
describe('pull errors', () => {
  const denied =
    "pull access denied for nosuch/image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";

  it('docker pull of an unknown repository: the error, exit 1, no image', () => {
    const trace = new Simulation(['docker pull nosuch/image', 'docker images -q']).runToEnd();
    expect(cliOutput(trace)).toBe(
      `$ docker pull nosuch/image\nUsing default tag: latest\nError response from daemon: ${denied}\n$ docker images -q\n`,
    );
    expect(
      trace.entries.filter((e) => e.type === 'exit').map((e) => (e.type === 'exit' ? e.code : -1)),
    ).toEqual([1, 0]);
  });

  it('docker run of an unknown repository: docker: prefix, the run help, exit 125, no second create', () => {
    const trace = new Simulation(['docker run nosuch/image']).runToEnd();
    expect(cliOutput(trace)).toBe(
      `$ docker run nosuch/image\nUnable to find image 'nosuch/image:latest' locally\ndocker: Error response from daemon: ${denied}\n\nRun 'docker run --help' for more information\n`,
    );
    expect(trace.entries.find((e) => e.type === 'exit')).toMatchObject({ code: 125 });
    const creates = trace.entries.filter(
      (e) => e.type === 'message' && e.message.op === 'api.containers.create' && e.message.kind === 'request',
    );
    expect(creates).toHaveLength(1);
  });

  it('an unknown tag: manifest unknown', () => {
    const out = cliOutput(new Simulation(['docker pull busybox:nosuchtag']).runToEnd());
    expect(out).toContain(
      'Error response from daemon: manifest for busybox:nosuchtag not found: manifest unknown: manifest unknown\n',
    );
  });
});

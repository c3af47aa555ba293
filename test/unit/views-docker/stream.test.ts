import { describe, expect, it } from 'vitest';
import type { DockerEvent } from '../../../src/model/trace.ts';
import {
  daemonErrorLine,
  eventJson,
  formatEventLine,
  formatInspect,
  formatPull,
  formatPullStream,
  pullEpilogue,
  pullPreamble,
  type JsonMessage,
} from '../../../src/views/docker/index.ts';
import { CLI, FX3, FX4 } from './cliCaptures.ts';

const pull = FX3.pull as JsonMessage[];
const pullWithError = FX4.pull as JsonMessage[];
const events = FX3.events as DockerEvent[];

describe('docker pull, stdout not a terminal (captured from docker CLI 28.2.2)', () => {
  it('drops progress messages, prints id: status, and the full reference last', () => {
    expect(formatPull('nginx', pull, { quiet: false })).toEqual(CLI.pull);
    expect(CLI.pull.stdout).toBe(
      [
        'Using default tag: latest',
        'latest: Pulling from library/nginx',
        'a2abf6c4d29d: Already exists',
        'a9edb18cadd1: Pulling fs layer',
        'a9edb18cadd1: Waiting',
        'a9edb18cadd1: Verifying Checksum',
        'a9edb18cadd1: Download complete',
        'a9edb18cadd1: Pull complete',
        'Digest: sha256:1111111111111111111111111111111111111111111111111111111111111111',
        'Status: Downloaded newer image for nginx:latest',
        'docker.io/library/nginx:latest',
        '',
      ].join('\n'),
    );
  });

  it('-q keeps only the last line', () => {
    expect(formatPull('nginx', pull, { quiet: true })).toEqual(CLI.pullq);
  });

  it('an errorDetail ends the stream: message on stderr, exit 1, no last line', () => {
    // Also the deprecated `progress` text with an empty progressDetail: printed without newline.
    expect(formatPull('nginx:1.99', pullWithError, { quiet: false })).toEqual(CLI.pullerr);
  });

  it('an invalid reference is refused before any request', () => {
    expect(formatPull('Nginx', pull, { quiet: false })).toEqual(CLI.pullbad);
  });

  it('formatPullStream is the stream part alone', () => {
    expect(formatPullStream(pull, false)).toBe(
      CLI.pull.stdout
        .replace('Using default tag: latest\n', '')
        .replace('docker.io/library/nginx:latest\n', ''),
    );
    expect(
      formatPullStream([{ status: 'Downloading', id: 'x', progressDetail: { current: 0, total: 0 } }], false),
    ).toBe('x: Downloading\n');
    expect(formatPullStream([{ aux: { ID: 'sha256:x' } }, { stream: 'raw text' }], false)).toBe('raw text');
  });

  it('preamble and epilogue', () => {
    expect(pullPreamble('busybox')).toBe('Using default tag: latest\n');
    expect(pullPreamble('busybox:1.36')).toBe('');
    expect(pullPreamble('busybox@sha256:' + '1'.repeat(64))).toBe('');
    expect(pullPreamble('busybox', true)).toBe('');
    expect(pullEpilogue('busybox')).toBe('docker.io/library/busybox:latest\n');
    expect(pullEpilogue('user/app:v2')).toBe('docker.io/user/app:v2\n');
    expect(pullEpilogue('localhost:5000/app')).toBe('localhost:5000/app:latest\n');
    expect(daemonErrorLine('No such image: x')).toBe('Error response from daemon: No such image: x\n');
  });
});

describe('docker events (captured from docker CLI 28.2.2)', () => {
  it('default text: nano timestamp, full actor id, attributes sorted', () => {
    expect(events.map(formatEventLine).join('')).toBe(CLI.events.stdout);
    expect(CLI.events.stdout.split('\n')[0]).toBe(
      '2026-01-01T09:00:00.123456800Z container create 3b2f4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819 ' +
        '(10=x, Zeta=<&>, image=busybox, name=c1)',
    );
  });

  it("--format '{{json .}}': struct key order, omitempty, no HTML escaping", () => {
    expect(events.map((e) => eventJson(e) + '\n').join('')).toBe(CLI.eventsj.stdout);
    const e: DockerEvent = {
      Type: 'container',
      Action: 'start',
      Actor: { ID: 'abc', Attributes: { name: 'c1', b: 'x' } },
      scope: 'local',
      time: 1767258000,
      timeNano: 1767258000000000000,
    };
    expect(eventJson(e)).toBe(
      '{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"b":"x","name":"c1"}},' +
        '"scope":"local","time":1767258000,"timeNano":1767258000000000000}',
    );
  });
});

describe('docker inspect (captured from docker CLI 28.2.2)', () => {
  it('indents with four spaces, keeps [] and {} compact, does not HTML-escape', () => {
    // The stub daemon wrote U+2028 raw (JSON.stringify); dockerd's Go encoder writes \u2028 and
    // json.Indent keeps it, which is what we print.
    const expected = CLI.inspect.stdout.replace('\u2028', '\\u2028');
    expect(formatInspect([FX3.inspect])).toBe(expected);
    expect(expected).toContain('"echo <hi> & bye\\u2028"');
  });

  it('an empty result is []', () => {
    expect(formatInspect([])).toBe('[]\n');
  });

  it('Go string escapes, and HTML escaping on request', () => {
    expect(formatInspect(['<a>&\b\f\u0001\u007f'])).toBe('[\n    "<a>&\\b\\f\\u0001\u007f"\n]\n');
    expect(formatInspect(['<a>&'], { escapeHTML: true })).toBe('[\n    "\\u003ca\\u003e\\u0026"\n]\n');
    expect(formatInspect([{ a: [1, { b: null }], c: -0, d: 1e-7 }])).toBe(
      '[\n    {\n        "a": [\n            1,\n            {\n                "b": null\n            }\n        ],\n' +
        '        "c": -0,\n        "d": 1e-7\n    }\n]\n',
    );
  });
});

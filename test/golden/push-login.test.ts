import { describe, expect, it } from 'vitest';
import { draft } from '../../src/layers/post.ts';
import type { JsonObject } from '../../src/model/json.ts';
import type { Message } from '../../src/model/message.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { cliOutput, goldenLines, messagesOf } from '../../src/views/trace.ts';
import { commandText } from './commandText.ts';

/**
 * `docker push` and `docker login` as the dockerd machine serves them (ops/imagePush.ts,
 * ops/auth.ts): the registry requests dockerd 20.10 was measured sending (a push: the ping, then
 * per blob HEAD, and when missing POST, PATCH, PUT ?digest= and HEAD again, then the manifest;
 * Engine 29, containerd's pusher: per blob HEAD, POST, one PUT ?digest= with the bytes, then the
 * manifest's HEAD and PUT;
 * a login: the ping, the token server with `offline_token=true`, the ping again with the token),
 * the progress stream docker prints, and the `push` event.
 */
const TAGGED = ['docker pull busybox', 'docker tag busybox localhost:5000/bb:v1'];

function run(lines: string[], profile: 'v29' | 'classic' = 'v29') {
  const trace = new Simulation(lines, { profile }).runToEnd();
  return { trace, output: cliOutput(trace) };
}

describe('docker push through the machines', () => {
  pushCases();
  mountCases();
  pushErrorCases();
});

function pushCases(): void {
  it('pushes each blob the registry lacks, then the manifest, and prints what docker prints', async () => {
    const lines = [...TAGGED, 'docker push localhost:5000/bb:v1'];
    const { trace, output } = run(lines);
    await expect(commandText(trace, 2, lines[2] ?? '')).toMatchFileSnapshot('__golden__/push.txt');
    const digest = /v1: digest: (sha256:[0-9a-f]{64}) size: (\d+)\n/.exec(output);
    expect(output).toContain(
      '$ docker push localhost:5000/bb:v1\nThe push refers to repository [localhost:5000/bb]\n2baa059dc48c: Preparing\n2baa059dc48c: Pushed\n',
    );
    expect(digest).not.toBeNull();
    const own = messagesOf(trace).filter((m) => m.command === 2 && m.to === 'Registry');
    // Engine 29 pushes with containerd's pusher: no ping, per blob HEAD, POST and one PUT
    // carrying the whole blob, then HEAD and PUT of the manifest under the tag.
    expect(own.map((m) => m.op)).toEqual([
      ...['head', 'post', 'put'].map((v) => `registry.${v}`),
      ...['head', 'post', 'put'].map((v) => `registry.${v}`),
      'registry.head',
      'registry.put',
    ]);
    // The blob travels by digest: no message carries its bytes.
    const put = own.find((m) => m.op === 'registry.put' && m.call.includes('/blobs/uploads/'));
    expect(put?.call).toMatch(/\?digest=sha256:2baa059dc48c…$/);
    expect((put?.payload as JsonObject | undefined)?.upload).toEqual({
      digest: expect.stringMatching(/^sha256:2baa059dc48c/) as unknown,
      size: 2152262,
      id: '2baa059dc48c',
    });
    const events = trace.entries.flatMap((e) => (e.type === 'docker-event' ? [e.event] : []));
    expect(events.at(-1)).toMatchObject({
      Action: 'push',
      Actor: { ID: 'localhost:5000/bb:v1', Attributes: { name: 'localhost:5000/bb' } },
    });
  });

  it('says "Layer already exists" for a blob the registry has, and pulls back what it pushed', () => {
    const { output } = run([
      ...TAGGED,
      'docker push localhost:5000/bb:v1',
      'docker push localhost:5000/bb:v1',
      'docker rmi localhost:5000/bb:v1',
      'docker pull localhost:5000/bb:v1',
    ]);
    const second = output.split('$ ')[4] ?? '';
    expect(second).toMatch(
      /^docker push localhost:5000\/bb:v1\nThe push refers to repository \[localhost:5000\/bb\]\n2baa059dc48c: Preparing\n2baa059dc48c: Layer already exists\nv1: digest: sha256:[0-9a-f]{64} size: 752\n$/,
    );
    expect(output).toContain('Status: Downloaded newer image for localhost:5000/bb:v1\n');
  });
}

function mountCases(): void {
  it('mounts a layer from the repository of the registry it was pulled from', () => {
    const { trace, output } = run([
      ...TAGGED,
      'docker push localhost:5000/bb:v1',
      'docker rmi localhost:5000/bb:v1',
      'docker pull localhost:5000/bb:v1',
      'docker tag localhost:5000/bb:v1 localhost:5000/other:v1',
      'docker push localhost:5000/other:v1',
    ]);
    expect(output).toContain('2baa059dc48c: Preparing\n2baa059dc48c: Mounted from bb\nv1: digest:');
    const mounts = messagesOf(trace).filter(
      (m) => m.command === 6 && m.op === 'registry.post' && m.kind === 'request',
    );
    expect(mounts.map((m) => m.call)).toEqual([
      'POST http://localhost:5000/v2/other/blobs/uploads/?mount=sha256:2baa059dc48c…&from=bb',
      'POST http://localhost:5000/v2/other/blobs/uploads/',
    ]);
  });
}

function pushErrorCases(): void {
  it('ends the stream with dockerd’s errors: nothing of the repository here, a missing tag, a denied upload', () => {
    const { trace, output } = run([
      ...TAGGED,
      'docker push localhost:5000/nothere:v1',
      'docker push localhost:5000/bb:nope',
      'docker push busybox',
    ]);
    expect(output).toContain(
      '$ docker push localhost:5000/nothere:v1\nThe push refers to repository [localhost:5000/nothere]\nAn image does not exist locally with the tag: localhost:5000/nothere\n',
    );
    expect(output).toContain(
      '$ docker push localhost:5000/bb:nope\nThe push refers to repository [localhost:5000/bb]\ntag does not exist: localhost:5000/bb:nope\n',
    );
    expect(output).toContain(
      'The push refers to repository [docker.io/library/busybox]\n2baa059dc48c: Preparing\n2baa059dc48c: Layer already exists\ndenied: requested access to the resource is denied\n',
    );
    const exits = trace.entries.flatMap((e) => (e.type === 'exit' ? [e.code] : []));
    expect(exits.slice(-3)).toEqual([1, 1, 1]);
  });

  it('pushes from the classic image store too, the layer read from dockerd’s layer store and named by its diff id', () => {
    const { trace, output } = run([...TAGGED, 'docker push localhost:5000/bb:v1'], 'classic');
    expect(output).toContain('10e94211296a: Preparing\n10e94211296a: Pushed\nv1: digest: sha256:');
    expect(goldenLines(trace).some((l) => l.includes('layer store: open 2baa059dc48c'))).toBe(true);
  });
}

/** A login request as the gateway sends it; the reply is what the CLI participant gets. */
function login(body: JsonObject): { lines: string[]; reply: Message | undefined; messages: Message[] } {
  const sim = new Simulation([]);
  const { wire } = sim.world;
  const call = 'POST /v1.50/auth';
  const id = wire.request(
    undefined,
    draft('CLI', 'dockerd', 'api.auth', call, {
      payload: { method: 'POST', path: '/v1.50/auth', query: {}, body },
    }),
  );
  const trace = sim.runToEnd();
  const messages = messagesOf(trace);
  return { lines: goldenLines(trace), reply: messages.find((m) => m.inReplyTo === id), messages };
}

describe('docker login through the machines', () => {
  it('meets Docker Hub’s Bearer challenge with a token asked for the account, and succeeds', async () => {
    const { lines, reply, messages } = login({
      username: 'alice',
      password: 's3cret',
      serveraddress: 'https://index.docker.io/v1/',
    });
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('__golden__/login.txt');
    expect(reply).toMatchObject({ status: '200', payload: { IdentityToken: '', Status: 'Login Succeeded' } });
    const token = messages.find(
      (m) =>
        m.op === 'registry.get' &&
        m.kind === 'request' &&
        String((m.payload as JsonObject).host) === 'auth.docker.io',
    );
    expect((token?.payload as JsonObject | undefined)?.path).toBe(
      '/token?account=alice&client_id=docker&offline_token=true&service=registry.docker.io',
    );
    expect((token?.payload as JsonObject | undefined)?.headers).toEqual({ Authorization: 'Basic …' });
    // The password is in the request's body only, never in what dockerd sends on.
    expect(
      messages.filter((m) => m.from === 'dockerd' && JSON.stringify(m.payload ?? {}).includes('s3cret')),
    ).toEqual([]);
  });

  it('logs in to a registry that asks for nothing at once', () => {
    const { reply, messages } = login({ username: 'bob', password: 'pw', serveraddress: 'localhost:5000' });
    expect(reply?.payload).toEqual({ IdentityToken: '', Status: 'Login Succeeded' });
    expect(messages.filter((m) => m.to === 'Registry').map((m) => m.call)).toEqual([
      'GET http://localhost:5000/v2/',
    ]);
  });
});

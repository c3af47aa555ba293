import { shortId } from '../../../model/digest.ts';
import { familiarName, parseReference } from '../../../model/image.ts';
import type { JsonObject } from '../../../model/json.ts';
import type { Message } from '../../../model/message.ts';
import type { OperationProgram } from '../../operation.ts';
import { replyDraft } from '../../post.ts';
import type { Daemon } from '../daemon.ts';
import type { ImageRecord } from '../records.ts';
import { apiRequest, asMessage } from './request.ts';

/**
 * `POST /build?dockerfile=…&t=…&version=1` with the context as a tar body — the legacy builder
 * (moby 20.10 api/server/router/build postBuild → builder/dockerfile). dockerd unpacks the
 * context into a temporary directory, hands it to the builder, and streams what the builder
 * writes as the 200 response; a Dockerfile that does not parse is a 400 before any output.
 * When the builder is done, dockerd tags the image (`Successfully tagged …`, an image `tag`
 * event for every `-t`, even when the tag already pointed there).
 */
export function* build(d: Daemon, req: Message): OperationProgram {
  const { query, body } = apiRequest(req);
  const files = (body.context ?? {}) as Record<string, string>;
  const tags = (body.tags ?? (query.t ? [query.t] : [])) as string[];
  const bytes = Number(body.bytes ?? 0);
  // ioutil.TempDir's name: docker-builder and a random number.
  const tmp = [...d.ports.ids.hex(10)].map((c) => parseInt(c, 16) % 10).join('');
  d.self(
    'dockerd.build.context',
    `untar build context (${bytes} bytes) → /var/lib/docker/tmp/docker-builder${tmp}`,
    { params: { bytes } },
  );
  const dockerfile = query.dockerfile ?? 'Dockerfile';
  const payload: JsonObject = {
    files,
    dockerfile,
    tags,
    noCache: query.nocache === '1',
    quiet: query.q === '1',
  };
  const reply = asMessage(
    yield d.call(
      'Builder',
      'builder.build',
      `builder.Build(dockerfile=${dockerfile}${tags.map((t) => `, t=${t}`).join('')}${query.nocache === '1' ? ', nocache' : ''})`,
      { payload, params: { dockerfile } },
    ),
  );
  const p = (reply?.payload ?? {}) as JsonObject;
  if (typeof p.parseError === 'string') return d.error(req, 400, p.parseError);
  if (!reply?.ok) {
    const message = String(p.error ?? 'build failed');
    const detail: JsonObject = { message, ...(typeof p.code === 'number' ? { code: p.code } : {}) };
    return d.reply(req, 200, [{ errorDetail: detail, error: message }], {
      ok: false,
      narration: 'api.build.failed',
      params: { error: message },
    });
  }
  const image = d.built.get(String(p.id));
  const stream: JsonObject[] = [];
  for (const tag of image ? tags : []) {
    const name = tagImage(d, image as ImageRecord, tag);
    if (query.q !== '1') stream.push({ stream: `Successfully tagged ${familiarName(name)}\n` });
  }
  d.reply(req, 200, stream, { params: { id: shortId(String(p.id)) } });
}

/** The reference store: the tag now names this image; an image left with no tag is `<none>`. */
function tagImage(d: Daemon, image: ImageRecord, tag: string): string {
  const name = parseReference(tag).string;
  const before = d.images.get(name);
  d.images.set(name, { ...image, name });
  d.untagged.delete(image.id);
  if (before && before.id !== image.id && ![...d.images.values()].some((r) => r.id === before.id))
    d.untagged.set(before.id, { ...before, name: '' });
  d.self('dockerd.imageStore.tag', `reference store: add ${familiarName(name)} → ${image.id.slice(7, 19)}`, {
    params: { ref: familiarName(name) },
  });
  d.emit('image', 'tag', image.id, { name: familiarName(name) });
  return name;
}

/**
 * `POST /session` and `POST /grpc` (moby api/server/router/session, router/grpc): dockerd
 * answers `101 Switching Protocols` and hands the connection over — the session to BuildKit's
 * session manager, which calls the CLI back through it; the gRPC one to BuildKit's control API.
 */
export function* hijack(d: Daemon, req: Message): OperationProgram {
  d.wire.reply(req, replyDraft(req.op, '101 Switching Protocols (Upgrade: h2c)', { status: '101' }));
  yield* [];
}

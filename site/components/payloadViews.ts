import { html, nothing, type TemplateResult } from 'lit';
import type { Lang } from '../../src/i18n/text.ts';
import type { Message } from '../../src/model/message.ts';
import type { JsonObject, JsonValue } from '../../src/model/json.ts';
import { ui } from '../i18n/ui.ts';

/**
 * What a payload really is, drawn the way a learner would meet it: an HTTP request (method,
 * host, path, query, headers, body), an HTTP reply (status, headers, body), a program's argv, the
 * OCI runtime spec (config.json) and mounts with their options. Anything else is only JSON.
 */
function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON, indented; a string that holds JSON (a registry body) is parsed first. */
export function pretty(value: JsonValue | undefined): string {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return JSON.stringify(JSON.parse(value) as unknown, null, 2);
    } catch {
      return value;
    }
  }
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function lines(obj: JsonObject, sep: string): string {
  return Object.entries(obj)
    .map(([k, v]) => `${k}${sep}${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
}

function field(label: string, value: string | undefined, block = false): TemplateResult | typeof nothing {
  if (value === undefined || value === '') return nothing;
  return html`<dt>${label}</dt>
    <dd>${block ? html`<pre tabindex="0">${value}</pre>` : html`<code>${value}</code>`}</dd>`;
}

function httpRequest(p: JsonObject, lang: Lang): TemplateResult | undefined {
  if (typeof p.method !== 'string' || typeof p.path !== 'string') return undefined;
  const query = isObject(p.query) && Object.keys(p.query).length ? lines(p.query, '=') : undefined;
  const headers = isObject(p.headers) && Object.keys(p.headers).length ? lines(p.headers, ': ') : undefined;
  return html`<h3>${ui('inspector.httpRequest', lang)}</h3>
    <dl class="http" id="http-request">
      ${field(ui('inspector.method', lang), p.method)}${field(ui('inspector.host', lang), typeof p.host === 'string' ? p.host : undefined)}
      ${field(ui('inspector.path', lang), p.path)}${field(ui('inspector.query', lang), query, true)}
      ${field(ui('inspector.headers', lang), headers, true)}${field(ui('inspector.body', lang), p.body === undefined ? undefined : pretty(p.body), true)}
    </dl>`;
}

function httpReply(m: Message, p: JsonValue | undefined, lang: Lang): TemplateResult | undefined {
  let status: string;
  let headers: string | undefined;
  let body: JsonValue | undefined;
  if (isObject(p) && typeof p.status === 'number' && isObject(p.headers)) {
    status = `${p.status} ${m.call.replace(/^\d+\s*/, '')}`.trim();
    headers = lines(p.headers, ': ');
    body = p.body;
  } else if (m.kind === 'reply' && m.from === 'dockerd' && m.to === 'CLI') {
    status = m.call;
    body = p;
  } else return undefined;
  return html`<h3>${ui('inspector.httpReply', lang)}</h3>
    <dl class="http" id="http-reply">
      ${field(ui('inspector.status', lang), `HTTP/1.1 ${status}`)}${field(ui('inspector.headers', lang), headers, true)}
      ${field(ui('inspector.body', lang), body === undefined ? undefined : pretty(body), true)}
    </dl>`;
}

function argv(m: Message, lang: Lang): TemplateResult | undefined {
  const words = m.call.match(/^(?:exec\s+)?((?:runc|containerd-shim\S*)\s.*)$/)?.[1]?.split(/\s+/);
  if (!words) return undefined;
  return html`<h3>${ui('inspector.argv', lang)}</h3>
    <pre tabindex="0" id="argv">${JSON.stringify(words, null, 1).replace(/\n\s*/g, ' ')}</pre>`;
}

function ociSpec(p: JsonObject, lang: Lang): TemplateResult | undefined {
  const spec =
    typeof p.ociVersion === 'string'
      ? p
      : isObject(p.spec) && typeof p.spec.ociVersion === 'string'
        ? p.spec
        : undefined;
  if (!spec) return undefined;
  return html`<h3>${ui('inspector.oci', lang)}</h3>
    ${typeof p.bundle === 'string' ? html`<p>${ui('inspector.bundle', lang)}: <code>${p.bundle}</code></p>` : nothing}
    <pre tabindex="0" id="oci">${JSON.stringify(spec, null, 2)}</pre>`;
}

function mounts(p: JsonObject, lang: Lang): TemplateResult | undefined {
  const list = Array.isArray(p.mounts)
    ? p.mounts
    : isObject(p.spec) && Array.isArray(p.spec.mounts)
      ? p.spec.mounts
      : undefined;
  const rows = (list ?? []).filter(isObject);
  if (rows.length === 0) return undefined;
  const text = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
  return html`<h3>${ui('inspector.mounts', lang)}</h3>
    <table id="mounts">
      <thead>
        <tr>
          <th>${ui('inspector.mountTarget', lang)}</th>
          <th>${ui('inspector.mountType', lang)}</th>
          <th>${ui('inspector.mountSource', lang)}</th>
          <th>${ui('inspector.mountOptions', lang)}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${text(r.destination) || '/'}</td>
              <td>${text(r.type)}</td>
              <td>${text(r.source)}</td>
              <td>
                ${(Array.isArray(r.options) ? r.options : []).map((o) => html`<code>${String(o)}</code> `)}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** The recognised views of a message's payload, or an empty list when it is only data. */
export function payloadViews(m: Message, lang: Lang): TemplateResult[] {
  const p = m.payload;
  const obj = isObject(p) ? p : undefined;
  const views = [
    obj && httpRequest(obj, lang),
    httpReply(m, p, lang),
    argv(m, lang),
    obj && ociSpec(obj, lang),
    obj && mounts(obj, lang),
  ];
  return views.filter((v): v is TemplateResult => v !== undefined);
}

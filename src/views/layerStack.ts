import { t, type Lang } from '../i18n/text.ts';
import { humanSize } from './docker/index.ts';
import type { HostContainer, HostSnapshot } from './host.ts';

/**
 * Each container's root filesystem as the overlay mount builds it
 * (https://docs.kernel.org/filesystems/overlayfs.html): one writable upper layer on top of the
 * image's read-only lower layers. A layer shared with another image or container is stored
 * once on disk; a write to a file from a lower layer first copies it up into the upper layer.
 */
function shortKey(key: string): string {
  return key.replace(/^sha256:/, '').slice(0, 12);
}

function containerStack(c: HostContainer, lang: Lang): string[] {
  const out = [`${c.name} (${c.id.slice(0, 12)}) ${c.image} — ${t(`view.status.${c.status}`, lang)}`];
  c.layers.forEach((layer, i) => {
    // Engine 29's init layer is its own snapshot (`<id>-init`) between the image and the container.
    const role = layer.writable
      ? t('view.layer.writable', lang)
      : layer.key.endsWith('-init')
        ? t('view.layer.init', lang)
        : t('view.layer.readonly', lang, { n: c.layers.length - i });
    const shared = layer.sharedWith.length
      ? `  ${t('view.layer.shared', lang, { with: layer.sharedWith.join(', ') })}`
      : '';
    out.push(
      `  ${layer.writable ? 'rw' : 'ro'}  ${shortKey(layer.key)}  ${humanSize(layer.size).padStart(8)}  ${role}  ${layer.dir}${shared}`,
    );
  });
  return out;
}

export function layerStack(host: HostSnapshot, lang: Lang = 'en'): string {
  if (host.containers.length === 0) return `${t('view.noContainers', lang)}\n`;
  const blocks = host.containers.map((c) => containerStack(c, lang).join('\n'));
  return `${t('view.layer.driver', lang, { driver: host.driver })}\n${blocks.join('\n')}\n`;
}

/** Namespaces, cgroup and bind mounts of each running container (`lsns`, `/sys/fs/cgroup/…`, `findmnt`). */
export function namespaces(host: HostSnapshot, lang: Lang = 'en'): string {
  const running = host.containers.filter((c) => c.pid > 0);
  if (running.length === 0) return `${t('view.noContainers', lang)}\n`;
  const out: string[] = [];
  for (const c of running) {
    out.push(`${c.name} (${c.id.slice(0, 12)}) pid ${c.pid}`);
    out.push(`  ${t('view.namespaces', lang)}: ${c.namespaces.join(' ')}`);
    if (c.cgroup) out.push(`  cgroup: ${c.cgroup}`);
    for (const [file, value] of Object.entries(c.limits)) out.push(`    ${file} = ${value}`);
    for (const bind of c.binds ?? []) out.push(`  ${t('view.bindMount', lang)}: ${bind}`);
  }
  return `${out.join('\n')}\n`;
}

import { t, type Lang } from '../i18n/text.ts';
import type { HostProcess, HostSnapshot } from './host.ts';

/**
 * The process tree as `pstree -p` draws it (https://man7.org/linux/man-pages/man1/pstree.1.html):
 * a single child continues the line with `───`, several children branch with `─┬─`, `├─` and
 * `└─`, and continuation columns carry `│`. Seed 003 shows an old Docker where the shim was a
 * child of containerd; containerd-shim-runc-v2 re-parents itself to PID 1 so it survives a
 * containerd restart, and this tree shows that.
 */
interface Node {
  label: string;
  children: Node[];
}

function label(p: HostProcess, lang: Lang): string {
  const marks = [
    p.frozen ? t('view.frozen', lang) : '',
    p.unmodelled ? t('view.notModelled', lang) : '',
  ].filter(Boolean);
  return `${p.comm}(${p.pid})${marks.length ? ` [${marks.join(', ')}]` : ''}`;
}

function buildTree(processes: readonly HostProcess[], lang: Lang): Node[] {
  const byParent = new Map<number, HostProcess[]>();
  const pids = new Set(processes.map((p) => p.pid));
  for (const p of processes) {
    const parent = pids.has(p.ppid) ? p.ppid : 0;
    byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
  }
  const node = (p: HostProcess): Node => ({
    label: label(p, lang),
    children: (byParent.get(p.pid) ?? [])
      .sort((a, b) => a.comm.localeCompare(b.comm) || a.pid - b.pid)
      .map(node),
  });
  return (byParent.get(0) ?? []).map(node);
}

function render(n: Node, indent: string, out: string[], line: string): void {
  const head = line + n.label;
  if (n.children.length === 0) {
    out.push(head);
    return;
  }
  const pad = indent + ' '.repeat(n.label.length);
  if (n.children.length === 1) {
    render(n.children[0] as Node, `${pad}   `, out, `${head}───`);
    return;
  }
  n.children.forEach((child, i) => {
    const lastChild = i === n.children.length - 1;
    const branch = i === 0 ? `${head}─┬─` : `${pad}${lastChild ? ' └─' : ' ├─'}`;
    render(child, `${pad}${lastChild ? '   ' : ' │ '}`, out, branch);
  });
}

export function pstree(host: HostSnapshot, lang: Lang = 'en'): string {
  const out: string[] = [];
  for (const root of buildTree(host.processes, lang)) render(root, '', out, '');
  return out.length ? `${out.join('\n')}\n` : '';
}

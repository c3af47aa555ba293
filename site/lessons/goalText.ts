import type { Lang } from '../../src/i18n/text.ts';
import { t } from '../../src/i18n/text.ts';
import type { FailsGoal, Goal } from '../../src/scenario/index.ts';

/** A lesson's goal entry as a sentence, in the reader's language. */
const STATUS_ZH: Record<string, string> = {
  created: '已创建',
  running: '运行中',
  paused: '已暂停',
  exited: '已退出',
};

export function goalText(g: Goal, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if ('container' in g) {
    const c = g.container;
    if (c.present === false) return zh ? `容器 ${c.name} 已删除` : `container ${c.name} is removed`;
    const status = c.status ? (zh ? STATUS_ZH[c.status] : c.status) : zh ? '存在' : 'exists';
    const code = c.exitCode === undefined ? '' : zh ? `，退出码 ${c.exitCode}` : `, exit code ${c.exitCode}`;
    return zh ? `容器 ${c.name}：${status}${code}` : `container ${c.name}: ${status}${code}`;
  }
  if ('image' in g)
    return zh
      ? `镜像 ${g.image.ref}${g.image.present ? '在本机' : '不在本机'}`
      : `image ${g.image.ref} ${g.image.present ? 'is on the host' : 'is not on the host'}`;
  if ('exit' in g)
    return zh
      ? `第 ${g.exit.step + 1} 步的命令以 ${g.exit.code} 退出`
      : `step ${g.exit.step + 1}'s command exits with ${g.exit.code}`;
  if ('fails' in g) return failsText(g.fails, lang);
  return zh
    ? `第 ${g.output.step + 1} 步输出 “${g.output.contains.trim()}”`
    : `step ${g.output.step + 1} prints “${g.output.contains.trim()}”`;
}

/** "A request GET /v2/…/manifests/… from dockerd to the registry fails with 404". */
function failsText(g: FailsGoal, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const who = (p: FailsGoal['from']) => (p ? t(`participant.${p}`, lang) : '');
  const ends =
    g.from || g.to
      ? zh
        ? `（${[who(g.from), who(g.to)].filter(Boolean).join(' → ')}）`
        : ` (${[who(g.from), who(g.to)].filter(Boolean).join(' → ')})`
      : '';
  const status = g.status ? (zh ? `，状态 ${g.status}` : ` with ${g.status}`) : '';
  return zh ? `请求 “${g.call}…”${ends}失败${status}` : `a request “${g.call}…”${ends} fails${status}`;
}

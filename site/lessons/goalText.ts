import type { Lang } from '../../src/i18n/text.ts';
import type { Goal } from '../../src/scenario/index.ts';

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
  return zh
    ? `第 ${g.output.step + 1} 步输出 “${g.output.contains.trim()}”`
    : `step ${g.output.step + 1} prints “${g.output.contains.trim()}”`;
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGS } from '../../src/i18n/text.ts';
import { answerOf, runScenario } from '../../src/scenario/index.ts';
import { loadScenarios } from '../../engine/scenario/load.ts';

/** Like Learn Git Branching running every level's solution: every lesson, run to its goal. */
const lessons = loadScenarios();

describe('every lesson in scenarios/', () => {
  it('there are at least fifteen, with distinct ids', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(15);
    expect(new Set(lessons.map((s) => s.id)).size).toBe(lessons.length);
  });

  it.each(lessons.map((s) => [s.id, s] as const))('%s reaches its goal headless', (_id, s) => {
    const run = runScenario(s);
    const failed = run.goals.filter((g) => !g.ok).map((g) => `${JSON.stringify(g.goal)}: ${g.actual}`);
    expect(failed).toEqual([]);
    expect(run.reached).toBe(true);
  });

  it.each(lessons.map((s) => [s.id, s] as const))('%s speaks every language in every text', (_id, s) => {
    const texts = [
      s.title,
      s.summary,
      ...s.steps.flatMap((x) => (x.intro ? [x.intro] : [])),
      ...s.notes.map((n) => n.text),
      ...s.questions.flatMap((q) => [q.ask, q.explain]),
      ...s.hints,
    ];
    for (const text of texts)
      for (const lang of LANGS) expect(text[lang]?.trim(), `${s.id}: ${JSON.stringify(text)}`).toBeTruthy();
  });

  it.each(lessons.map((s) => [s.id, s] as const))(
    '%s asks questions whose answers are among the choices',
    (_id, s) => {
      const run = runScenario(s);
      s.questions.forEach((q, i) => {
        const answer = answerOf(q, run.messages[(run.questionAt[i] ?? 0) - 1]);
        expect(answer).toBeDefined();
        if (q.choices.length > 0) expect(q.choices).toContain(answer);
      });
    },
  );
});

describe('dockstep scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockstep-scenario-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dockstep = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/dockstep.mjs', 'scenario', ...args], { encoding: 'utf8' });

  it('--list --format json gives every lesson with its titles in both languages', () => {
    const out = dockstep('--list', '--format', 'json');
    expect(out.status).toBe(0);
    const rows = JSON.parse(out.stdout) as { id: string; title: Record<string, string> }[];
    expect(rows.map((r) => r.id).sort()).toEqual(lessons.map((s) => s.id).sort());
    for (const r of rows) expect(Object.keys(r.title).sort()).toEqual(['en', 'zh-CN']);
  });

  it('--list answers the same from its index as from reading every lesson, in both formats', () => {
    // The first run may read the lessons and keep the index (engine/cli/lessonIndex.ts); the
    // second then answers from it. Both must say exactly what the lessons say.
    for (const format of ['text', 'json']) {
      const first = dockstep('--list', '--format', format);
      const second = dockstep('--list', `--format=${format}`);
      expect(first.status).toBe(0);
      expect(second).toMatchObject({ status: 0, stdout: first.stdout });
    }
    const text = dockstep('--list').stdout.trim().split('\n');
    expect(text.map((l) => l.split(/\s+/)[0]).sort()).toEqual(lessons.map((s) => s.id).sort());
  });

  it('--check exits 0 when the goal is reached and 1 when it is not', () => {
    expect(dockstep('stop-vs-kill', '--check')).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/goal reached\n$/),
    });
    const file = join(dir, 'wrong-goal.yaml');
    writeFileSync(
      file,
      'id: wrong-goal\nlevel: 1\ntitle: { en: W, zh-CN: 错 }\nsummary: { en: W, zh-CN: 错 }\nsteps:\n  - run: docker ps\ngoal:\n  - exit: { step: 0, code: 3 }\n',
    );
    const out = dockstep(file, '--check');
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('FAIL {"exit":{"step":0,"code":3}} (step 0 exited with 0)');
  });

  it("prints a lesson like dockstep sim, and its narration with the lesson's notes", () => {
    expect(dockstep('pause').stdout).toContain('$ docker pause sleeper\nsleeper\n');
    expect(dockstep('pause', '--format', 'narration', '--lang', 'zh-CN').stdout).toContain(
      '  ▸ 这是 cgroup v2 的冻结器',
    );
  });

  it("names a broken file's line and field on stderr and exits 1; an unknown lesson is a usage error", () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'id: broken\nlevel: 1\nsteps: 3\n');
    const out = dockstep(file);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`${file}:3:8: steps: expected a list, got number 3`);
    expect(out.stderr).toContain(`${file}:1:1: title: missing; expected a mapping of en, zh-CN`);
    expect(dockstep('no-such-lesson')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no scenario "no-such-lesson"'),
    });
  });
});

import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import { findRepeats, foldPlan } from '../../../src/views/fold.ts';
import { notedAt, toMermaid } from '../../../src/views/mermaid.ts';
import { messagesOf } from '../../../src/views/trace.ts';

const trace = new Simulation(['docker run -d --name web nginx'], { seed: 1 }).runToEnd();
const messages = messagesOf(trace);
const sameCall = (a: number, b: number): boolean => {
  const [x, y] = [messages[a - 1], messages[b - 1]];
  return (
    x !== undefined &&
    y !== undefined &&
    x.op === y.op &&
    x.from === y.from &&
    x.to === y.to &&
    x.kind === y.kind
  );
};

describe('finding repeated blocks', () => {
  it("finds the pull's per-layer work as consecutive repeats of the same calls between the same layers", () => {
    const repeats = findRepeats(messages, notedAt);
    const perLayer = repeats.find((r) => r.period >= 14);
    expect(perLayer).toBeDefined();
    if (!perLayer) return;
    expect(perLayer.count).toBeGreaterThanOrEqual(2);
    expect(perLayer.last - perLayer.first + 1).toBe(perLayer.period * perLayer.count);
    for (let seq = perLayer.first + perLayer.period; seq <= perLayer.last; seq++) {
      expect(sameCall(seq, perLayer.first + ((seq - perLayer.first) % perLayer.period))).toBe(true);
    }
    // Every iteration's calls: fetching a blob, writing it, and the snapshot it is unpacked into.
    const ops = messages.slice(perLayer.first - 1, perLayer.first - 1 + perLayer.period).map((m) => m.op);
    expect(ops).toEqual(
      expect.arrayContaining([
        'registry.get',
        'ctrd.Content.Write',
        'ctrd.Snapshots.Prepare',
        'ctrd.Diff.Apply',
        'ctrd.Snapshots.Commit',
      ]),
    );
  });

  it('never folds away a message that carries a block mark or a phase note', () => {
    for (const r of findRepeats(messages, notedAt)) {
      for (const m of messages.slice(r.first - 1, r.last))
        expect(m.block === undefined && !notedAt(m)).toBe(true);
    }
  });
});

describe('folding the diagram', () => {
  it('maps each step of a folded iteration to its twin in the first one, and keeps the other steps', () => {
    const plan = foldPlan(messages, { repeats: true }, notedAt);
    const [r] = [...plan.repeats.values()].filter((x) => x.period >= 14);
    if (!r) throw new Error('no per-layer block');
    expect(plan.shownAs(r.first + r.period + 2)).toBe(r.first + 2);
    expect(plan.shownAs(r.last + 1)).toBe(r.last + 1);
    expect(plan.drawn).not.toContain(r.first + r.period);
    expect(plan.drawn.length).toBeLessThan(messages.length);
  });

  it('draws a folded command with fewer arrows, only the columns in play, real step numbers, and Mermaid accepts it', async () => {
    const whole = toMermaid(trace, { command: 0, allParticipants: true });
    const folded = toMermaid(trace, { command: 0, fold: { repeats: true } });
    const arrows = (t: string) => t.split('\n').filter((l) => /^\s*\w+(-->>|->>|-\))\w+:/.test(l)).length;
    expect(arrows(folded)).toBeLessThan(arrows(whole));
    expect(folded).toMatch(/loop × \d+/);
    expect(folded).toMatch(/autonumber \d+/);
    expect(whole).toMatch(/participant Kernel/);
    await expect(mermaid.parse(folded)).resolves.toBeTruthy();
    const ps = new Simulation(['docker ps'], { seed: 1 }).runToEnd();
    const psText = toMermaid(ps, { command: 0, fold: {} });
    expect(psText).not.toMatch(/participant (containerd|runc|Kernel)/);
    await expect(mermaid.parse(psText)).resolves.toBeTruthy();
  });
});

describe('unfolding one block', () => {
  it('unfolds one block on its own: all its iterations drawn in a loop that says so, the others still folded', async () => {
    const folded = foldPlan(messages, { repeats: true }, notedAt);
    const blocks = [...folded.repeats.values()];
    const [one, other] = blocks;
    if (!one || !other) throw new Error('fewer than two folded blocks');
    const plan = foldPlan(messages, { repeats: true, open: new Set([one.first]) }, notedAt);
    expect(plan.repeats.get(one.first)?.open).toBe(true);
    expect(plan.repeats.get(other.first)?.open).toBeUndefined();
    expect(plan.drawn.length).toBe(folded.drawn.length + one.period * (one.count - 1));
    expect(plan.shownAs(one.first + one.period + 1)).toBe(one.first + one.period + 1);
    expect(plan.shownAs(other.first + other.period)).toBe(other.first);
    const text = toMermaid(trace, { command: 0, fold: { repeats: true, open: new Set([one.first]) } });
    expect(text).toContain(`all drawn`);
    expect(text).toContain(`one drawn`);
    const opened = text.split('\n').findIndex((l) => l.includes('all drawn'));
    const depth = (l: string | undefined) => (l ?? '').length - (l ?? '').trimStart().length;
    const lines = text.split('\n');
    const closing = lines.findIndex(
      (l, i) => i > opened && l.trim() === 'end' && depth(l) === depth(lines[opened]),
    );
    const inside = lines.slice(opened, closing).filter((l) => /^\s*\w+(-->>|->>|-\))\w+:/.test(l));
    expect(inside.length).toBe(one.period * one.count);
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });

  it('opens and closes a loop at the steps drawn when a hidden column leaves out either end of a block', async () => {
    const fold = { repeats: true, hidden: new Set(['Registry', 'Storage', 'Kernel'] as const) };
    const plan = foldPlan(messages, fold, notedAt);
    expect(plan.loopFrom.size).toBe(plan.loopTo.size);
    for (const at of plan.loopFrom.keys()) expect(plan.drawn).toContain(at);
    await expect(mermaid.parse(toMermaid(trace, { command: 0, fold }))).resolves.toBeTruthy();
  });
});

describe('hiding columns', () => {
  it('leaves out the messages of a hidden column and the column itself', async () => {
    const text = toMermaid(trace, { command: 0, fold: { hidden: new Set(['Storage', 'Kernel']) } });
    expect(text).not.toMatch(/Storage|Kernel/);
    const plan = foldPlan(messages, { hidden: new Set(['Storage']) });
    const toStorage = messages.find((m) => m.to === 'Storage');
    if (!toStorage) throw new Error('no Storage message');
    expect(plan.shownAs(toStorage.seq)).toBe(toStorage.seq - 1);
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });
});

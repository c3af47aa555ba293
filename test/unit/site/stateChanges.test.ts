import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/model/message.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { Stepper } from '../../../src/sim/stepper.ts';
import { readLayerStates, type LayerState } from '../../../src/views/layerStates.ts';
import { layerChange, stateChanges } from '../../../src/views/stateChanges.ts';
import { messagesOf } from '../../../src/views/trace.ts';

const RUN = 'docker run -d --name web nginx';
const messages = messagesOf(new Simulation([RUN], { seed: 1 }).runToEnd());
const stepper = new Stepper([RUN], { seed: 1 });

/** The layers' state records before and after step `seq`, as the inspector reads them. */
function changesAt(seq: number) {
  stepper.seek(seq - 1);
  const before = readLayerStates(stepper.world);
  stepper.seek(seq);
  return stateChanges(before, readLayerStates(stepper.world));
}

function first(op: string, kind: Message['kind'] = 'request'): Message {
  const m = messages.find((x) => x.op === op && x.kind === kind);
  if (!m) throw new Error(`no ${kind} ${op}`);
  return m;
}

describe('what a step changed, from the state records before and after it', () => {
  it('a new snapshot: the snapshotter spawns its machine and adds its key', () => {
    const storage = changesAt(first('storage.prepare').seq).find((c) => c.layer === 'Storage');
    expect(storage?.machines).toEqual([expect.objectContaining({ to: 'active' })]);
    expect(storage?.machines[0]?.from).toBeUndefined();
    const snapshots = storage?.tables.find((t) => t.name === 'snapshots');
    expect(snapshots).toMatchObject({ from: '0', to: '1' });
    expect(snapshots?.added).toHaveLength(1);
  });

  it('a committed snapshot: the machine moves to committed, its key becomes the chain id', () => {
    const storage = changesAt(first('storage.commit').seq).find((c) => c.layer === 'Storage');
    expect(storage?.machines).toEqual([expect.objectContaining({ from: 'active', to: 'committed' })]);
    const snapshots = storage?.tables.find((t) => t.name === 'snapshots');
    expect(snapshots?.added[0]).toMatch(/^sha256:/);
    expect(snapshots?.removed[0]).toMatch(/^extract-/);
  });

  it('an image name, an endpoint and a shim process appear at the steps that make them', () => {
    const image = changesAt(first('ctrd.Images.Create').seq).find((c) => c.layer === 'containerd');
    expect(image?.tables.find((t) => t.name === 'images')?.added).toEqual(['docker.io/library/nginx:latest']);
    const endpoint = changesAt(first('net.connect').seq).find((c) => c.layer === 'Network');
    expect(endpoint?.tables.find((t) => t.name === 'endpoints')?.added).toHaveLength(1);
    expect(endpoint?.machines[0]).toMatchObject({ to: 'attached' });
    const shim = changesAt(first('shim.start').seq).find((c) => c.layer === 'shim');
    expect(shim?.machines[0]).toMatchObject({ to: 'serving' });
  });

  it('a reply only read changes nothing in the layers', () => {
    const reply = messages.find((m, i) => m.kind === 'reply' && changesAt(m.seq).length === 0 && i > 0);
    expect(reply).toBeDefined();
  });
});

describe('comparing two records of a layer', () => {
  const state = (keys: string[], size = keys.length): LayerState => ({
    layer: 'Storage',
    value: '',
    machines: [],
    tables: [{ name: 'snapshots', size, keys }],
  });

  it('does not call a key that left the window of newest keys removed', () => {
    const change = layerChange(
      state(['a', 'b', 'c', 'd', 'e', 'f'], 6),
      state(['b', 'c', 'd', 'e', 'f', 'g'], 7),
    );
    expect(change?.tables[0]).toEqual({ name: 'snapshots', added: ['g'], removed: [], from: '6', to: '7' });
  });

  it('says nothing changed for equal records, and what went when a table shrank', () => {
    expect(layerChange(state(['a']), state(['a']))).toBeUndefined();
    expect(layerChange(state(['a', 'b']), state(['a']))?.tables[0]?.removed).toEqual(['b']);
  });
});

// The layers' states as the inspector shows them: computed in the core (src/views/layerStates.ts),
// where the real engine's trace stream uses them too.
export * from '../../src/views/layerStates.ts';

// The engine's real bridge network (README.md): one operation per file.
export { BridgeNetwork } from './network.ts';
export { ensureBridge, type BridgeEvidence } from './ensureBridge.ts';
export { createEndpoint, type EndpointEvidence, type EndpointRequest } from './createEndpoint.ts';
export { deleteEndpoint } from './deleteEndpoint.ts';
export { teardown, teardownUserBridge } from './teardown.ts';
export { countLeaks, type NetLeaks } from './leaks.ts';
export { writeEtcFiles, addHostsEntry, type EtcFiles, type EtcOptions } from './etcFiles.ts';
export type { NetOptions } from './config.ts';
export type { PortSpec } from './portRules.ts';
export type { EndpointRecord } from './store.ts';

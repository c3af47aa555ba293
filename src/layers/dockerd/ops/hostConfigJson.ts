import type { JsonObject } from '../../../model/json.ts';
import type { ContainerRecord } from '../records.ts';
import { MASKED_PATHS, READONLY_PATHS } from '../../../model/ociDefaults.ts';
import { portMap } from './containerFiles.ts';

/** The namespaces and security part, as 20.10 fills it for a create that sets none of it. */
function securityDefaults(): JsonObject {
  return {
    CapAdd: null,
    CapDrop: null,
    // cgroup v1 (this machine): the host's cgroup namespace (daemon/daemon_unix.go defaults).
    CgroupnsMode: 'host',
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    ConsoleSize: [0, 0],
    Isolation: '',
  };
}

/** HostConfig.Resources (moby api/types/container Resources), the record's limits among the zeros. */
function resources(c: ContainerRecord): JsonObject {
  const none: JsonObject[] = [];
  return {
    CpuShares: 0,
    Memory: c.memory,
    NanoCpus: c.nanoCpus ?? 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: none,
    BlkioDeviceReadBps: none,
    BlkioDeviceWriteBps: none,
    BlkioDeviceReadIOps: none,
    BlkioDeviceWriteIOps: none,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: none,
    DeviceCgroupRules: null,
    DeviceRequests: null,
    KernelMemory: 0,
    KernelMemoryTCP: 0,
    MemoryReservation: 0,
    // A create's -m alone gets twice the limit (daemon_unix.go adaptContainerSettings).
    MemorySwap: c.memorySwap ?? (c.memory > 0 ? c.memory * 2 : 0),
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: c.pidsLimit ?? null,
    Ulimits: none,
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
  };
}

/**
 * HostConfig as dockerd 20.10 keeps it (hostconfig.json) and shows it (inspect): every field of
 * moby's HostConfig in its order, what the create set among 20.10's defaults; Mounts (omitempty)
 * only when the create had some. https://github.com/moby/moby/blob/v20.10.24/api/types/container/host_config.go
 */
export function hostConfigJson(c: ContainerRecord): JsonObject {
  return {
    Binds: c.binds.length > 0 ? c.binds : null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: c.networkMode,
    PortBindings: portMap(c),
    RestartPolicy: { Name: c.restartPolicy.Name, MaximumRetryCount: c.restartPolicy.MaximumRetryCount },
    AutoRemove: c.autoRemove,
    VolumeDriver: '',
    VolumesFrom: null,
    ...securityDefaults(),
    ...resources(c),
    ...(c.mountSpecs.length > 0 ? { Mounts: c.mountSpecs } : {}),
    MaskedPaths: [...MASKED_PATHS],
    ReadonlyPaths: [...READONLY_PATHS],
  };
}

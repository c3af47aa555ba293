/**
 * Network driver: Docker's default `bridge` network as libnetwork builds it
 * (https://docs.docker.com/engine/network/drivers/bridge/).
 *
 * Lifecycle of an endpoint: at container start dockerd asks for an endpoint: IPAM allocates an
 * address from the bridge's subnet, the driver creates a veth pair, attaches one end to the
 * bridge (`docker0`) and moves the other into the container's network namespace as `eth0` with
 * the address and a default route via the bridge; published ports become DNAT rules. The
 * namespace is the one runc created for the container's init (the spec names no path for it):
 * dockerd hands it to libnetwork as the sandbox's key, bind-mounted under its sandbox id. At exit
 * the endpoint is deleted: the veth goes, the address returns to the pool, the rules are removed.
 *
 * Glossary: *sandbox* — the container's network namespace (`/var/run/docker/netns/<sandbox id[:12]>`);
 * *endpoint* — one attachment of a sandbox to a network; *IPAM* — IP address management;
 * *veth* — a virtual Ethernet pair, a cable with two ends; *DNAT* — destination NAT.
 */
export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface Endpoint {
  containerId: string;
  /** The network's name: `bridge` (docker0), or a user-defined network's. */
  network: string;
  networkId: string;
  ip: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  hostVeth: string;
  sandbox: string;
  ports: PortBinding[];
  /** The Linux bridge the host end is plugged into: docker0, or br-<network id, 12 hex>. */
  bridgeName?: string;
  /**
   * The names the embedded DNS server answers with this endpoint's address on a user-defined
   * network: the container's name, its `--network-alias`es and its short id.
   */
  dnsNames?: string[];
}

/**
 * A user-defined bridge network (`docker network create`): its own Linux bridge `br-<id12>` and
 * subnet, and the embedded DNS server (127.0.0.11 in each container) answering its containers'
 * names — which the default bridge never does.
 * https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge
 */
export interface UserNetwork {
  id: string;
  name: string;
  subnet: string;
  gateway: string;
  /** The Linux bridge: `br-` and the network id's first 12 hex digits. */
  bridge: string;
}

/** Where an endpoint goes when it is not the default bridge. */
export interface EndpointTarget {
  network: UserNetwork;
  /** `--network-alias` names, answered by the embedded DNS server besides the container's name. */
  aliases: string[];
}

export type EndpointResult = { ok: true; endpoint: Endpoint } | { ok: false; error: string };

export interface NetworkDriver {
  readonly bridge: { name: string; id: string; subnet: string; gateway: string };
  /**
   * `name` is the endpoint's name, the container's (libnetwork names endpoints after them);
   * `on` a user-defined network (the default bridge when absent); `sandboxId` is the sandbox's
   * id, which names its netns file (the container's id when absent).
   */
  createEndpoint(
    containerId: string,
    ports: PortBinding[],
    name?: string,
    on?: EndpointTarget,
    sandboxId?: string,
  ): EndpointResult;
  /** `network`: a user-defined network's name (the default bridge when absent). */
  deleteEndpoint(containerId: string, network?: string): Endpoint | undefined;
  endpoint(containerId: string, network?: string): Endpoint | undefined;
  /** Make a user-defined network's bridge (libnetwork's bridge driver CreateNetwork). */
  createNetwork?(network: UserNetwork): { ok: true } | { ok: false; error: string };
  /** Remove its bridge (DeleteNetwork); false when there was none. */
  deleteNetwork?(name: string): boolean;
  /**
   * The embedded DNS server's answer for `name` asked from `containerId`: an address on one of
   * the user-defined networks the container is on, or undefined (the name is forwarded to the
   * host's resolver). https://github.com/moby/moby/blob/v20.10.24/libnetwork/resolver.go
   */
  resolve?(containerId: string, name: string): string | undefined;
  /** Whether the container has an endpoint on a user-defined network (its DNS is dockerd's). */
  onUserNetwork?(containerId: string): boolean;
  /**
   * The key (netns file) of a sandbox with no endpoint: libnetwork gives `--network none` a
   * sandbox of its own, a namespace bound at `<netns dir>/<sandbox id[:12]>`, and `--network host`
   * the host's, `<netns dir>/default` (moby v20.10.24 libnetwork/sandbox.go, osl GenerateKey;
   * recorded: test/fixtures/real-engine/z3-gateway-sandbox.txt). Absent: the driver makes none.
   */
  sandboxKey?(sandboxId: string, host: boolean): string;
}

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
  network: string;
  networkId: string;
  ip: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  hostVeth: string;
  sandbox: string;
  ports: PortBinding[];
}

export type EndpointResult = { ok: true; endpoint: Endpoint } | { ok: false; error: string };

export interface NetworkDriver {
  readonly bridge: { name: string; id: string; subnet: string; gateway: string };
  /**
   * `name` is the endpoint's name, the container's (libnetwork names endpoints after them);
   * `sandboxId` is the sandbox's id, which names its netns file (the container's id when absent).
   */
  createEndpoint(
    containerId: string,
    ports: PortBinding[],
    name?: string,
    sandboxId?: string,
  ): EndpointResult;
  deleteEndpoint(containerId: string): Endpoint | undefined;
  endpoint(containerId: string): Endpoint | undefined;
}

import type { Catalogue } from '../index.ts';

/** The bridge network driver (libnetwork's `bridge`): endpoints, veth pairs, IP addresses. */
export const network: Catalogue = {
  'net.connect':
    'runc has created the container’s init in a new network namespace (Tasks.Create: the spec names no path for it, so runc unshares one). Before Tasks.Start, dockerd hands that namespace to libnetwork — SetKey on /proc/{pid}/ns/net, bind-mounted under the sandbox’s id — and asks the bridge driver to connect the container: an endpoint, an IP address, a veth pair, rules for published ports.',
  'net.connect.join':
    'The container is running, its network namespace made: dockerd asks the bridge driver to attach it to one more network — a new endpoint, an IP address on that network, a veth pair whose peer appears in the container as a new interface.',
  'net.connect.reply':
    'The bridge driver made a veth pair: {veth} stays on the host, plugged into the {bridge} bridge; its peer becomes eth0, with {ip}, inside the container’s network namespace. Published ports get iptables DNAT rules.',
  'net.disconnect':
    'The container has stopped, so dockerd asks the bridge driver to take it off the network: leave the network and delete the endpoint.',
  'net.disconnect.reply': 'The veth pair is deleted and the address {ip} goes back to the pool.',
  'net.connect.classic':
    'dockerd asks libnetwork’s bridge driver to connect the container to the default bridge network: create an endpoint, choose an IP address, make a veth pair. The container’s network namespace does not exist yet: runc will create it, and runc’s prestart hook `libnetwork-setkey` (dockerd’s own binary) hands it back to libnetwork.',
  'net.connect.reply.classic':
    'The bridge driver made a veth pair: {veth} stays on the host, plugged into the {bridge} bridge; its peer will become eth0, with {ip}, once runc has created the container’s network namespace and the libnetwork-setkey hook has given it to libnetwork. Published ports get iptables DNAT rules.',
};

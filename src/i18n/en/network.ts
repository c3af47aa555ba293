import type { Catalogue } from '../index.ts';

/** The bridge network driver (libnetwork's `bridge`): endpoints, veth pairs, IP addresses. */
export const network: Catalogue = {
  'net.connect':
    'dockerd asks libnetwork’s bridge driver to connect the container to the default bridge network: create an endpoint, choose an IP address, prepare a network namespace.',
  'net.connect.reply':
    'The bridge driver made a veth pair: {veth} stays on the host, plugged into the docker0 bridge; its peer becomes eth0, with {ip}, inside the container’s network namespace. Published ports get iptables DNAT rules.',
  'net.disconnect':
    'The container has stopped, so dockerd asks the bridge driver to take it off the network: leave the network and delete the endpoint.',
  'net.disconnect.reply': 'The veth pair is deleted and the address {ip} goes back to the pool.',
};

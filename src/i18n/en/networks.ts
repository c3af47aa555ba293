import type { Catalogue } from '../index.ts';

/**
 * User-defined networks: the network endpoints of the Engine API, the bridge driver's bridges,
 * and the embedded DNS server's queries and answers.
 * https://docs.docker.com/engine/network/drivers/bridge/
 */
export const networks: Catalogue = {
  'api.networks.create':
    'The CLI asks dockerd for a new network: `POST /networks/create` with its name, its driver (bridge) and any subnet you gave.',
  'api.networks.create.reply':
    'dockerd answers {status} with the new network’s id ({id}): a bridge of its own, a subnet of its own, and a DNS server for the containers on it.',
  'api.networks.list':
    'The CLI asks for every network: `GET /networks`. The CLI sorts them by name and prints ID, name, driver and scope.',
  'api.networks.list.reply':
    'dockerd answers with {count} networks: the three it always has (bridge, host, none) and the ones created with `docker network create`.',
  'api.networks.inspect': 'The CLI asks for one network by name or id: `GET /networks/…`.',
  'api.networks.inspect.reply':
    'dockerd answers with network {name}: its IPAM (subnet, gateway) and the containers attached to it, with their addresses.',
  'api.networks.delete': 'The CLI asks dockerd to remove the network: `DELETE /networks/…`.',
  'api.networks.delete.reply':
    'dockerd answers {status}: network {name} and its bridge are gone. (A network that still has containers is refused.)',
  'api.networks.connect':
    'The CLI asks dockerd to attach a container to the network: `POST /networks/…/connect`. A running container gets a second network interface at once.',
  'api.networks.connect.reply': 'dockerd answers {status}.',
  'api.networks.disconnect':
    'The CLI asks dockerd to take the container off the network: `POST /networks/…/disconnect`.',
  'api.networks.disconnect.reply': 'dockerd answers {status}.',
  'dockerd.listNetworks':
    'dockerd lists its {count} networks from libnetwork’s own store, without asking the driver.',
  'net.createNetwork':
    'dockerd has libnetwork’s bridge driver create network {name}: a Linux bridge {bridge} of its own, with subnet {subnet}. Containers on it are cut off from those on the default bridge.',
  'net.createNetwork.reply':
    'The bridge {bridge} exists and holds the gateway address {gateway} of {subnet}: it is the containers’ way out.',
  'net.deleteNetwork': 'dockerd has the bridge driver delete network {name}’s bridge {bridge}.',
  'net.deleteNetwork.reply': 'The bridge {bridge} is deleted; its subnet can be given to another network.',
  'dns.query':
    'A program in the container asks for `{name}`. Its /etc/resolv.conf says nameserver 127.0.0.11: an iptables rule in the container’s network namespace redirects the query to the socket dockerd’s embedded DNS server listens on there.',
  'dns.answer':
    'dockerd’s embedded DNS server knows `{name}`: a container (or an alias) on a network {from} is on. It answers {ip}. This is what the default bridge does not have.',
  'dns.answer.forward':
    '`{name}` is no container on {from}’s networks, so the embedded DNS server forwards the query to the host’s nameserver, which knows no such name either: NXDOMAIN.',
  'dns.query.host':
    'On the default bridge the container’s /etc/resolv.conf is a copy of the host’s: the query for `{name}` goes to the host’s nameserver {server}, which has never heard of a container. Answer: {answer}.',
};

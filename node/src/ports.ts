/**
 * The networks and their fixed default ports (README §Default ports, docs/node.md §Default ports).
 * `--network` (`BAIOS_NETWORK`, the config file's `network`; default `devnet`) picks the row for
 * the node (RPC {@link NetworkPorts.rpc}, p2p {@link NetworkPorts.p2p} via {@link defaultP2pListen}),
 * for `baios init`'s config file and for the wallet (its default `--rpc` and `wallet rpc --port`),
 * so `baios init --network X`, `baios node --network X` and `baios --network X wallet …` meet
 * without port flags. `baios devnet` node `i` uses the devnet ports + 10·i. {@link defaultConfig}
 * (embedding, tests) listens for no p2p, so a test never binds a fixed port.
 * Light: imports nothing (the wallet's `--help` path reads it).
 * @module
 */

/** The network names, in the order `--help` lists them. */
export const NETWORKS = ["mainnet", "testnet", "devnet"] as const;
/** One of {@link NETWORKS}. */
export type NetworkName = (typeof NETWORKS)[number];
/** The network when nothing names one: the devnet (the built-in genesis is the devnet's). */
export const DEFAULT_NETWORK: NetworkName = "devnet";

/** TCP ports of one network: node JSON-RPC, node p2p (libp2p TCP) and wallet RPC. */
export interface NetworkPorts {
  rpc: number;
  p2p: number;
  walletRpc: number;
}

/** The fixed default ports by network name. */
export const NETWORK_PORTS = {
  mainnet: { rpc: 28545, p2p: 28544, walletRpc: 28546 },
  testnet: { rpc: 38545, p2p: 38544, walletRpc: 38546 },
  devnet: { rpc: 48545, p2p: 48544, walletRpc: 48546 },
} as const satisfies Record<NetworkName, NetworkPorts>;

/** The p2p listen multiaddr for a port on all IPv4 interfaces: `/ip4/0.0.0.0/tcp/<port>`. */
export const p2pListenAddr = (port: number): string => `/ip4/0.0.0.0/tcp/${port}`;

/** What `baios node` listens on for p2p when nothing sets `p2pListen`: the network's p2p port on all IPv4 interfaces. */
export const defaultP2pListen = (network: NetworkName): string[] => [p2pListenAddr(NETWORK_PORTS[network].p2p)];

/** The node JSON-RPC URL a wallet uses by default on `network`: `http://127.0.0.1:<rpc port>`. */
export const defaultRpcUrl = (network: NetworkName): string => `http://127.0.0.1:${NETWORK_PORTS[network].rpc}`;

/**
 * Fixed default ports of each network (README §Default ports, docs/node.md §Default ports).
 * `baios node` listens for p2p on {@link DEFAULT_P2P_LISTEN} unless `--p2p-listen` /
 * `BAIOS_P2P_LISTEN` / the config file says otherwise; `baios init` writes the same (mainnet) ports
 * for any network, matching the wallet's default `--rpc`; `baios devnet` node `i` uses the devnet's
 * ports + 10·i. {@link defaultConfig}
 * (embedding, tests) listens for no p2p, so a test never binds a fixed port.
 * @module
 */

/** TCP ports of one network: node JSON-RPC, node p2p (libp2p TCP) and wallet RPC. */
export interface NetworkPorts {
  rpc: number;
  p2p: number;
  walletRpc: number;
}

/** The fixed default ports by network name (`mainnet`, `testnet`, `devnet`). */
export const NETWORK_PORTS = {
  mainnet: { rpc: 28545, p2p: 28544, walletRpc: 28546 },
  testnet: { rpc: 38545, p2p: 38544, walletRpc: 38546 },
  devnet: { rpc: 48545, p2p: 48544, walletRpc: 48546 },
} as const satisfies Record<string, NetworkPorts>;

/** The p2p listen multiaddr for a port on all IPv4 interfaces: `/ip4/0.0.0.0/tcp/<port>`. */
export const p2pListenAddr = (port: number): string => `/ip4/0.0.0.0/tcp/${port}`;

/** What `baios node` listens on for p2p when nothing sets `p2pListen`: the mainnet p2p port (the node's RPC default, 28545, is mainnet's too). */
export const DEFAULT_P2P_LISTEN: readonly string[] = [p2pListenAddr(NETWORK_PORTS.mainnet.p2p)];

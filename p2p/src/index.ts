/**
 * `@baios/p2p`: the network the node and the consensus engine talk through (docs/p2p.md,
 * docs/protocol.md §14).
 *
 * - {@link P2P}: a registry of gossip topics (validator → ACCEPT/IGNORE/REJECT) and
 *   request/response protocols; {@link createP2P} implements it over libp2p (TCP, noise, yamux,
 *   gossipsub, identify, peer exchange) with size caps, connection/stream limits, peer scoring
 *   and bans; {@link MemoryP2P} implements it in-process for unit tests.
 * - The legacy `Network`/`LoopbackNetwork` (one method per message) stays until the node moved over.
 * @module
 */
export * from "./types.ts";
export * from "./legacy.ts";
export { createP2P } from "./libp2p.ts";
export { MemoryHub, MemoryP2P } from "./memory.ts";
export { peerIdentity, peerKeyPath } from "./peer-key.ts";

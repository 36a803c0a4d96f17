/**
 * {@link createP2P}: the libp2p implementation of {@link P2P} (docs/p2p.md). Work in progress.
 * @module
 */
import type { P2P, P2POptions } from "./types.ts";

/**
 * Creates (does not start) a libp2p node: TCP, noise, yamux, gossipsub, identify, peer exchange.
 * Loads or creates the persistent peer key `<dataDir>/p2p/peer.key` (0600).
 */
export async function createP2P(opts: P2POptions): Promise<P2P> {
  void opts;
  throw new Error("createP2P: not implemented yet");
}

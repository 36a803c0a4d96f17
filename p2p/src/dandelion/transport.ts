/**
 * What the Dandelion++ router needs from a network, and what it reports. The node implements
 * {@link DandelionTransport} over libp2p (a stem request/response protocol to one peer, the
 * gossip `tx` topic for fluff); the simulator (p2p/sim/) implements it over simulated links,
 * so both run the same {@link DandelionRouter}.
 * @module
 */

/** A peer's identifier (the libp2p PeerId string in the node, a node index in the simulator). */
export type PeerId = string;

/** The router's view of the network. Calls must not re-enter the router synchronously. */
export interface DandelionTransport {
  /**
   * Currently connected peers that THIS node dialled (outbound). Stem relays are drawn only from
   * these, so an adversary cannot make itself a relay just by connecting to us (paper §4.2).
   */
  outboundPeers(): readonly PeerId[];
  /**
   * Sends a stem tx to exactly one peer. Returns false when it cannot be sent (peer gone, stream
   * refused); the router then picks another relay or fluffs. Delivery need not be confirmed: a
   * relay that drops it silently is covered by the embargo timer.
   * @param txid tx id (hex); @param bytes `encodeTx(tx)` wire bytes (docs/protocol.md §10.1)
   */
  sendStem(peer: PeerId, txid: string, bytes: Uint8Array): boolean;
  /**
   * Fluffs: the tx becomes public. The node moves it into the mempool (now visible to RPC and
   * metrics) and gossips it on the `tx` topic.
   */
  fluff(txid: string, bytes: Uint8Array): void;
}

/** Why a router fluffed a transaction. */
export type FluffReason =
  /** This node is a fluff node this epoch and received a stem tx. */
  | "fluff-mode"
  /** The embargo timer fired before the tx was seen fluffed (black hole, slow stem). */
  | "embargo"
  /** The stem tx came back to a node that already held it. */
  | "loop"
  /** A received stem tx found no usable outbound relay. */
  | "no-relay"
  /** The stempool was full; its earliest-due entry was fluffed to make room. */
  | "stempool-full";

/** Router events, for metrics, logs and tests. Contain no tx bytes. */
export type DandelionEvent =
  | { kind: "epoch"; index: number; at: number; fluffMode: boolean; relays: PeerId[] }
  | { kind: "stem"; txid: string; to: PeerId; own: boolean }
  | { kind: "fluff"; txid: string; reason: FluffReason; own: boolean }
  | { kind: "relay-failed"; peer: PeerId }
  | { kind: "held"; txid: string };

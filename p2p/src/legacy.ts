/**
 * The first, one-method-per-message network interface and its in-process loopback
 * (kept until the node has moved to the generic {@link P2P} registry in ./types.ts).
 * @deprecated use `P2P` (`createP2P`, `MemoryP2P`).
 * @module
 */
import type { ErrorAction, SignedVote } from "@baios/consensus";
import type { PeerId, Verdict } from "./types.ts";

/** Gossip topics; names are versioned like the hash tags. */
export const TOPICS = {
  /** Transactions in the fluff phase (broadcast). */
  tx: "/baios/v1/tx",
  /** Proposed/finalized blocks with their certificate. */
  block: "/baios/v1/block",
  /** Prevotes and precommits (BFT issue). */
  vote: "/baios/v1/vote",
} as const;

/** A gossip topic name. */
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Dandelion++ phase of a transaction broadcast (Fanti et al. 2018): in the stem phase a tx is
 * relayed to exactly one stem peer per epoch; with probability `fluffProbability` (or when the
 * embargo timer fires) it is fluffed, i.e. gossiped on {@link TOPICS.tx}.
 * Placeholder parameters follow Monero's: 2 stem relays, 10-minute epochs, q = 0.2.
 */
export type TxPhase = "stem" | "fluff";

/** Dandelion++ parameters (placeholders until the p2p issue). */
export interface DandelionConfig {
  /** Probability (per mille) that a node fluffs instead of stemming, 0..=1000. Default 200 (q = 0.2). */
  fluffPerMille: number;
  /** Epoch length in ms after which stem peers are re-drawn. Default 600 000. */
  epochMs: number;
  /** Mean embargo in ms before a stemmed tx is fluffed by its holder. Default 39 000. */
  embargoMeanMs: number;
  /** Number of outbound stem relays per epoch. Default 2. */
  stemRelays: number;
}

/** Default Dandelion++ parameters (Monero's, see /work/shared/ANCHORS.md). */
export const DEFAULT_DANDELION: Readonly<DandelionConfig> = Object.freeze({ fluffPerMille: 200, epochMs: 600_000, embargoMeanMs: 39_000, stemRelays: 2 });

/** A transaction message: the tx's wire bytes (docs/protocol.md §10.1), and its Dandelion++ phase. */
export interface TxMessage {
  phase: TxPhase;
  /** `encodeTx(tx)` bytes. */
  bytes: Uint8Array;
}

/** A block message: the block and, once final, its certificate. */
export interface BlockMessage {
  /** `encodeBlock(block)` bytes. */
  block: Uint8Array;
  /** `encodeCertificate(cert)` bytes, or undefined for a BFT proposal not yet final. */
  certificate?: Uint8Array;
  /** BFT round of the proposal (0 for the single validator). */
  round: number;
}

/** Handlers the node registers; each returns the verdict used for relaying and peer scoring. */
export interface NetworkHandlers {
  onTx(msg: TxMessage, from: PeerId): Promise<Verdict>;
  onBlock(msg: BlockMessage, from: PeerId): Promise<Verdict>;
  onVote(vote: SignedVote, from: PeerId): Promise<Verdict>;
}

/**
 * The node's view of the network. Implementations: {@link LoopbackNetwork} (tests) now;
 * libp2p + gossipsub + Dandelion++ in the p2p issue. Sync of missing blocks (request/response)
 * uses {@link Network.requestBlocks}.
 */
export interface Network {
  /** Starts listening and dialling. */
  start(handlers: NetworkHandlers): Promise<void>;
  /** Stops and closes connections. */
  stop(): Promise<void>;
  /** Our own peer id. */
  readonly peerId: PeerId;
  /** Currently connected peers. */
  peers(): PeerId[];
  /** Publishes a transaction (stem: to one stem relay; fluff: gossip). */
  publishTx(msg: TxMessage): Promise<void>;
  /** Publishes a block proposal or a finalized block. */
  publishBlock(msg: BlockMessage): Promise<void>;
  /** Publishes a vote (BFT issue). */
  publishVote(vote: SignedVote): Promise<void>;
  /** Asks a peer for finalized blocks `from..from+count−1` (each with its certificate). */
  requestBlocks(peer: PeerId, from: bigint, count: number): Promise<BlockMessage[]>;
  /** Reports misbehaviour (REJECT verdicts lower the peer's score; enough of them ban it). */
  reportPeer(peer: PeerId, action: ErrorAction, reason: string): void;
}

/** In-process hub connecting {@link LoopbackNetwork}s (tests, local devnets). */
export class LoopbackHub {
  readonly nodes = new Map<PeerId, LoopbackNetwork>();
  /** Finalized blocks served by {@link Network.requestBlocks}, per peer. */
  readonly served = new Map<PeerId, (from: bigint, count: number) => BlockMessage[]>();
}

/**
 * A {@link Network} delivering every message to every other node on the same hub
 * (no stem phase: every tx is fluffed). Penalties are recorded in {@link LoopbackNetwork.reports}.
 */
export class LoopbackNetwork implements Network {
  readonly peerId: PeerId;
  readonly reports: { peer: PeerId; action: ErrorAction; reason: string }[] = [];
  private readonly hub: LoopbackHub;
  private handlers: NetworkHandlers | undefined;

  constructor(hub: LoopbackHub, peerId: PeerId) {
    this.hub = hub;
    this.peerId = peerId;
  }
  async start(handlers: NetworkHandlers): Promise<void> {
    this.handlers = handlers;
    this.hub.nodes.set(this.peerId, this);
  }
  async stop(): Promise<void> {
    this.hub.nodes.delete(this.peerId);
    this.handlers = undefined;
  }
  peers(): PeerId[] {
    return [...this.hub.nodes.keys()].filter((p) => p !== this.peerId);
  }
  private async each(f: (h: NetworkHandlers) => Promise<Verdict>): Promise<void> {
    for (const [id, n] of this.hub.nodes) {
      if (id === this.peerId || n.handlers === undefined) continue;
      const v = await f(n.handlers);
      if (v === "REJECT") n.reportPeer(this.peerId, "REJECT", "invalid message");
    }
  }
  async publishTx(msg: TxMessage): Promise<void> {
    await this.each((h) => h.onTx({ phase: "fluff", bytes: msg.bytes }, this.peerId));
  }
  async publishBlock(msg: BlockMessage): Promise<void> {
    await this.each((h) => h.onBlock(msg, this.peerId));
  }
  async publishVote(vote: SignedVote): Promise<void> {
    await this.each((h) => h.onVote(vote, this.peerId));
  }
  async requestBlocks(peer: PeerId, from: bigint, count: number): Promise<BlockMessage[]> {
    return this.hub.served.get(peer)?.(from, count) ?? [];
  }
  reportPeer(peer: PeerId, action: ErrorAction, reason: string): void {
    this.reports.push({ peer, action, reason });
  }
}

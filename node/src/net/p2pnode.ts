/**
 * The node on the p2p network (docs/node.md §Network): registers the node's gossip topics and
 * request/response protocols on a {@link P2P} (libp2p in production, `MemoryP2P` in unit
 * tests), runs {@link Syncer}, relays transactions (Dandelion++ stem/fluff through
 * net/dandelion.ts) and announces the blocks this node produces.
 *
 * | kind | name | cap (bytes) | payload (net/wire.ts) | handling |
 * |---|---|---|---|---|
 * | topic | `tx` | `params.maxTxBytes` | tx wire bytes | fluffed tx → full check → mempool; verdict from the ConsensusError |
 * | topic | `block` | `maxBlockBytes + 65 536 + 4` | `u32 len ‖ block ‖ certificate` | certificate first, then import; ahead of our tip → sync |
 * | topic | `vote` | 4 096 | vote bytes | placeholder (BFT issue): IGNORE |
 * | request | `status` | 0 → 48 | → `u64 height ‖ hash ‖ u64 tail` | our finalized tip and the lowest height whose body we serve (docs/pruning.md) |
 * | request | `headers` | 12 → 1 MiB | range → certified headers | at most {@link MAX_RANGE} |
 * | request | `blocks` | 12 → `maxBlockBytes + 65 536 + 64` or 8 MiB | range → certified blocks | as many as fit the cap; a range starting below our tail: `NOT_FOUND` "pruned below height T" |
 * | request | `snapshot` | 12 → 24 + 4 MiB | `u64 height ‖ u32 chunk` → one chunk of the state snapshot | ../sync/snapshot-protocol.ts, docs/sync.md §5 |
 *
 * At most 8 `headers` and 4 `blocks` answers are built at once node-wide (more: `BUSY`, IGNORE),
 * which bounds the memory a crowd of requesters can pin.
 * | request | `stem` | `params.maxTxBytes` → 0 | tx wire bytes | Dandelion++ stem relay (full check, stempool) |
 *
 * Every id carries the chain id and a version (`/baios/<chainIdHex>/…/1`, @baios/p2p).
 * @module
 */
import { P2PError, ProtocolError, type P2P, type PeerInfo, type ProtocolSpec, type TopicSpec, type Verdict } from "@baios/p2p";
import { decodeBlock, decodeCertificate, blockHash, equalBytes, verifyFinalityCertificate, isConsensusError, type ChainParams, type ValidatorSet } from "@baios/consensus";
import { Gauge } from "prom-client";
import type { Chain, CommittedBlock } from "../chain.ts";
import type { BlockImporter } from "../import.ts";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "../metrics.ts";
import { verdictOf } from "./handlers.ts";
import { Syncer, SYNC_BATCH, type SyncState } from "./sync.ts";
import type { CheckedTx, TxIntake } from "./txrelay.ts";
import type { NetworkStatusJson } from "../rpc/methods.ts";
import { decodePair, decodePairs, decodeRange, decodeStatus, encodePair, encodePairs, encodeRange, encodeStatus } from "./wire.ts";
import { registerSnapshotProtocol } from "../sync/snapshot-protocol.ts";
import { registerSetChainProtocol } from "../sync/set-chain.ts";

/** Most heights one `headers`/`blocks` request may ask for. */
export const MAX_RANGE = 64;
/** Cap of a certificate on the wire (consensus DEFAULT_MAX_CERT_BYTES). */
const CERT_MAX = 65_536;
/** Cap of a `headers` response. */
const HEADERS_RESPONSE_MAX = 1 << 20;
/** Cap of the vote placeholder topic. */
const VOTE_MAX = 4096;
/** Range requests served at once, node-wide (bounds memory: each answer is built in full before it is sent). */
const MAX_CONCURRENT_SERVES = { header: 8, block: 4 } as const;

/** Stem/fluff routing of transactions (net/dandelion.ts implements it over @baios/p2p's DandelionRouter). */
export interface TxRouter {
  /** `submit_tx` of our own transaction: checked in full, then always stemmed (not in the public mempool until fluffed). @returns the txid */
  submitOwn(bytes: Uint8Array): Promise<Uint8Array>;
  /** Is the tx held in the stempool? */
  holds(txid: Uint8Array): boolean;
  /** A stem transaction from `from`: checked in full here, then kept in the stempool and relayed or fluffed. */
  onStem(bytes: Uint8Array, from: string): Promise<Verdict>;
  /** A fluffed transaction seen on gossip: when the stempool holds these very bytes they leave it (embargo stops) and the checked copy is returned. */
  takeFluffed(txid: Uint8Array, bytes: Uint8Array): CheckedTx | undefined;
  /** Registers protocols/timers. */
  start(): void;
  stop(): void;
  /** Counts for status/metrics that reveal nothing about which tx is stemmed. */
  info(): Record<string, number>;
}

/** What `status` shows about the network (docs/node.md §Methods). */
export interface NetworkStatus {
  peerId: string;
  addresses: string[];
  peers: PeerInfo[];
  bans: { id: string; until: number; reason: string }[];
  sync: SyncState;
  dandelion: Record<string, number> | undefined;
}

/** Construction options of {@link NodeNetwork}. */
export interface NodeNetworkOptions {
  p2p: P2P;
  chain: Chain;
  params: ChainParams;
  /** The validator set in force after the tip (consensus/executor.ts). */
  validatorSet: () => ValidatorSet;
  /** The consensus topics (`candidate`, `proposal`, `vote`, `evidence`; consensus/topics.ts), registered with the others. */
  consensusTopics?: readonly TopicSpec[];
  /** The consensus request protocols (`candidate`: a block candidate by hash; consensus/topics.ts). */
  consensusProtocols?: readonly ProtocolSpec[];
  intake: TxIntake;
  importer: BlockImporter;
  metrics: NodeMetrics;
  log: Logger;
  /** Publish the blocks this node commits (a validator). */
  announceBlocks: boolean;
  /** Background sync period in ms (default 5000). */
  syncIntervalMs?: number;
  /** Heights per sync request (default SYNC_BATCH). */
  syncBatch?: number;
  /** Dandelion++ routing; without it own transactions are fluffed directly. */
  makeRouter?: (net: NodeNetwork) => TxRouter;
}

/** The node's side of the network (see the module doc). */
export class NodeNetwork {
  readonly p2p: P2P;
  readonly syncer: Syncer;
  readonly router: TxRouter | undefined;
  readonly #o: NodeNetworkOptions;
  readonly #off: (() => void)[] = [];
  /** Bytes of the largest `blocks` response. */
  readonly blocksResponseMax: number;

  constructor(o: NodeNetworkOptions) {
    this.#o = o;
    this.p2p = o.p2p;
    this.blocksResponseMax = Math.max(8 << 20, o.params.maxBlockBytes + CERT_MAX + 64);
    const p = o.p2p;
    const { chain, params } = o;
    this.syncer = new Syncer({
      transport: {
        peers: () => p.peers().map((x) => x.id),
        status: async (peer) => decodeStatus(await p.request(peer, "status", new Uint8Array(0), { timeoutMs: 5000 })),
        headers: async (peer, from, count) =>
          decodePairs(await p.request(peer, "headers", encodeRange(from, count), { timeoutMs: 10_000 }), count).map(([header, certificate]) => ({ header, certificate })),
        blocks: async (peer, from, count) =>
          decodePairs(await p.request(peer, "blocks", encodeRange(from, count), { timeoutMs: 30_000 }), count).map(([block, certificate]) => ({ block, certificate })),
        penalise: (peer, action, reason) => p.reportPeer(peer, action, reason),
      },
      importer: o.importer,
      chain,
      params,
      validatorSet: o.validatorSet,
      log: o.log.child({ mod: "sync" }),
      batch: Math.min(o.syncBatch ?? SYNC_BATCH, MAX_RANGE),
      ...(o.syncIntervalMs === undefined ? {} : { intervalMs: o.syncIntervalMs }),
    });

    p.registerTopic({ name: "tx", maxBytes: params.maxTxBytes, validate: (bytes) => this.#onFluffTx(bytes) });
    p.registerTopic({ name: "block", maxBytes: params.maxBlockBytes + CERT_MAX + 4, validate: (bytes, from) => this.#onBlock(bytes, from) });
    for (const t of o.consensusTopics ?? []) p.registerTopic(t);
    for (const r of o.consensusProtocols ?? []) p.registerProtocol(r);
    if (!(o.consensusTopics ?? []).some((t) => t.name === "vote")) p.registerTopic({ name: "vote", maxBytes: VOTE_MAX, validate: async () => "IGNORE" });

    // state snapshots for verified fast sync (docs/sync.md §5)
    registerSnapshotProtocol(p, chain);
    registerSetChainProtocol(p, chain);
    p.registerProtocol({ name: "status", maxRequestBytes: 0, maxResponseBytes: 48, handler: async () => encodeStatus(chain.tip.height, chain.tipHash, chain.store.tail) });
    p.registerProtocol({
      name: "headers",
      maxRequestBytes: 12,
      maxResponseBytes: HEADERS_RESPONSE_MAX,
      handler: async (req) => this.#serveRange(req, "header", HEADERS_RESPONSE_MAX),
    });
    p.registerProtocol({
      name: "blocks",
      maxRequestBytes: 12,
      maxResponseBytes: this.blocksResponseMax,
      maxInboundStreams: 2,
      handler: async (req) => this.#serveRange(req, "block", this.blocksResponseMax),
    });
    this.router = o.makeRouter?.(this);
    const r = this.router;
    if (r !== undefined) o.intake.extraKnown = (id) => r.holds(id);
  }

  /** Starts the transport, the sync rounds and the Dandelion++ router. */
  async start(): Promise<void> {
    const { p2p, chain, log } = this.#o;
    this.router?.start();
    await p2p.start();
    this.#off.push(p2p.on("peer:connect", () => this.syncer.trigger()));
    if (this.#o.announceBlocks) {
      const l = (b: CommittedBlock): void => {
        void this.#publishBlock(Number(b.height)).catch((e: unknown) => log.warn({ err: (e as Error).message }, "block publish failed"));
      };
      chain.listeners.add(l);
      this.#off.push(() => void chain.listeners.delete(l));
    }
    this.#registerMetrics();
    this.syncer.start();
  }

  /** Stops sync, the router and the transport. */
  async stop(): Promise<void> {
    for (const f of this.#off.splice(0)) f();
    await this.syncer.stop();
    this.router?.stop();
    await this.#o.p2p.stop();
  }

  /**
   * `submit_tx` on this node: with Dandelion++ the tx is checked and stemmed (kept out of the
   * public mempool until fluffed); without it, it enters the mempool and is gossiped.
   * @returns the txid (32 bytes) @throws as {@link TxIntake.check}
   */
  async submitOwn(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.router !== undefined) return this.router.submitOwn(bytes);
    const id = await this.#o.intake.submit(bytes);
    void this.publishTx(bytes).catch((e: unknown) => this.#o.log.debug({ err: (e as Error).message }, "tx publish failed"));
    return id;
  }

  /** Gossips (fluffs) a transaction. */
  async publishTx(bytes: Uint8Array): Promise<number> {
    return this.#o.p2p.publish("tx", bytes);
  }

  /** The network part of `status`. */
  status(): NetworkStatus {
    const p = this.#o.p2p;
    return { peerId: p.peerId, addresses: p.addresses(), peers: p.peers(), bans: p.bans(), sync: { ...this.syncer.state }, dandelion: this.router?.info() };
  }

  async #publishBlock(height: number): Promise<void> {
    const b = await this.#o.chain.store.getBlock(height);
    const c = await this.#o.chain.store.getCertificate(height);
    if (b !== undefined && c !== undefined) await this.#o.p2p.publish("block", encodePair(b, c));
  }

  async #onFluffTx(bytes: Uint8Array): Promise<Verdict> {
    try {
      const { intake } = this.#o;
      const held = this.router?.takeFluffed(intake.idOf(bytes), bytes);
      if (held !== undefined) {
        // our stem copy, already checked in full: only the chain-dependent checks again
        await intake.recheckAgainstChain(held.tx);
        intake.accept(held);
        return "ACCEPT";
      }
      await intake.submit(bytes);
      return "ACCEPT";
    } catch (e) {
      return verdictOf(e);
    }
  }

  async #onBlock(bytes: Uint8Array, from: string): Promise<Verdict> {
    const { chain, params, importer, validatorSet } = this.#o;
    try {
      const [blockBytes, certBytes] = decodePair(bytes);
      const block = decodeBlock(blockBytes, params.maxBlockBytes);
      const height = block.header.height;
      const tip = BigInt(chain.tip.height);
      if (height <= tip) {
        const ours = await chain.header(Number(height));
        if (ours !== undefined && equalBytes(blockHash(ours), blockHash(block.header))) return "IGNORE";
      }
      if (height > tip + 1n) {
        // ahead of us: its certificate must hold before we spend anything on it, then sync fetches the gap
        verifyFinalityCertificate(decodeCertificate(certBytes), { chainId: params.chainId, height, blockHash: blockHash(block.header), validatorSet: validatorSet() });
        this.syncer.trigger();
        return "IGNORE";
      }
      const r = await importer.importBlock(blockBytes, certBytes);
      return r === "imported" ? "ACCEPT" : "IGNORE";
    } catch (e) {
      this.#o.log.debug({ err: (e as Error).message, peer: from }, "block from peer not imported");
      return isConsensusError(e) ? e.action : "IGNORE";
    }
  }

  readonly #serving = { header: 0, block: 0 };

  async #serveRange(req: Uint8Array, kind: "header" | "block", budget: number): Promise<Uint8Array> {
    if (this.#serving[kind] >= MAX_CONCURRENT_SERVES[kind]) throw new ProtocolError("BUSY", `too many ${kind} requests in flight; retry later`);
    this.#serving[kind]++;
    try {
      return await this.#buildRange(req, kind, budget);
    } finally {
      this.#serving[kind]--;
    }
  }

  async #buildRange(req: Uint8Array, kind: "header" | "block", budget: number): Promise<Uint8Array> {
    let r;
    try {
      r = decodeRange(req);
    } catch (e) {
      throw new ProtocolError("BAD_REQUEST", (e as Error).message, "REJECT");
    }
    if (r.count === 0 || r.count > MAX_RANGE) throw new ProtocolError("BAD_REQUEST", `count must be 1..${MAX_RANGE}`, "REJECT");
    const store = this.#o.chain.store;
    // a pruned node keeps bodies and certificates only from its tail (headers below it live in the cascade)
    if (Math.max(r.from, 1) < store.tail) throw new ProtocolError("NOT_FOUND", `pruned below height ${store.tail}`);
    const items: [Uint8Array, Uint8Array][] = [];
    let size = 4;
    const last = Math.min(r.from + r.count - 1, this.#o.chain.tip.height);
    for (let h = Math.max(r.from, 1); h <= last; h++) {
      const a = kind === "header" ? await store.getHeader(h) : await store.getBlock(h);
      const c = await store.getCertificate(h);
      if (a === undefined || c === undefined) break;
      if (size + 8 + a.length + c.length > budget) break;
      size += 8 + a.length + c.length;
      items.push([a, c]);
    }
    return encodePairs(items);
  }

  #registerMetrics(): void {
    const registers = [this.#o.metrics.registry];
    const p2p = this.#o.p2p;
    const sync = this.syncer;
    const have = (n: string): boolean => this.#o.metrics.registry.getSingleMetric(n) !== undefined;
    if (have("baios_p2p_peers")) return;
    new Gauge({
      name: "baios_p2p_peers",
      help: "Connected peers, by direction",
      labelNames: ["direction"],
      registers,
      collect() {
        const ps = p2p.peers();
        this.set({ direction: "inbound" }, ps.filter((x) => x.direction === "inbound").length);
        this.set({ direction: "outbound" }, ps.filter((x) => x.direction === "outbound").length);
      },
    });
    new Gauge({
      name: "baios_p2p_peer_score",
      help: "Application score of each connected peer (REJECTs lower it; a ban below the threshold)",
      labelNames: ["peer"],
      registers,
      collect() {
        this.reset();
        for (const x of p2p.peers()) this.set({ peer: x.id }, x.score);
      },
    });
    new Gauge({
      name: "baios_p2p_banned_peers",
      help: "Peers currently banned",
      registers,
      collect() {
        this.set(p2p.bans().length);
      },
    });
    new Gauge({
      name: "baios_sync_target_height",
      help: "Highest finalized height claimed by a peer in the last sync round",
      registers,
      collect() {
        this.set(sync.state.targetHeight);
      },
    });
    new Gauge({
      name: "baios_sync_state",
      help: "Sync state (1 for the current one): idle, syncing, synced, behind",
      labelNames: ["state"],
      registers,
      collect() {
        for (const s of ["idle", "syncing", "synced", "behind"]) this.set({ state: s }, sync.state.state === s ? 1 : 0);
      },
    });
    new Gauge({
      name: "baios_sync_imported_blocks",
      help: "Blocks imported by sync since start",
      registers,
      collect() {
        this.set(sync.state.imported);
      },
    });
    new Gauge({
      name: "baios_sync_peer_penalties",
      help: "Peers reported (REJECT) by sync for serving bad headers or blocks, since start",
      registers,
      collect() {
        this.set(sync.state.penalties);
      },
    });
  }
}

/** True when `e` is a transport error of @baios/p2p. */
export function isP2PError(e: unknown): e is P2PError {
  return e instanceof P2PError;
}

/** The `network` member of the `status` RPC answer; peer lists and addresses are left out when `restricted`. */
export function networkStatusJson(net: NodeNetwork, restricted: boolean): NetworkStatusJson {
  const s = net.status();
  return {
    peerId: s.peerId,
    addresses: restricted ? [] : s.addresses,
    peerCount: s.peers.length,
    peers: restricted ? [] : s.peers.map((p) => ({ id: p.id, direction: p.direction, address: p.address, score: p.score })),
    bans: restricted ? [] : s.bans.map((b) => ({ id: b.id, until: b.until, reason: b.reason })),
    sync: { state: s.sync.state, targetHeight: s.sync.targetHeight, imported: s.sync.imported, penalties: s.sync.penalties, lastError: s.sync.lastError ?? null },
    dandelion: s.dandelion ?? null,
  };
}

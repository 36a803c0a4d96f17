/**
 * Block sync (docs/node.md §Sync): a node that starts late or restarts catches up with its
 * peers by itself.
 *
 * One round: ask up to `fanout` peers for their finalized tip (`status`), pick the highest
 * claim, then walk from our tip in batches of at most `batch` heights:
 *  1. ask a peer for the batch's finalized **headers with their certificates** and check every
 *     certificate (one Ed25519 signature per validator, far cheaper than a block) against the
 *     header's hash and the validator set, and that the headers chain by `prevHash`;
 *  2. ask a peer (round-robin over the peers that claimed the height) for the **blocks with their
 *     certificates** of that range; each block must hash to the checked header, and is then
 *     imported by {@link BlockImporter} (full validation, certificate again, commit);
 *  3. only then ask for the next batch.
 * A peer that serves a header/certificate/block that fails a check is reported with the
 * `ConsensusError`'s action (`REJECT` → its score drops; enough of them ban it) and the round
 * moves on to another peer. A peer that serves nothing is skipped without penalty.
 * Rounds run at start, when a peer connects, and every `intervalMs`; one at a time.
 * @module
 */
import {
  ConsensusError,
  blockHash,
  decodeBlock,
  decodeCertificate,
  decodeHeader,
  equalBytes,
  isConsensusError,
  verifyFinalityCertificate,
  type BlockHeader,
  type ChainParams,
  type ValidatorSet,
} from "@baios/consensus";
import type { ErrorAction } from "@baios/consensus";
import type { Chain } from "../chain.ts";
import type { BlockImporter } from "../import.ts";
import type { Logger } from "../log.ts";

/** Default heights per sync request (headers and blocks). */
export const SYNC_BATCH = 32;
/** Default number of peers asked for their tip per round. */
export const SYNC_FANOUT = 4;

/** A peer's finalized tip as it claims it. */
export interface PeerTip {
  height: number;
  /** 32 bytes. */
  hash: Uint8Array;
  /** Lowest height whose block body the peer serves (a pruned node, docs/pruning.md); absent or 0: every body. */
  tail?: number;
}

/** One finalized header (wire bytes, protocol.md §10) with its certificate bytes. */
export interface CertifiedHeader {
  header: Uint8Array;
  certificate: Uint8Array;
}

/** One finalized block (wire bytes) with its certificate bytes. */
export interface CertifiedBlock {
  block: Uint8Array;
  certificate: Uint8Array;
}

/** What sync needs from the network (request/response protocols, peer list, scoring). */
export interface SyncTransport {
  peers(): string[];
  /** The peer's finalized tip, or undefined when it does not answer. */
  status(peer: string): Promise<PeerTip | undefined>;
  /** Headers `from..from+count−1` with certificates (may be fewer). */
  headers(peer: string, from: number, count: number): Promise<CertifiedHeader[]>;
  /** Blocks `from..from+count−1` with certificates (may be fewer). */
  blocks(peer: string, from: number, count: number): Promise<CertifiedBlock[]>;
  /** Lowers the peer's score (REJECT) or just notes it (IGNORE). */
  penalise(peer: string, action: ErrorAction, reason: string): void;
}

/** The sync state shown by `status` and `/metrics`. */
export interface SyncState {
  /** `idle` (never ran), `syncing` (a round is running), `synced` (our tip ≥ every claim seen last round), `behind` (last round could not reach the best claim). */
  state: "idle" | "syncing" | "synced" | "behind";
  /** Highest finalized height claimed by a peer in the last round (our own tip when no peer answered). */
  targetHeight: number;
  /** Blocks imported by sync since start. */
  imported: number;
  /** Peers reported for serving bad data since start. */
  penalties: number;
  /** Last round's end (ms since the epoch), 0 before the first. */
  lastRoundMs: number;
  /** Why the last round stopped short, when it did. */
  lastError: string | undefined;
}

/** Construction options of {@link Syncer}. */
export interface SyncerOptions {
  transport: SyncTransport;
  importer: BlockImporter;
  chain: Chain;
  params: ChainParams;
  /** The validator set in force after the tip (the staking state's; header certificates are checked against it). */
  validatorSet: () => ValidatorSet;
  log: Logger;
  /** Heights per request (default {@link SYNC_BATCH}). */
  batch?: number;
  /** Peers asked for their tip per round (default {@link SYNC_FANOUT}). */
  fanout?: number;
  /** Period of the background rounds in ms (default 5000; 0 = no timer). */
  intervalMs?: number;
  /** Called after each block imported by sync. */
  onImported?: (height: number) => void;
}

/** Catches this node up with its peers (see the module doc). */
export class Syncer {
  readonly #o: SyncerOptions;
  readonly state: SyncState = { state: "idle", targetHeight: 0, imported: 0, penalties: 0, lastRoundMs: 0, lastError: undefined };
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(opts: SyncerOptions) {
    this.#o = opts;
    this.state.targetHeight = opts.chain.tip.height;
  }

  /** Starts the background rounds (and runs one now). */
  start(): void {
    const ms = this.#o.intervalMs ?? 5000;
    if (ms > 0) {
      this.#timer = setInterval(() => this.trigger(), ms);
      this.#timer.unref();
    }
    this.trigger();
  }

  /** Stops the timer and waits for a running round. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** Asks for a round (coalesced with one already running). */
  trigger(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.round()
      .catch((e: unknown) => {
        this.#o.log.warn({ err: (e as Error).message }, "sync round failed");
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.trigger();
        }
      });
  }

  /** Waits for the running round, if any. */
  async settled(): Promise<void> {
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
  }

  #penalise(peer: string, e: unknown, what: string): void {
    const action: ErrorAction = isConsensusError(e) ? e.action : "IGNORE";
    const reason = `${what}: ${(e as Error).message}`;
    if (action === "REJECT") this.state.penalties++;
    this.#o.log.info({ peer, action, reason }, "sync: peer served bad data");
    this.#o.transport.penalise(peer, action, reason);
  }

  /** One sync round (see the module doc). */
  async round(): Promise<void> {
    const { transport, chain, log } = this.#o;
    const batch = this.#o.batch ?? SYNC_BATCH;
    this.state.state = "syncing";
    this.state.lastError = undefined;
    try {
      const peers = shuffle(transport.peers()).slice(0, this.#o.fanout ?? SYNC_FANOUT);
      const tips = (await Promise.all(peers.map(async (p) => ({ peer: p, tip: await transport.status(p).catch(() => undefined) })))).filter(
        (x): x is { peer: string; tip: PeerTip } => x.tip !== undefined,
      );
      const target = tips.reduce((m, x) => Math.max(m, x.tip.height), chain.tip.height);
      this.state.targetHeight = target;
      let sources = tips.filter((x) => x.tip.height > chain.tip.height).map((x) => x.peer);
      // bodies below a pruned peer's tail come from the others (archive nodes); headers from anyone
      const tailOf = new Map(tips.map((x) => [x.peer, x.tip.tail ?? 0]));
      let turn = 0;
      while (chain.tip.height < target && sources.length > 0 && !this.#stopped) {
        const from = chain.tip.height + 1;
        const want = Math.min(batch, target - chain.tip.height);
        const peer = sources[turn++ % sources.length]!;
        const drop = (): void => {
          sources = sources.filter((p) => p !== peer);
        };
        // 1. headers + certificates, every certificate checked before anything else is asked; a
        // pruned peer has neither bodies nor certificates below its tail (docs/pruning.md)
        if ((tailOf.get(peer) ?? 0) > from) {
          if (!sources.some((p) => (tailOf.get(p) ?? 0) <= from)) {
            this.state.lastError = `no peer serves block bodies from height ${from} (the peers have pruned them); connect to an archive node`;
            break;
          }
          continue;
        }
        let headers: BlockHeader[];
        try {
          headers = this.#checkHeaders(await transport.headers(peer, from, want), from);
        } catch (e) {
          this.#penalise(peer, e, "headers");
          drop();
          continue;
        }
        if (headers.length === 0) {
          drop();
          continue;
        }
        // 2. the blocks of those heights (another peer in turn when several claim them)
        const serving = sources.filter((p) => (tailOf.get(p) ?? 0) <= from);
        const blockPeer = serving.length === 0 ? undefined : (serving[turn % serving.length] ?? serving[0]);
        if (blockPeer === undefined) {
          this.state.lastError = `no peer serves block bodies from height ${from} (the peers have pruned them); connect to an archive node`;
          break;
        }
        const got = await transport.blocks(blockPeer, from, headers.length).catch(() => [] as CertifiedBlock[]);
        let progressed = false;
        for (const [i, m] of got.slice(0, headers.length).entries()) {
          try {
            const block = decodeBlock(m.block, this.#o.params.maxBlockBytes);
            if (!equalBytes(blockHash(block.header), blockHash(headers[i]!))) throw new ConsensusError("BLOCK_TX_ROOT_MISMATCH", `block at height ${from + i} does not match its certified header`);
            if ((await this.#o.importer.importBlock(m.block, m.certificate)) === "imported") this.state.imported++; // "known": gossip was first
            progressed = true;
            this.#o.onImported?.(chain.tip.height);
          } catch (e) {
            if (isConsensusError(e)) {
              this.#penalise(blockPeer, e, "block");
              sources = sources.filter((p) => p !== blockPeer);
            } else log.debug({ err: (e as Error).message }, "sync: block not imported");
            break;
          }
        }
        if (!progressed && got.length === 0) sources = sources.filter((p) => p !== blockPeer);
      }
      if (chain.tip.height < target && this.state.lastError === undefined) this.state.lastError = `stopped at ${chain.tip.height} of ${target}: no peer served the next blocks`;
      this.state.state = chain.tip.height >= target ? "synced" : "behind";
    } catch (e) {
      this.state.state = "behind";
      this.state.lastError = (e as Error).message;
      throw e;
    } finally {
      this.state.lastRoundMs = Date.now();
    }
  }

  /** Decodes and checks a batch of certified headers (certificate per header, `prevHash` chain from our tip). @throws ConsensusError */
  #checkHeaders(list: CertifiedHeader[], from: number): BlockHeader[] {
    const { chain, params, validatorSet } = this.#o;
    const out: BlockHeader[] = [];
    let prev = chain.tipHash;
    for (const [i, h] of list.entries()) {
      const header = decodeHeader(h.header);
      if (header.height !== BigInt(from + i)) throw new ConsensusError("BLOCK_BAD_HEIGHT", `header ${i} has height ${header.height}, expected ${from + i}`);
      if (!equalBytes(header.parentHash, prev)) throw new ConsensusError("BLOCK_BAD_PARENT", `header at height ${from + i} does not extend the previous one`);
      const hash = blockHash(header);
      verifyFinalityCertificate(decodeCertificate(h.certificate), { chainId: params.chainId, height: header.height, blockHash: hash, validatorSet: validatorSet() });
      out.push(header);
      prev = hash;
    }
    return out;
  }
}

function shuffle<T>(a: T[]): T[] {
  const r = [...a];
  for (let i = r.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [r[i], r[j]] = [r[j]!, r[i]!];
  }
  return r;
}

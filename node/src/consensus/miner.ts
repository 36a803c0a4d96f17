/**
 * The candidate miner (docs/consensus.md §1, whitepaper §6.1): any node with a payout address
 * builds a block on the finalized tip from its mempool and grinds the header's `powNonce` until
 * the block hash meets the block target. A found candidate goes to the candidate pool and the
 * `candidate` topic. With an empty mempool it mines an empty (pulse) candidate, so blocks keep
 * coming on an idle network.
 *
 * The miner is rate-limited (`hashesPerSecond`): grinding runs in slices of 1/20 s, so mining
 * never takes more than its share of a core from validation. The template is rebuilt when the
 * tip moves and every `refreshMs` (to take in new transactions). One candidate per height per
 * miner: after finding one it waits for the next height.
 * @module
 */
import { randomScalar } from "@baios/crypto";
import { assembleBlock, blockHash, blockWireOverhead, encodeBlock, encodeEvidence, encodeUnbond, mineBlock, mineBlockYielding, stakingStateHash, type Address, type Block, type ChainParams, type Evidence, type FinalityCertificate, type Unbond } from "@baios/consensus";
import type { Chain } from "../chain.ts";
import type { Logger } from "../log.ts";
import type { Mempool } from "../mempool.ts";
import type { ChainExecutor } from "./executor.ts";

/** The tip moved while a template was being built (not an error: the miner starts over on the new tip). */
class TipMoved extends Error {}

/** Construction options of {@link CandidateMiner}. */
export interface MinerOptions {
  params: ChainParams;
  chain: Chain;
  mempool: Mempool;
  executor: ChainExecutor;
  /** Coinbase payout address (view and spend public keys, 32 bytes each). */
  payout: Address;
  /** Hash attempts per second (default 20 000); the devnet's block target is set for its miners' total. */
  hashesPerSecond?: number;
  /** Rebuild the template after this long on one tip (ms, default 1 000). */
  refreshMs?: number;
  /** The certificate of the tip to carry as lastCertificate (with the extra precommits the engine saw); default: the stored one. */
  lastCertificate?: (tipHeight: bigint) => FinalityCertificate | undefined;
  /** Unbond requests and evidence waiting for inclusion. */
  pending?: () => { unbonds: Unbond[]; evidence: Evidence[] };
  /** false: mine only while the mempool holds a transaction (no pulse candidates). Default true. */
  emptyBlocks?: boolean;
  /** A candidate was found (block, wire bytes, hash). */
  onCandidate: (c: { block: Block; bytes: Uint8Array; hash: Uint8Array }) => void;
  log?: Logger;
}

/** See the module docs. */
export class CandidateMiner {
  readonly #o: MinerOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Candidates found (metrics, tests). */
  found = 0;

  constructor(opts: MinerOptions) {
    this.#o = opts;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run().catch((e: unknown) => this.#o.log?.error({ err: e instanceof Error ? e.message : String(e) }, "miner stopped"));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /**
   * Builds a candidate on the tip and grinds without the rate limit until it is found (tests,
   * `produceBlock`); hands it to `onCandidate` and returns it.
   */
  async mineOnce(): Promise<{ block: Block; bytes: Uint8Array; hash: Uint8Array }> {
    while (this.#o.executor.stakingState.height !== BigInt(this.#o.chain.tip.height)) await new Promise((r) => setTimeout(r, 2));
    const tpl = await this.#template();
    const header = await mineBlockYielding({ ...tpl.header, powNonce: BigInt(Math.floor(Math.random() * 2 ** 48)) }, { chunk: 8192 });
    if (header === undefined) throw new Error("nonce space exhausted");
    const block: Block = { ...tpl, header };
    const c = { block, bytes: encodeBlock(block), hash: blockHash(header) };
    this.found++;
    this.#o.onCandidate(c);
    return c;
  }

  /** The tip moved: stop grinding on the old template. */
  tipChanged(): void {
    this.#wake?.();
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(t);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #run(): Promise<void> {
    const o = this.#o;
    const rate = Math.max(100, o.hashesPerSecond ?? 20_000);
    const slice = Math.max(1, Math.floor(rate / 20));
    const refresh = o.refreshMs ?? 1000;
    let doneAt = -1n;
    while (this.#running) {
      const tip = BigInt(o.chain.tip.height);
      // the executor's staking state catches up with a commit just after the chain's listeners ran
      if (tip === doneAt || o.executor.stakingState.height !== tip || (o.emptyBlocks === false && o.mempool.size === 0)) {
        await this.#sleep(200);
        continue;
      }
      let tpl: Block;
      try {
        tpl = await this.#template();
      } catch (e) {
        if (e instanceof TipMoved) continue; // build on the new tip
        o.log?.warn({ err: e instanceof Error ? e.message : String(e) }, "candidate template failed");
        await this.#sleep(500);
        continue;
      }
      const built = Date.now();
      let nonce = BigInt(Math.floor(Math.random() * 2 ** 48));
      while (this.#running && BigInt(o.chain.tip.height) === tip && Date.now() - built < refresh) {
        const started = Date.now();
        const header = mineBlock(tpl.header, { maxTries: slice, startNonce: nonce });
        nonce += BigInt(slice);
        if (header !== undefined) {
          const block: Block = { ...tpl, header };
          const bytes = encodeBlock(block);
          this.found++;
          o.onCandidate({ block, bytes, hash: blockHashOf(block) });
          doneAt = tip;
          break;
        }
        await this.#sleep(Math.max(0, 50 - (Date.now() - started)));
      }
    }
  }

  async #template(): Promise<Block> {
    const o = this.#o;
    const parent = o.chain.tipHeader;
    const height = parent.height + 1n;
    const ex = o.executor;
    const lastCertificate = o.lastCertificate?.(parent.height) ?? (await o.chain.certificate(Number(parent.height)));
    if (lastCertificate === undefined) throw new Error(`no certificate for the tip ${parent.height}`);
    const pend = o.pending?.() ?? { unbonds: [], evidence: [] };
    const bodyExtra = pend.unbonds.reduce((n, u) => n + encodeUnbond(u).length, 0) + pend.evidence.reduce((n, e) => n + encodeEvidence(e).length, 0);
    const room = o.params.maxBlockBytes - blockWireOverhead(o.params.maxBlockTxs, o.params.maxOutputs, o.params.maxValidators) - bodyExtra;
    const entries = o.mempool.select(room, o.params.maxBlockTxs);
    const txs = entries.map((e) => e.tx);
    // a commit may have landed during the awaits above: this template would be stale
    if (ex.stakingState.height !== parent.height || BigInt(o.chain.tip.height) !== parent.height) throw new TipMoved();
    const t = ex.transition({ header: { height }, txs, lastCertificate, unbonds: pend.unbonds, evidence: pend.evidence });
    const now = BigInt(Date.now());
    const a = await assembleBlock({
      params: o.params,
      parent,
      mmr: o.chain.mmr,
      headerRoot: await o.chain.headerRoot(),
      superParents: o.chain.superParents,
      kiset: o.chain.kiset,
      txs,
      timeMs: now > parent.timeMs ? now : parent.timeMs + 1n,
      blockTarget: await ex.nextTarget(),
      nextValidatorsHash: t.nextSet.hash,
      stakingStateHash: stakingStateHash(t.state),
      lastCertificate,
      unbonds: pend.unbonds,
      evidence: pend.evidence,
      payouts: t.payouts,
      rewardTo: o.payout,
      coinbaseSecret: randomScalar(),
    });
    return a.block;
  }
}

function blockHashOf(b: Block): Uint8Array {
  return blockHash(b.header);
}

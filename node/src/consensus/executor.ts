/**
 * The block executor (docs/consensus.md §6): the one place where the node builds, validates and
 * commits blocks. The miner asks it for a candidate template, the BFT driver asks it to validate
 * a proposed candidate and to commit a decided one, and the block importer (sync) commits
 * certified blocks through it. It also owns the staking state (docs/consensus.md §5): the
 * state after the tip lives in memory and is written with every block, in the block's batch
 * (`S ‖ u64be(height)`), so a crash never separates the two.
 *
 * Order of a commit: staking transition → `Chain.commitBlock` (block, certificate, outputs,
 * payouts, staking state in one LevelDB batch) → in-memory state → mempool pruning → listeners.
 * @module
 */
import {
  ConsensusError,
  applyStakingBlock,
  checkEvidence,
  checkStakingInput,
  decodeStakingState,
  equalBytes,
  encodeStakingState,
  genesisStakingState,
  stakingStateHash,
  nextBlockTarget,
  validateBlock,
  verifyFinalityCertificate,
  type Block,
  type BlockStakingInput,
  type ChainParams,
  type FinalityCertificate,
  type InvalidAttestationEvidence,
  type StakingParams,
  type StakingState,
  type StakingTransition,
  type Validator,
  type ValidatedBlock,
  type ValidatorSet,
  type Verifier,
} from "@baios/consensus";
import { ChainError, type Chain, type CommittedBlock } from "../chain.ts";
import type { Logger } from "../log.ts";
import type { Mempool } from "../mempool.ts";
import type { Candidate } from "./candidates.ts";
import type { ConsensusExecutor } from "./driver.ts";
import { AttestationChecker, type AttestationVerdict } from "./history.ts";

/** The staking parameters of a chain (from its genesis parameters). */
export function stakingParamsOf(p: ChainParams): StakingParams {
  return {
    epochLength: p.epochLength,
    unbondingDelay: p.unbondingDelay,
    minStake: p.minStake,
    maxValidators: p.maxValidators,
    downtimeThresholdPermille: p.downtimeThresholdPermille,
    equivocationBurnPermille: 1000,
    invalidAttestationBurnPermille: 100,
  };
}

/** The parts of a block the staking state reads (a template before its header exists is enough). */
export type StakingBody = Pick<Block, "txs" | "unbonds" | "evidence" | "lastCertificate"> & { header: { height: bigint } };

/** What a block contributes to the staking state (docs/consensus.md §5.2): bond txs, unbonds, evidence offenders, lastCertificate signers. */
export function stakingInputOf(block: StakingBody): BlockStakingInput {
  return {
    height: block.header.height,
    bonds: block.txs.flatMap((tx) => (tx.stake === undefined ? [] : [{ validator: tx.stake.validator, amount: tx.stake.amount }])),
    unbonds: block.unbonds.map((u) => ({ validator: u.validator, amount: u.amount, oneTimeKey: u.oneTimeKey, viewTag: u.viewTag, txPublicKey: u.txPublicKey })),
    slashes: block.evidence.map((e) => (e.kind === "duplicate-vote" ? { offender: e.voteA.validator, kind: e.kind } : { offender: e.vote.validator, kind: e.kind })),
    lastCertificateSigners: block.header.height === 1n ? [] : block.lastCertificate.votes.map((v) => v.validator),
  };
}

/** Staking record stored per height: `u64le setStartHeight ‖ encodeStakingState(state)`. */
function encodeRecord(setStart: bigint, state: StakingState): Uint8Array {
  const s = encodeStakingState(state);
  const out = new Uint8Array(8 + s.length);
  new DataView(out.buffer).setBigUint64(0, setStart, true);
  out.set(s, 8);
  return out;
}

/** Construction options of {@link ChainExecutor}. */
export interface ExecutorOptions {
  params: ChainParams;
  chain: Chain;
  mempool: Mempool;
  /** The genesis validator set (the staking state's start). */
  genesisValidators: readonly Validator[];
  /** Block lane of the worker pool (MLSAGs, range proofs). */
  verifier: Verifier;
  log?: Logger;
}

/** See the module docs. */
export class ChainExecutor implements ConsensusExecutor {
  readonly #o: ExecutorOptions;
  readonly stakingParams: StakingParams;
  #state: StakingState;
  #setStart: bigint;
  /** Staking transitions computed during validation, by block hash hex (reused by commit). */
  readonly #transitions = new Map<string, StakingTransition>();
  readonly #validated = new Map<string, ValidatedBlock>();
  /** Tail of the serialised commits. */
  #commitLock: Promise<unknown> = Promise.resolve();
  /** Commits started so far, and whether one is writing now (its batch may be visible to reads before the tip moves). */
  #commitsStarted = 0;
  #committing = false;
  /** Invalid-attestation checks against historical state (history.ts, docs/consensus.md §6.3). */
  readonly attestations: AttestationChecker;

  private constructor(o: ExecutorOptions, state: StakingState, setStart: bigint) {
    this.#o = o;
    this.stakingParams = stakingParamsOf(o.params);
    this.#state = state;
    this.#setStart = setStart;
    this.attestations = new AttestationChecker({ params: o.params, stakingParams: this.stakingParams, chain: o.chain, genesisValidators: o.genesisValidators, verifier: o.verifier, stakingInputOf });
  }

  /**
   * Re-validates an attested block (wire bytes or decoded) against the state after its parent
   * (history.ts): `invalid` only for a REJECT-class failure.
   * @throws Error when the store lacks the historical data (no verdict)
   */
  revalidateAt(block: Uint8Array | Block): Promise<AttestationVerdict> {
    return this.attestations.revalidateAt(block);
  }

  /**
   * Full check of one piece of invalid-attestation evidence for the next block (gossip, pool):
   * the stateless `checkEvidence` at height tip + 1, then `AttestationChecker.checkItem`.
   * @throws ConsensusError `BLOCK_EVIDENCE_INVALID`
   */
  async checkAttestation(ev: InvalidAttestationEvidence): Promise<void> {
    const tip = this.tipHeight();
    checkEvidence(ev, { chainId: this.#o.params.chainId, height: tip + 1n, maxAge: this.#o.params.unbondingDelay, maxBlockBytes: this.#o.params.maxBlockBytes });
    await this.attestations.checkItem(ev, tip);
  }

  /**
   * Loads the staking state of the tip from the store, or rebuilds it from genesis by replaying
   * the stored blocks' staking inputs (a first start, or a store from before staking records).
   */
  static async open(o: ExecutorOptions): Promise<ChainExecutor> {
    const sp = stakingParamsOf(o.params);
    const tip = BigInt(o.chain.tip.height);
    const rec = await o.chain.store.getStaking(Number(tip));
    if (rec !== undefined) {
      const setStart = new DataView(rec.buffer, rec.byteOffset, 8).getBigUint64(0, true);
      return new ChainExecutor(o, decodeStakingState(rec.subarray(8)), setStart);
    }
    let state = genesisStakingState(o.genesisValidators, sp);
    let setStart = 1n;
    for (let h = 1n; h <= tip; h++) {
      const block = await o.chain.block(Number(h));
      if (block === undefined) break;
      const t = applyStakingBlock(state, stakingInputOf(block), sp);
      if (t.changed) setStart = h + 1n;
      state = t.state;
    }
    return new ChainExecutor(o, state, setStart);
  }

  /** The staking state after the tip. */
  get stakingState(): StakingState {
    return this.#state;
  }

  tipHeight(): bigint {
    return BigInt(this.#o.chain.tip.height);
  }

  setFor(_height: bigint): { set: ValidatorSet; startHeight: bigint } {
    return { set: this.#state.nextValidatorSet, startHeight: this.#setStart };
  }

  /** The validator set that finalized the tip (its certificate is the next block's lastCertificate). */
  get tipSet(): ValidatorSet {
    return this.#state.validatorSet;
  }

  /** The PoW target of the next block (docs/consensus.md §4.3). */
  async nextTarget(): Promise<Uint8Array> {
    const parent = this.#o.chain.tipHeader;
    const gp = parent.height === 0n ? undefined : (await this.#o.chain.header(Number(parent.height) - 1))?.timeMs;
    return nextBlockTarget(parent, gp, this.#o.params);
  }

  /**
   * The staking transition of `block` on the tip state.
   * @throws ConsensusError `STAKE_*` when the body's staking operations do not apply
   */
  transition(block: StakingBody): StakingTransition {
    const input = stakingInputOf(block);
    checkStakingInput(this.#state, input);
    return applyStakingBlock(this.#state, input, this.stakingParams);
  }

  /**
   * Full consensus validation of a block on the tip (docs/protocol.md §5): header, PoW, target,
   * lastCertificate against the tip's set, staking operations, every tx.
   * @throws ConsensusError with the failing check's code; ChainError when the tip moved while
   *   the block was validated (the driver or the importer committed meanwhile: no verdict)
   */
  async validateBlock(block: Block): Promise<ValidatedBlock> {
    const o = this.#o;
    const parent = o.chain.tipHeader;
    const tipHash = o.chain.tipHash;
    const started = this.#commitsStarted;
    const busy = this.#committing;
    // between a chain commit and the staking state's update (one microtask): not a verdict on the block
    if (this.#state.height !== parent.height) throw new ChainError(`the staking state (height ${this.#state.height}) is catching up with the tip ${parent.height}`);
    const t = this.transition(block);
    const gp = parent.height === 0n ? undefined : (await o.chain.header(Number(parent.height) - 1))?.timeMs;
    const tipSet = this.#state.validatorSet;
    // the commitments to the past after the tip (header MMR, super-parent pointers; the key-image tree is read during validation)
    const superParents = o.chain.superParents;
    const expectedHeaderRoot = await o.chain.headerRoot();
    // a commit ran during the checks (LevelDB makes a batch readable before the write resolves and the tip moves)
    const stale = (): boolean => busy || this.#committing || this.#commitsStarted !== started || !equalBytes(o.chain.tipHash, tipHash);
    const moved = (e?: unknown): ChainError => new ChainError(`the tip moved from height ${parent.height} while block ${block.header.height} was validated`, e === undefined ? {} : { cause: e });
    const v = await validateBlock(block, {
      params: o.params,
      parent,
      grandparentTimeMs: gp,
      view: o.chain,
      mmr: o.chain.mmr,
      expectedNextValidatorsHash: t.nextSet.hash,
      expectedStakingStateHash: stakingStateHash(t.state),
      expectedHeaderRoot,
      superParents,
      kiset: o.chain.kiset,
      verifyLastCertificate: (cert, p) => verifyFinalityCertificate(cert, { chainId: o.params.chainId, height: p.height, blockHash: cert.blockHash, validatorSet: tipSet }),
      payouts: t.payouts,
      // invalid-attestation evidence: the attested block is re-validated against its parent's state (docs/consensus.md §6.3)
      checkStaking: (b) => this.attestations.checkBlock(b, parent.height),
      nowMs: BigInt(Date.now()),
      verifier: o.verifier,
    }).catch((e: unknown) => {
      // checks ran partly against the next tip (MMR, one-time keys, key images, key-image tree): no verdict on the block
      throw stale() ? moved(e) : e;
    });
    if (stale()) throw moved();
    this.#transitions.set(hexKey(v.hash), t);
    this.#validated.set(hexKey(v.hash), v);
    return v;
  }

  async validate(c: Candidate): Promise<boolean> {
    if (c.block.header.height !== this.tipHeight() + 1n) return false;
    try {
      await this.validateBlock(c.block);
      return true;
    } catch (e) {
      // the failing check's code and action: a REJECT-class failure makes votes for this block provable (docs/consensus.md §6.3)
      if (e instanceof ConsensusError) c.rejected = { code: e.code, action: e.action };
      this.#o.log?.debug({ height: c.block.header.height, err: e instanceof Error ? e.message : String(e) }, "candidate invalid");
      return false;
    }
  }

  async commit(c: Candidate, cert: FinalityCertificate): Promise<void> {
    await this.commitBlock(c.block, cert);
  }

  /**
   * Commits a validated block with its certificate: chain batch (with the staking record),
   * staking state, mempool pruning. Validates first when this block was not validated here.
   * Commits are serialised (the BFT driver and the block importer may commit the same height at
   * once): each one sees the state its predecessor left, and a block that no longer extends the
   * tip fails with ChainError — never with a staking error blaming the block's sender.
   * @throws ConsensusError (invalid), ChainError (does not extend the tip)
   */
  commitBlock(block: Block, cert: FinalityCertificate, opts: { txids?: readonly Uint8Array[] } = {}): Promise<CommittedBlock> {
    const run = this.#commitLock.then(async () => {
      this.#commitsStarted++;
      this.#committing = true;
      try {
        return await this.#commitBlock(block, cert, opts);
      } finally {
        this.#committing = false;
      }
    });
    this.#commitLock = run.catch(() => undefined);
    return run;
  }

  async #commitBlock(block: Block, cert: FinalityCertificate, opts: { txids?: readonly Uint8Array[] }): Promise<CommittedBlock> {
    const o = this.#o;
    const tip = this.tipHeight();
    if (block.header.height !== tip + 1n) throw new ChainError(`block height ${block.header.height} does not extend the tip ${tip}`);
    const key = hexKey(cert.blockHash);
    let t = this.#transitions.get(key);
    if (t === undefined || t.state.height !== block.header.height) t = this.transition(block);
    const setStart = t.changed ? block.header.height + 1n : this.#setStart;
    const committed = await o.chain.commitBlock(block, cert, { ...opts, payouts: t.payouts, coinbaseMaturity: o.params.coinbaseMaturity, staking: encodeRecord(setStart, t.state) });
    this.#state = t.state;
    this.#setStart = setStart;
    this.#transitions.clear();
    this.#validated.clear();
    o.mempool.removeForBlock(committed.txids, committed.keyImages, committed.oneTimeKeys);
    if (t.changed) o.log?.info({ height: block.header.height, validators: t.nextSet.validators.length, totalStake: t.nextSet.totalStake.toString() }, "validator set changes at the next height");
    return committed;
  }
}

function hexKey(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

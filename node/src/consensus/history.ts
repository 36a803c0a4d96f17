/**
 * Historical re-validation for invalid-attestation evidence (docs/consensus.md §3, §6.3): the
 * chain state "as of height p" rebuilt read-only from the store, and the checks a block runs on
 * the invalid-attestation evidence it carries.
 *
 * Everything the state at `p` needs is append-only in the store (store/keys.ts):
 * - headers `h` (the parent at `p`, the grandparent's time for the retarget);
 * - outputs `o` and the one-time-key index `O`: an output exists at `p` iff its global index is
 *   below the cumulative output count after `p` (`g ‖ p`);
 * - key images `k` with the height of the spending block: spent at `p` iff that height ≤ `p`;
 * - MMR nodes `n`: the MMR of `n` leaves is a prefix of every larger one (post-order positions),
 *   so an {@link Mmr} over the same backend with `leafCount = g(p)` reads exactly the old tree
 *   ({@link Mmr.preview} never writes);
 * - the staking record after each height `S ‖ u64be(h)` (genesis: `genesisStakingState`).
 * - votes already slashed `V`, with the including block's height.
 * - header-MMR nodes `m`: like the output MMR, the MMR of `p + 1` leaves is a prefix of the
 *   current one, so its root is the `headerRoot` a child of `p` must carry;
 * - the super-parent pointers after each height `U ‖ u64be(h)`.
 *
 * Not historical: the key-image set tree `K` holds only the current set, so the attested block's
 * `keyImageRoot` is NOT checked (`skipKeyImageRoot`). A block whose only fault is a wrong
 * `keyImageRoot` is therefore "not proven invalid" here — a conservative verdict: no stake is
 * burnt for it (docs/consensus.md §6.3); the network still refused that block when it was live.
 *
 * An attested block of height `p + 1` is re-validated with the full `validateBlock` against that
 * state, without a clock (`nowMs`; time-ahead checks are IGNORE-class anyway), with the payouts and
 * next-set hash of the staking transition of the record at `p`, and its lastCertificate verified
 * against the set that finalized `p`. Its verdict is **invalid** only when validation throws a
 * ConsensusError whose action is REJECT. The verdict depends only on the block and the finalized
 * chain up to `p`, so it is cached by block hash.
 *
 * Cost bounds (consensus rules, docs/consensus.md §6.3): at most
 * {@link MAX_BLOCK_INVALID_ATTESTATIONS} invalid-attestation items per block, and attested
 * blocks nested at most {@link MAX_ATTESTATION_NESTING} deep (an attested block may itself carry
 * invalid-attestation evidence, whose blocks are re-validated the same way). The nesting depth
 * is a property of the block's bytes, so a block's verdict does not depend on where it is checked.
 * @module
 */
import {
  ConsensusError,
  Mmr,
  applyStakingBlock,
  type SuperParents,
  blockHash,
  checkInvalidAttestationVote,
  checkStakingInput,
  decodeBlock,
  decodeStakingState,
  equalBytes,
  genesisStakingState,
  stakingStateHash,
  isConsensusError,
  toHex,
  validateBlock,
  verifyFinalityCertificate,
  type Block,
  type BlockHeader,
  type BlockStakingInput,
  type ChainParams,
  type ChainView,
  type InvalidAttestationEvidence,
  type OutputRecord,
  type StakingParams,
  type StakingState,
  type Validator,
  type Verifier,
} from "@baios/consensus";
import { slashedVoteHash, toOutputRecord, type Chain } from "../chain.ts";
import { decodeSuperParents } from "../store/keys.ts";
import type { StakingBody } from "./executor.ts";

/** Most invalid-attestation evidence items in one block (each costs a full historical validation). */
export const MAX_BLOCK_INVALID_ATTESTATIONS = 2;
/** Deepest nesting of attested blocks: a block's evidence → attested block → its evidence → … (levels below the block). */
export const MAX_ATTESTATION_NESTING = 2;
/** Verdicts cached by attested block hash. */
const VERDICT_CACHE = 256;
/** Staking records cached by height. */
const RECORD_CACHE = 16;

/** The outcome of re-validating an attested block against the state of its parent. */
export type AttestationVerdict =
  | { invalid: true; code: string; reason: string }
  | { invalid: false; reason: string };

/**
 * The finalized chain as it was after block `height` (read-only; see the module docs).
 * `outputCount` = the cumulative output count after `height`.
 */
export class HistoricalView implements ChainView {
  readonly #chain: Chain;
  readonly height: bigint;
  readonly outputCount: bigint;

  constructor(chain: Chain, height: bigint, outputCount: bigint) {
    this.#chain = chain;
    this.height = height;
    this.outputCount = outputCount;
  }

  async getOutputs(globalIndices: readonly bigint[]): Promise<(OutputRecord | undefined)[]> {
    const n = this.outputCount;
    const inRange = globalIndices.map((i) => i >= 0n && i < n);
    const recs = await this.#chain.store.getOutputs(globalIndices.map((i, k) => (inRange[k] ? Number(i) : 0)));
    return recs.map((r, k) => (!inRange[k] || r === undefined ? undefined : toOutputRecord(globalIndices[k] as bigint, r)));
  }

  async isKeyImageSpent(keyImage: Uint8Array): Promise<boolean> {
    const h = await this.#chain.store.getKeyImageHeight(keyImage);
    return h !== undefined && BigInt(h) <= this.height;
  }

  async areOneTimeKeysUsed(oneTimeKeys: readonly Uint8Array[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const k of oneTimeKeys) {
      const gi = await this.#chain.store.getOutputIndexByOneTimeKey(k);
      out.push(gi !== undefined && BigInt(gi) < this.outputCount);
    }
    return out;
  }
}

/** What a block at height `height + 1` is validated against, as of `height`. */
export interface HistoricalContext {
  parent: BlockHeader;
  grandparentTimeMs: bigint | undefined;
  view: HistoricalView;
  mmr: Mmr;
  /** Header-MMR root after `height` (`height + 1` leaves): the child's `headerRoot`. */
  headerRoot: Uint8Array;
  /** Super-parent pointers after `height` (store `U`). */
  superParents: SuperParents;
}

/**
 * The state after finalized block `height` (≤ the tip), read-only.
 * @throws Error when the store lacks the header, the cumulative output count or the super-parent pointers of `height`
 */
export async function historyAt(chain: Chain, height: bigint): Promise<HistoricalContext> {
  if (height < 0n || height > chain.height) throw new Error(`historyAt: height ${height} is not on the finalized chain (tip ${chain.height})`);
  const parent = await chain.header(Number(height));
  const cum = await chain.store.getCumulativeOutputs(Number(height));
  if (parent === undefined || cum === undefined) throw new Error(`historyAt: header or output count of height ${height} missing from the store`);
  if (parent.outputCount !== BigInt(cum)) throw new Error(`historyAt: height ${height}: header outputCount ${parent.outputCount} != stored ${cum}`);
  const grandparentTimeMs = height === 0n ? undefined : (await chain.header(Number(height) - 1))?.timeMs;
  if (height > 0n && grandparentTimeMs === undefined) throw new Error(`historyAt: header ${height - 1n} missing`);
  const sp = await chain.store.getSuperParents(Number(height));
  if (sp === undefined) throw new Error(`historyAt: super-parent pointers of height ${height} missing from the store`);
  const headerRoot = await new Mmr(chain.headerMmr.backend, height + 1n).root();
  return { parent, grandparentTimeMs, view: new HistoricalView(chain, height, BigInt(cum)), mmr: new Mmr(chain.mmr.backend, BigInt(cum)), headerRoot, superParents: { entries: decodeSuperParents(sp) } };
}

/**
 * Nesting depth of the invalid-attestation evidence in `block`: 0 without any, else 1 + the
 * deepest attested block's depth. Stops counting above `limit` (returns `limit + 1`).
 * @throws ConsensusError from `decodeBlock` (the caller has checked the items statelessly)
 */
export function attestationNesting(block: Block, limit: number, maxBlockBytes: number): number {
  let d = 0;
  for (const e of block.evidence) {
    if (e.kind !== "invalid-attestation") continue;
    if (limit <= 0) return 1;
    d = Math.max(d, 1 + attestationNesting(decodeBlock(e.block, maxBlockBytes), limit - 1, maxBlockBytes));
    if (d > limit) return d;
  }
  return d;
}

/** Construction options of {@link AttestationChecker}. */
export interface AttestationCheckerOptions {
  params: ChainParams;
  stakingParams: StakingParams;
  chain: Chain;
  genesisValidators: readonly Validator[];
  verifier: Verifier;
  /** What a block contributes to the staking state (executor.ts `stakingInputOf`). */
  stakingInputOf: (b: StakingBody) => BlockStakingInput;
}

/** See the module docs. */
export class AttestationChecker {
  readonly #o: AttestationCheckerOptions;
  readonly #verdicts = new Map<string, AttestationVerdict>();
  readonly #records = new Map<bigint, StakingState>();

  constructor(o: AttestationCheckerOptions) {
    this.#o = o;
  }

  /**
   * The staking state after finalized block `height` (the stored record; genesis state at 0).
   * @throws Error when the record is missing
   */
  async stakingAt(height: bigint): Promise<StakingState> {
    const hit = this.#records.get(height);
    if (hit !== undefined) return hit;
    let s: StakingState;
    const rec = height === 0n ? undefined : await this.#o.chain.store.getStaking(Number(height));
    if (rec !== undefined) s = decodeStakingState(rec.subarray(8));
    else if (height === 0n) s = genesisStakingState(this.#o.genesisValidators, this.#o.stakingParams);
    else throw new Error(`no staking record for height ${height}`);
    if (this.#records.size >= RECORD_CACHE) this.#records.delete(this.#records.keys().next().value as bigint);
    this.#records.set(height, s);
    return s;
  }

  /**
   * Re-runs the full validation of the attested block (wire bytes or decoded) against the state
   * after its parent `p = height − 1`, which must be our finalized block at `p`.
   * @returns `invalid: true` with the failing code when validation throws a REJECT-class
   *   ConsensusError; `invalid: false` when it passes, fails IGNORE-class, or the block is not a
   *   child of our block at `p` (nothing to prove)
   * @throws Error on a local failure (store data missing): no verdict
   */
  async revalidateAt(input: Uint8Array | Block): Promise<AttestationVerdict> {
    const o = this.#o;
    let block: Block;
    try {
      block = input instanceof Uint8Array ? decodeBlock(input, o.params.maxBlockBytes) : input;
    } catch (e) {
      if (isConsensusError(e) && e.action === "REJECT") return { invalid: true, code: e.code, reason: e.reason };
      throw e;
    }
    const key = toHex(blockHash(block.header));
    const hit = this.#verdicts.get(key);
    if (hit !== undefined) return hit;
    const h = block.header.height;
    if (h < 1n || h - 1n > o.chain.height) return { invalid: false, reason: `height ${h} has no finalized parent here` };
    const p = h - 1n;
    const ctx = await historyAt(o.chain, p);
    if (!equalBytes(blockHash(ctx.parent), block.header.parentHash)) return { invalid: false, reason: `not a child of our block at ${p}` };
    let verdict: AttestationVerdict;
    try {
      const state = await this.stakingAt(p);
      const input = o.stakingInputOf(block);
      checkStakingInput(state, input);
      const t = applyStakingBlock(state, input, o.stakingParams);
      const finalizingSet = state.validatorSet;
      await validateBlock(block, {
        params: o.params,
        parent: ctx.parent,
        grandparentTimeMs: ctx.grandparentTimeMs,
        view: ctx.view,
        mmr: ctx.mmr,
        expectedNextValidatorsHash: t.nextSet.hash,
        expectedStakingStateHash: stakingStateHash(t.state),
        expectedHeaderRoot: ctx.headerRoot,
        superParents: ctx.superParents,
        // the node keeps only the current key-image tree: this one check cannot be re-run at p (module docs)
        skipKeyImageRoot: true,
        verifyLastCertificate: (cert, par) => verifyFinalityCertificate(cert, { chainId: o.params.chainId, height: par.height, blockHash: cert.blockHash, validatorSet: finalizingSet }),
        payouts: t.payouts,
        checkStaking: (b) => this.checkBlock(b, p),
        verifier: o.verifier,
      });
      verdict = { invalid: false, reason: "the block passes validation against its parent" };
    } catch (e) {
      if (!isConsensusError(e)) throw e;
      verdict = e.action === "REJECT" ? { invalid: true, code: e.code, reason: e.reason } : { invalid: false, reason: `${e.code} (IGNORE-class): ${e.reason}` };
    }
    if (this.#verdicts.size >= VERDICT_CACHE) this.#verdicts.delete(this.#verdicts.keys().next().value as string);
    this.#verdicts.set(key, verdict);
    return verdict;
  }

  /**
   * Checks one invalid-attestation item for a block on the state after `stateHeight` (the
   * including block's parent; the item already passed `checkEvidence`): the vote's validator was
   * in the set that finalizes the attested height (record at `p`: `nextValidatorSet`), the
   * attested block's parent is our block at `p`, the vote was not slashed at or below
   * `stateHeight`, and the attested block fails re-validation ({@link revalidateAt}).
   * @throws ConsensusError `BLOCK_EVIDENCE_INVALID` (reason prefixed with `field`)
   */
  async checkItem(ev: InvalidAttestationEvidence, stateHeight: bigint, field = "evidence"): Promise<void> {
    const o = this.#o;
    const bad = (what: string): never => {
      throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}: ${what}`);
    };
    const v = ev.vote;
    if (v.height < 1n || v.height - 1n > stateHeight) bad(`vote height ${v.height} has no finalized parent at ${stateHeight}`);
    const p = v.height - 1n;
    const attested = decodeBlock(ev.block, o.params.maxBlockBytes);
    const ours = await o.chain.header(Number(p));
    if (ours === undefined) throw new Error(`header ${p} missing from the store`);
    if (!equalBytes(blockHash(ours), attested.header.parentHash)) bad(`the attested block's parent is not our block at ${p}`);
    const state = await this.stakingAt(p);
    try {
      checkInvalidAttestationVote(o.params.chainId, ev, state.nextValidatorSet);
    } catch (e) {
      if (isConsensusError(e)) bad(`${e.code}: ${e.reason}`);
      throw e;
    }
    const slashedAt = await o.chain.store.getSlashedVoteHeight(v.validator, slashedVoteHash(v));
    if (slashedAt !== undefined && BigInt(slashedAt) <= stateHeight) bad(`this vote was already slashed at height ${slashedAt}`);
    const verdict = await this.revalidateAt(attested);
    if (!verdict.invalid) bad(`the attested block is not invalid (${verdict.reason})`);
  }

  /**
   * The invalid-attestation rules of a block body on the state after `stateHeight`: at most
   * {@link MAX_BLOCK_INVALID_ATTESTATIONS} items, nesting at most {@link MAX_ATTESTATION_NESTING},
   * then {@link checkItem} for each item (in body order).
   * @throws ConsensusError `BLOCK_TOO_MANY_EVIDENCE`, `BLOCK_EVIDENCE_INVALID` (`index` = position)
   */
  async checkBlock(block: Block, stateHeight: bigint): Promise<void> {
    const items = block.evidence.flatMap((e, i) => (e.kind === "invalid-attestation" ? [{ e, i }] : []));
    if (items.length === 0) return;
    if (items.length > MAX_BLOCK_INVALID_ATTESTATIONS) throw new ConsensusError("BLOCK_TOO_MANY_EVIDENCE", `${items.length} invalid-attestation items > ${MAX_BLOCK_INVALID_ATTESTATIONS}`);
    const depth = attestationNesting(block, MAX_ATTESTATION_NESTING, this.#o.params.maxBlockBytes);
    if (depth > MAX_ATTESTATION_NESTING) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `attested blocks nested more than ${MAX_ATTESTATION_NESTING} deep`);
    for (const { e, i } of items) {
      try {
        await this.checkItem(e, stateHeight, `evidence[${i}]`);
      } catch (err) {
        if (isConsensusError(err)) throw new ConsensusError(err.code, err.reason, { index: i });
        throw err;
      }
    }
  }
}

/**
 * The pure verification core of the light client (docs/light-client.md §2, §4): no I/O, every
 * function checks bytes against a header the client already verified and throws a typed
 * {@link LightClientError} when they do not verify. The chain checks reuse `@baios/consensus`:
 * `verifyFinalityCertificate` (docs/protocol.md §9), `verifyInclusionProof` with `headerLeafHash`
 * (header MMR, §5.4) and `mmrLeafHash` (output MMR, §8), `verifyKeyImageProof` (key-image set,
 * §15.4), `decodeCascade` / `checkCascadeKept` / `cascadeWork` (docs/cascade.md §4–§5).
 * @module
 */
import {
  STALE_SETS_KEPT,
  blockHash,
  cascadeWork,
  checkCascadeKept,
  decodeCascade,
  equalBytes,
  genesisLightHead,
  headerLeafHash,
  mmrLeafHash,
  toHex,
  verifyInclusionProof,
  verifyLightStep,
  verifyKeyImageProof,
  type BlockHeader,
  type CascadeParams,
  type InclusionProof,
  type KeptHeader,
  type LightHead,
  type Validator,
} from "@baios/consensus";
import { LightClientError, fromConsensusLight, why } from "./errors.ts";
import type { LightStep } from "./wire.ts";

/** How many replaced validator-set hashes a {@link TrustedHead} remembers to name a stale set (STALE_SET rather than SKIPPED_SET_CHANGE). */
export { STALE_SETS_KEPT };

/** A verified, finalized header and the validator set that finalizes the block after it (`LightHead` of `@baios/consensus`). */
export type TrustedHead = LightHead;

/**
 * The trusted start: the genesis header and its validator set (the client's root of trust).
 * `genesisLightHead` of `@baios/consensus` (light/step.ts), codes mapped.
 * @throws LightClientError `GENESIS_MISMATCH` (not height 0, set malformed or not hashing to
 *   `validatorsHash`, or genesis changes the set at once: `nextValidatorsHash ≠ validatorsHash`)
 */
export function genesisHead(genesis: BlockHeader, validators: readonly Validator[]): TrustedHead {
  try {
    return genesisLightHead(genesis, validators);
  } catch (e) {
    throw fromConsensusLight(e);
  }
}

/**
 * Verifies one step of a light update (docs/light-client.md §2.2) against the trusted head `t`:
 * `verifyLightStep` of `@baios/consensus` (light/step.ts, shared with the node's fast sync), its
 * `LIGHT_*` codes mapped to the light client's:
 * 1. same chain id, height above `t`'s (`BAD_HEADER` / `BAD_RESPONSE`);
 * 2. `validatorsHash` is the hash of `t.set`, the set the client trusts for every block after `t`
 *    up to the next change (`STALE_SET` when it names a replaced set, `SKIPPED_SET_CHANGE` otherwise);
 * 3. the certificate verifies against `t.set` (`verifyFinalityCertificate`: > 2/3 of its stake,
 *    precommits for this height and hash); `STALE_SET` when it verifies only against the replaced
 *    set, `BAD_CERTIFICATE` otherwise;
 * 4. `link` proves `t`'s hash at `t`'s height in this header's `headerRoot` (leafCount = this
 *    height): the header extends the verified chain (`FORK`);
 * 5. a set change (`nextValidatorsHash ≠ validatorsHash`) comes with the next set, which must hash
 *    to `nextValidatorsHash` (`BAD_VALIDATOR_SET`); no set is served otherwise (`BAD_RESPONSE`).
 * @returns the new trusted head (this header, and the set for the block after it)
 * @throws LightClientError as listed
 */
export function verifyStep(t: TrustedHead, s: LightStep, chainId: number): TrustedHead {
  try {
    return verifyLightStep(t, s, chainId);
  } catch (e) {
    throw fromConsensusLight(e);
  }
}

/**
 * Verifies a past header against a verified one (docs/light-client.md §4.1): the same header
 * (hash equal), or `proof` proves `headerLeafHash(height, blockHash(header))` at leaf `height` of
 * the header MMR with `head.header.height` leaves and root `head.header.headerRoot`.
 * @returns the past header's hash (32 bytes)
 * @throws LightClientError `NOT_VERIFIED` (height above the head), `BAD_HEADER_PROOF`
 */
export function verifyPastHeader(head: Pick<TrustedHead, "header" | "hash">, header: BlockHeader, proof: InclusionProof | undefined): Uint8Array {
  const hash = blockHash(header);
  const top = head.header.height;
  if (header.height > top) throw new LightClientError("NOT_VERIFIED", `block ${header.height} is above the verified head ${top}`);
  if (header.height === top) {
    if (!equalBytes(hash, head.hash)) throw new LightClientError("BAD_HEADER_PROOF", `block ${top} is not the verified head`);
    return hash;
  }
  if (header.chainId !== head.header.chainId) throw new LightClientError("BAD_HEADER_PROOF", `block ${header.height}: chain id ${header.chainId}`);
  if (proof === undefined || proof.leafIndex !== header.height || !verifyInclusionProof(head.header.headerRoot, top, headerLeafHash(header.height, hash), proof)) {
    throw new LightClientError("BAD_HEADER_PROOF", `block ${header.height} (${toHex(hash).slice(0, 16)}…) is not in the header MMR of the verified block ${top}`);
  }
  return hash;
}

/**
 * Verifies that output `globalIndex` with `oneTimeKey` and `commitment` (32 bytes each) is leaf
 * `globalIndex` of the output MMR of a verified `header` (`outputRoot`, `outputCount` leaves;
 * leaf `mmrLeafHash(globalIndex, oneTimeKey, commitment)`, docs/protocol.md §8).
 * @throws LightClientError `BAD_INCLUSION_PROOF`
 */
export function verifyOutputInclusion(header: BlockHeader, globalIndex: bigint, oneTimeKey: Uint8Array, commitment: Uint8Array, proof: InclusionProof | undefined): void {
  const bad = (m: string): never => {
    throw new LightClientError("BAD_INCLUSION_PROOF", `output ${globalIndex} at block ${header.height}: ${m}`);
  };
  if (oneTimeKey.length !== 32 || commitment.length !== 32) bad("one-time key and commitment must be 32 bytes");
  if (globalIndex >= header.outputCount) bad(`not among the ${header.outputCount} outputs of the verified block`);
  if (proof === undefined || proof.leafIndex !== globalIndex) bad("the proof is for another leaf");
  if (!verifyInclusionProof(header.outputRoot, header.outputCount, mmrLeafHash(globalIndex, oneTimeKey, commitment), proof as InclusionProof)) bad("the MMR inclusion proof does not verify against outputRoot");
}

/**
 * Verifies a key-image proof (`encodeKisetProof` bytes, docs/protocol.md §15.4) against a verified
 * header's `keyImageRoot`: membership = spent in a block up to that header, non-membership = unspent.
 * @returns whether the key image is spent
 * @throws LightClientError `BAD_KEY_IMAGE_PROOF`
 */
export function verifyKeyImage(header: BlockHeader, keyImage: Uint8Array, proof: Uint8Array): boolean {
  try {
    return verifyKeyImageProof(header.keyImageRoot, keyImage, proof).spent;
  } catch (e) {
    throw new LightClientError("BAD_KEY_IMAGE_PROOF", `key image ${toHex(keyImage).slice(0, 16)}… at block ${header.height}: ${why(e)}`);
  }
}

/** What {@link verifyCascade} proved. */
export interface VerifiedCascade {
  /** Kept headers, newest first (hashes and levels recomputed locally). */
  readonly kept: readonly KeptHeader[];
  /** Height of the newest kept header. */
  readonly tipHeight: bigint;
  /** `cascadeWork(kept)`: Σ blockWork(blockTarget)·2^level (docs/cascade.md §4.2). */
  readonly work: bigint;
}

/**
 * Verifies a cascade (docs/light-client.md §4.4): `decodeCascade` (layout and every invariant of
 * docs/cascade.md §4.1), every kept header's pointers against its `superParentsRoot`
 * (`checkCascadeKept` with the commitment), its chain id, and its newest header linked to the
 * verified head (`tipProof` proves its hash in the head's header MMR, or it is the head). The
 * super-parent pointers then link every kept header by hash to the newest. With `minWork`, the
 * cascade's work must reach it.
 * @throws LightClientError `BAD_CASCADE`, `NOT_VERIFIED`
 */
export function verifyCascade(bytes: Uint8Array, params: CascadeParams, head: Pick<TrustedHead, "header" | "hash">, tipProof: InclusionProof | undefined, minWork = 0n): VerifiedCascade {
  let kept: KeptHeader[];
  try {
    kept = decodeCascade(bytes, params).kept();
    checkCascadeKept(kept, params, { commitment: (h) => h.superParentsRoot });
  } catch (e) {
    throw new LightClientError("BAD_CASCADE", `the cascade does not verify: ${why(e)}`);
  }
  const newest = kept[0];
  if (newest === undefined) throw new LightClientError("BAD_CASCADE", "the cascade is empty");
  for (const k of kept) if (k.header.chainId !== head.header.chainId) throw new LightClientError("BAD_CASCADE", `kept block ${k.header.height} has chain id ${k.header.chainId}`);
  try {
    verifyPastHeader(head, newest.header, tipProof);
  } catch (e) {
    if (e instanceof LightClientError && e.code === "NOT_VERIFIED") throw e;
    throw new LightClientError("BAD_CASCADE", `the cascade's newest block ${newest.header.height} does not link to the verified head: ${why(e)}`);
  }
  const work = cascadeWork(kept);
  if (work < minWork) throw new LightClientError("BAD_CASCADE", `cascade work ${work} is below the required ${minWork}`);
  return { kept, tipHeight: newest.header.height, work };
}

/**
 * Stateless checks of the block-body entries of header v2 (docs/protocol.md §5.3, §10.8):
 * the parent's finality certificate, unbond requests and evidence. What needs chain or staking
 * state (is the unbonding validator bonded enough, was the offender in the set at that height,
 * does an attested block really fail validation against its parent) is the staking module's,
 * run through `BlockContext.checkStaking`.
 * @module
 */
import { checkPoint, ed25519Verify } from "@baios/crypto";
import { ConsensusError, isConsensusError, isCryptoError } from "../errors.ts";
import type { BlockHeader, Evidence, FinalityCertificate, Unbond, VoteMessage } from "../types.ts";
import { compareBytes, equalBytes, toHex, ZERO_HASH } from "../encoding/bytes.ts";
import { decodeBlock } from "../encoding/wire.ts";
import { blockHash, evidenceLeafHash, unbondMessage, voteMessage } from "../hashes.ts";

/**
 * Checks the body's `lastCertificate` against the parent: it is for the parent's height and
 * hash (`BLOCK_LAST_CERTIFICATE_MISMATCH`); for a genesis parent it is the empty-vote
 * certificate (round 0, no votes: genesis is trusted by its hash); otherwise `verify` checks it
 * against the parent's validator set (its `CERT_*` errors get the prefix `lastCertificate`).
 * @param verify e.g. `(c) => verifyFinalityCertificate(c, {chainId, height, blockHash, validatorSet})`
 * @throws ConsensusError `BLOCK_LAST_CERTIFICATE_MISMATCH`, `CERT_*`
 */
export async function checkLastCertificate(
  cert: FinalityCertificate,
  parent: BlockHeader,
  parentHash: Uint8Array,
  verify: (cert: FinalityCertificate, parent: BlockHeader) => void | Promise<void>,
): Promise<void> {
  if (cert.height !== parent.height || !equalBytes(cert.blockHash, parentHash)) {
    throw new ConsensusError("BLOCK_LAST_CERTIFICATE_MISMATCH", `lastCertificate is for height ${cert.height} / ${toHex(cert.blockHash).slice(0, 16)}…, not the parent (height ${parent.height})`);
  }
  if (parent.height === 0n) {
    if (cert.round !== 0 || cert.votes.length !== 0) throw new ConsensusError("BLOCK_LAST_CERTIFICATE_MISMATCH", "the certificate of genesis has round 0 and no votes");
    return;
  }
  try {
    await verify(cert, parent);
  } catch (e) {
    if (isConsensusError(e)) throw e.withContext("lastCertificate");
    throw e;
  }
}

/**
 * Verifies an unbond request's Ed25519 signature (RFC 8032, strict) by `u.validator` over
 * `unbondMessage(chainId, u)` = `h32("BAIOS/v1/unbond", u32le chainId ‖ its first 105 bytes)`.
 * @param field the path used in the reason (default `unbond`)
 * @throws ConsensusError `BLOCK_UNBOND_INVALID`
 */
export function verifyUnbondSignature(u: Unbond, chainId: number, field = "unbond"): void {
  try {
    ed25519Verify(u.validator, unbondMessage(chainId, u), u.signature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("BLOCK_UNBOND_INVALID", `${field}.signature: ${e.code}: ${e.reason}`);
    throw e;
  }
}

/**
 * Stateless checks of the unbond requests, in body order: `amount > 0`, `oneTimeKey` and
 * `txPublicKey` canonical non-identity ristretto255 points, then the Ed25519 signature (RFC 8032,
 * strict) by `validator` over `unbondMessage(chainId, …)`. (One-time-key uniqueness in the block
 * and on chain is checked with the block's other outputs.)
 * @throws ConsensusError `BLOCK_UNBOND_INVALID` (`index` = position, reason `unbonds[i]…`)
 */
export function checkUnbonds(unbonds: readonly Unbond[], chainId: number): void {
  unbonds.forEach((u, i) => {
    const bad = (what: string): never => {
      throw new ConsensusError("BLOCK_UNBOND_INVALID", `unbonds[${i}].${what}`, { index: i });
    };
    if (u.amount <= 0n) bad("amount must be > 0");
    for (const f of ["oneTimeKey", "txPublicKey"] as const) {
      try {
        checkPoint(u[f]);
      } catch (e) {
        if (isCryptoError(e)) bad(`${f}: ${e.code}: ${e.reason}`);
        throw e;
      }
    }
    try {
      verifyUnbondSignature(u, chainId, `unbonds[${i}]`);
    } catch (e) {
      if (isConsensusError(e)) throw new ConsensusError(e.code, e.reason, { index: i });
      throw e;
    }
  });
}

/** What {@link checkEvidence} checks an evidence item against. */
export interface EvidenceContext {
  /** This chain's id (u32): every vote must carry it. */
  chainId: number;
  /** Height of the block carrying the evidence (or the height the pool checks for, u64). */
  height: bigint;
  /** Max age in blocks (ChainParams.unbondingDelay): `height − vote.height ≤ maxAge`. */
  maxAge: bigint;
  /** Decode limit of an attested block (ChainParams.maxBlockBytes). */
  maxBlockBytes: number;
}

function verifyVoteSignature(v: VoteMessage, field: string): void {
  try {
    ed25519Verify(v.validator, voteMessage(v.kind, v.chainId, v.height, v.round, v.blockHash), v.signature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}.signature: ${e.code}: ${e.reason}`);
    throw e;
  }
}

function checkVoteAge(v: VoteMessage, ctx: EvidenceContext, field: string): void {
  if (v.chainId !== ctx.chainId) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}.chainId ${v.chainId}, expected ${ctx.chainId}`);
  if (v.height > ctx.height) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}.height ${v.height} is above the block height ${ctx.height}`);
  if (ctx.height - v.height > ctx.maxAge) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}.height ${v.height} is more than ${ctx.maxAge} blocks old`);
}

/**
 * Stateless checks of one evidence item (docs/consensus.md §3, docs/protocol.md §10.8):
 * - duplicate vote: both votes of this chain, of one validator, kind, height and round,
 *   `voteA.blockHash < voteB.blockHash` bytewise (so they differ, in canonical order), not older
 *   than `maxAge`, not above `height`, both Ed25519 signatures valid;
 * - invalid attestation: the vote of this chain, non-nil, not older than `maxAge`; the block
 *   decodes (`maxBlockBytes`), is of this chain, its height is the vote's and its hash is the
 *   vote's block hash; the signature is valid. Whether that block really fails validation
 *   against its parent needs the parent's state: the staking module re-runs it.
 * @param field the path used in reasons, e.g. `evidence[2]`
 * @throws ConsensusError `BLOCK_EVIDENCE_INVALID`
 */
export function checkEvidence(ev: Evidence, ctx: EvidenceContext, field = "evidence"): void {
  const bad = (what: string): never => {
    throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `${field}.${what}`);
  };
  if (ev.kind === "duplicate-vote") {
    const a = ev.voteA;
    const b = ev.voteB;
    checkVoteAge(a, ctx, `${field}.voteA`);
    if (b.chainId !== a.chainId) bad("voteB.chainId differs from voteA's");
    if (!equalBytes(a.validator, b.validator)) bad("votes are by two validators");
    if (a.kind !== b.kind) bad("votes are of two kinds");
    if (a.height !== b.height || a.round !== b.round) bad("votes are for two heights or rounds");
    if (compareBytes(a.blockHash, b.blockHash) >= 0) bad("voteA.blockHash must be below voteB.blockHash (distinct, canonical order)");
    verifyVoteSignature(a, `${field}.voteA`);
    verifyVoteSignature(b, `${field}.voteB`);
    return;
  }
  const v = ev.vote;
  checkVoteAge(v, ctx, `${field}.vote`);
  if (equalBytes(v.blockHash, ZERO_HASH)) bad("vote is nil (only a vote for a block attests it)");
  let header: BlockHeader;
  try {
    header = decodeBlock(ev.block, ctx.maxBlockBytes).header;
  } catch (e) {
    if (isConsensusError(e)) bad(`block: ${e.code}: ${e.reason}`);
    throw e;
  }
  if (header.chainId !== ctx.chainId) bad(`block chainId ${header.chainId}, expected ${ctx.chainId}`);
  if (header.height !== v.height) bad(`block height ${header.height} != vote height ${v.height}`);
  if (!equalBytes(blockHash(header), v.blockHash)) bad("block hash != vote.blockHash");
  verifyVoteSignature(v, `${field}.vote`);
}

/**
 * {@link checkEvidence} on every item of a block body, then no item twice (same leaf hash).
 * @throws ConsensusError `BLOCK_EVIDENCE_INVALID` (`index` = position)
 */
export function checkEvidenceList(evidence: readonly Evidence[], ctx: EvidenceContext): void {
  const seen = new Set<string>();
  evidence.forEach((ev, i) => {
    try {
      checkEvidence(ev, ctx, `evidence[${i}]`);
    } catch (e) {
      if (isConsensusError(e)) throw new ConsensusError(e.code, e.reason, { index: i });
      throw e;
    }
    const k = toHex(evidenceLeafHash(ev));
    if (seen.has(k)) throw new ConsensusError("BLOCK_EVIDENCE_INVALID", `evidence[${i}] repeats an earlier item`, { index: i });
    seen.add(k);
  });
}

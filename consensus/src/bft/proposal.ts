/**
 * Proposal signing and wire format (docs/consensus.md §2.1).
 *
 * Signed bytes (52): `u32le chainId ‖ u64le height ‖ u32le round ‖ u32le polRound ‖ blockHash[32]`,
 * `polRound = 0xFFFFFFFF` for none (−1). Message: `h32("BAIOS/v1/proposal", signed bytes)`,
 * signed with Ed25519 (RFC 8032) by the proposer. Wire (148): signed bytes ‖ proposer key[32] ‖
 * signature[64].
 * @module
 */
import { ed25519PublicKey, ed25519Sign, ed25519Verify, h32 } from "@baios/crypto";
import { TAGS } from "../constants.ts";
import { ByteWriter, equalBytes, ZERO_HASH } from "../encoding/bytes.ts";
import { WireReader } from "../encoding/reader.ts";
import { ConsensusError, isCryptoError } from "../errors.ts";
import { NO_POL_ROUND, type SignedProposal, type UnsignedProposal } from "./types.ts";

/** Length of the signed proposal bytes: 52. */
export const PROPOSAL_SIGNED_BYTES = 52;
/** Length of a proposal on the wire: 52 + 32 + 64 = 148. */
export const PROPOSAL_WIRE_BYTES = 148;
/** Wire value of "no polRound": 0xFFFFFFFF. */
const POL_NONE_U32 = 0xffff_ffff;

/**
 * Checks the value rules of a proposal's fields: round a u32, polRound −1 or in `[0, round)`,
 * block hash 32 bytes and not nil.
 * @throws ConsensusError `BFT_MALFORMED`, `BFT_BAD_POL_ROUND`, `BFT_NIL_PROPOSAL`
 */
export function checkProposalFields(p: UnsignedProposal): void {
  if (typeof p.height !== "bigint" || p.height < 0n || p.height > 0xffff_ffff_ffff_ffffn) throw new ConsensusError("BFT_MALFORMED", `proposal height ${String(p.height)} is not a u64`);
  if (!Number.isInteger(p.round) || p.round < 0 || p.round > 0xffff_ffff) throw new ConsensusError("BFT_MALFORMED", `proposal round ${p.round} is not a u32`);
  if (p.blockHash.length !== 32) throw new ConsensusError("BFT_MALFORMED", `proposal blockHash is ${p.blockHash.length} bytes, not 32`);
  if (!Number.isInteger(p.polRound) || !(p.polRound === NO_POL_ROUND || (p.polRound >= 0 && p.polRound < p.round))) {
    throw new ConsensusError("BFT_BAD_POL_ROUND", `proposal polRound ${p.polRound} is neither -1 nor in [0, ${p.round})`);
  }
  if (equalBytes(p.blockHash, ZERO_HASH)) throw new ConsensusError("BFT_NIL_PROPOSAL", "proposal for the nil block hash");
}

/**
 * The 52 signed bytes of a proposal (layout above).
 * @throws ConsensusError `BFT_MALFORMED`, `BFT_BAD_POL_ROUND`, `BFT_NIL_PROPOSAL` (via {@link checkProposalFields}); RangeError for a chain id that is not a u32
 */
export function proposalBytes(chainId: number, p: UnsignedProposal): Uint8Array {
  checkProposalFields(p);
  return new ByteWriter(PROPOSAL_SIGNED_BYTES)
    .u32(chainId)
    .u64(p.height)
    .u32(p.round)
    .u32(p.polRound === NO_POL_ROUND ? POL_NONE_U32 : p.polRound)
    .bytes(p.blockHash, 32)
    .finish();
}

/** The 32-byte message the proposer signs: `h32("BAIOS/v1/proposal", proposalBytes(chainId, p))`. */
export function proposalMessage(chainId: number, p: UnsignedProposal): Uint8Array {
  return h32(TAGS.proposal, proposalBytes(chainId, p));
}

/** Signs a proposal with the proposer's 32-byte Ed25519 seed. @throws as {@link proposalBytes} */
export function signProposal(seed: Uint8Array, chainId: number, p: UnsignedProposal): SignedProposal {
  const signature = ed25519Sign(seed, proposalMessage(chainId, p));
  return { height: p.height, round: p.round, polRound: p.polRound, blockHash: p.blockHash.slice(), proposer: ed25519PublicKey(seed), signature };
}

/**
 * Verifies a proposal's fields and the proposer's signature (not whether the proposer is the
 * scheduled one: that needs the validator set, see `proposerFor`).
 * @throws ConsensusError `BFT_MALFORMED`, `BFT_BAD_POL_ROUND`, `BFT_NIL_PROPOSAL`, `BFT_PROPOSAL_SIGNATURE`
 */
export function verifyProposal(chainId: number, p: SignedProposal): void {
  if (p.proposer.length !== 32) throw new ConsensusError("BFT_MALFORMED", `proposer key is ${p.proposer.length} bytes, not 32`);
  if (p.signature.length !== 64) throw new ConsensusError("BFT_PROPOSAL_SIGNATURE", `signature is ${p.signature.length} bytes, not 64`);
  const msg = proposalMessage(chainId, p);
  try {
    ed25519Verify(p.proposer, msg, p.signature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("BFT_PROPOSAL_SIGNATURE", `proposal (${p.height}, ${p.round}): ${e.code}`);
    throw e;
  }
}

/**
 * The 148 wire bytes: `proposalBytes(chainId, p) ‖ proposer[32] ‖ signature[64]`.
 * @throws as {@link proposalBytes}; RangeError when the key or signature has the wrong length
 */
export function encodeProposal(chainId: number, p: SignedProposal): Uint8Array {
  return new ByteWriter(PROPOSAL_WIRE_BYTES).bytes(proposalBytes(chainId, p)).bytes(p.proposer, 32).bytes(p.signature, 64).finish();
}

/**
 * Decodes 148 wire bytes (strict: exactly 148). Layout only; the value rules (polRound, nil
 * hash) and the signature are checked by {@link verifyProposal}.
 * @throws ConsensusError `BFT_PROPOSAL_MALFORMED`
 */
export function decodeProposal(data: Uint8Array): { chainId: number; proposal: SignedProposal } {
  if (data.length !== PROPOSAL_WIRE_BYTES) throw new ConsensusError("BFT_PROPOSAL_MALFORMED", `proposal is ${data.length} bytes, not ${PROPOSAL_WIRE_BYTES}`);
  const r = new WireReader(data, "BFT_PROPOSAL_MALFORMED");
  const chainId = r.u32("chainId");
  const height = r.u64("height");
  const round = r.u32("round");
  const pol = r.u32("polRound");
  const blockHash = r.bytes(32, "blockHash");
  const proposer = r.bytes(32, "proposer");
  const signature = r.bytes(64, "signature");
  r.end("proposal");
  return { chainId, proposal: { height, round, polRound: pol === POL_NONE_U32 ? NO_POL_ROUND : pol, blockHash, proposer, signature } };
}

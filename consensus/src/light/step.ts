/**
 * Following the validator set from genesis (docs/light-client.md §2–§3): the pure step check of
 * a light update, shared by the light client (`@baios/light-client`, which maps the codes to its
 * own: `LIGHT_FORK` → `FORK`, …) and the node's verified fast sync (node/src/sync/set-chain.ts,
 * docs/sync.md §3.4). No I/O. Every refusal is a {@link ConsensusError} with a `LIGHT_*` code.
 *
 * Wire form of one step (`get_light_update`, docs/light-client.md §3): lowercase hex of
 * - `header`: `encodeHeader` (488 bytes, docs/protocol.md §5);
 * - `certificate`: `encodeCertificate` (docs/protocol.md §9);
 * - `nextValidators` (only at a set change): `validatorSetBytes` = `u32le n ‖ n × (publicKey[32] ‖ u64le stake)`;
 * - `link`: `encodeInclusionProof` of a header-MMR leaf (docs/protocol.md §5.4, §8).
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { equalBytes, fromHex, toHex } from "../encoding/bytes.ts";
import { decodeCertificate, decodeHeader } from "../encoding/wire.ts";
import { blockHash } from "../hashes.ts";
import { makeValidatorSet, verifyFinalityCertificate, type ValidatorSet } from "../engine.ts";
import { decodeInclusionProof, verifyInclusionProof } from "../mmr/proof.ts";
import { headerLeafHash } from "../mmr/header.ts";
import type { BlockHeader, FinalityCertificate, Validator } from "../types.ts";
import type { InclusionProof } from "../mmr/proof.ts";

/** How many replaced validator-set hashes a {@link LightHead} remembers to name a stale set (`LIGHT_STALE_SET` rather than `LIGHT_SKIPPED_SET_CHANGE`). */
export const STALE_SETS_KEPT = 16;

/** A verified, finalized header and the validator set that finalizes the block after it. */
export interface LightHead {
  /** The header (hash recomputed locally). */
  readonly header: BlockHeader;
  /** `blockHash(header)` (32 bytes). */
  readonly hash: Uint8Array;
  /** The set that finalizes block `height + 1`; its hash is `header.nextValidatorsHash`. */
  readonly set: ValidatorSet;
  /** The set this one replaced, when the follower saw the change (names a stale certificate). */
  readonly previousSet?: ValidatorSet;
  /** Hashes of replaced sets, oldest first, at most {@link STALE_SETS_KEPT} (32 bytes each). */
  readonly staleSetHashes: readonly Uint8Array[];
}

/** A decoded step of a light update. */
export interface LightStep {
  header: BlockHeader;
  certificate: FinalityCertificate;
  nextValidators?: ValidatorSet;
  link: InclusionProof;
}

const why = (e: unknown): string => (e instanceof ConsensusError ? `${e.code}: ${e.reason}` : e instanceof Error ? e.message : String(e));

/**
 * The trusted start: the genesis header and its validator set.
 * @throws ConsensusError `LIGHT_GENESIS_MISMATCH` (not height 0, set malformed or not hashing to
 *   `validatorsHash`, or genesis changes the set at once: `nextValidatorsHash ≠ validatorsHash`)
 */
export function genesisLightHead(genesis: BlockHeader, validators: readonly Validator[]): LightHead {
  if (genesis.height !== 0n) throw new ConsensusError("LIGHT_GENESIS_MISMATCH", `the genesis header has height ${genesis.height}`);
  let set: ValidatorSet;
  try {
    set = makeValidatorSet(validators);
  } catch (e) {
    throw new ConsensusError("LIGHT_GENESIS_MISMATCH", `genesis validator set: ${why(e)}`);
  }
  if (!equalBytes(set.hash, genesis.validatorsHash)) throw new ConsensusError("LIGHT_GENESIS_MISMATCH", "the genesis validator set does not hash to the genesis header's validatorsHash");
  if (!equalBytes(genesis.nextValidatorsHash, genesis.validatorsHash)) throw new ConsensusError("LIGHT_GENESIS_MISMATCH", "the genesis header changes the validator set at once; the client cannot know the set of block 1");
  return { header: genesis, hash: blockHash(genesis), set, staleSetHashes: [] };
}

/**
 * Verifies one step of a light update (docs/light-client.md §2.2) against the trusted head `t`:
 * 1. same chain id, height above `t`'s (`LIGHT_BAD_HEADER` / `LIGHT_BAD_RESPONSE`);
 * 2. `validatorsHash` is the hash of `t.set`, the set trusted for every block after `t` up to the
 *    next change (`LIGHT_STALE_SET` when it names a replaced set, `LIGHT_SKIPPED_SET_CHANGE` otherwise);
 * 3. the certificate verifies against `t.set` (`verifyFinalityCertificate`: > 2/3 of its stake,
 *    precommits for this height and hash); `LIGHT_STALE_SET` when it verifies only against the
 *    replaced set, `LIGHT_BAD_CERTIFICATE` otherwise;
 * 4. `link` proves `t`'s hash at `t`'s height in this header's `headerRoot` (leafCount = this
 *    height): the header extends the verified chain (`LIGHT_FORK`);
 * 5. a set change (`nextValidatorsHash ≠ validatorsHash`) comes with the next set, which must hash
 *    to `nextValidatorsHash` (`LIGHT_BAD_VALIDATOR_SET`); no set is served otherwise (`LIGHT_BAD_RESPONSE`).
 * @returns the new trusted head (this header, and the set for the block after it)
 * @throws ConsensusError as listed
 */
export function verifyLightStep(t: LightHead, s: LightStep, chainId: number): LightHead {
  const h = s.header;
  const at = `block ${h.height}`;
  if (h.chainId !== chainId) throw new ConsensusError("LIGHT_BAD_HEADER", `${at}: chain id ${h.chainId}, expected ${chainId}`);
  if (h.height <= t.header.height) throw new ConsensusError("LIGHT_BAD_RESPONSE", `${at} is not above the verified height ${t.header.height}`);
  const hash = blockHash(h);
  if (!equalBytes(h.validatorsHash, t.set.hash)) {
    if (t.staleSetHashes.some((x) => equalBytes(x, h.validatorsHash))) {
      throw new ConsensusError("LIGHT_STALE_SET", `${at} names the validator set ${toHex(h.validatorsHash).slice(0, 16)}…, replaced before; the set in force is ${toHex(t.set.hash).slice(0, 16)}…`);
    }
    throw new ConsensusError("LIGHT_SKIPPED_SET_CHANGE", `${at} names the validator set ${toHex(h.validatorsHash).slice(0, 16)}…, not the set in force ${toHex(t.set.hash).slice(0, 16)}…: a set change between ${t.header.height} and ${h.height} was not shown`);
  }
  try {
    verifyFinalityCertificate(s.certificate, { chainId, height: h.height, blockHash: hash, validatorSet: t.set });
  } catch (e) {
    if (!(e instanceof ConsensusError)) throw e;
    const prev = t.previousSet;
    if (prev !== undefined && verifiesAgainst(s, chainId, hash, prev)) throw new ConsensusError("LIGHT_STALE_SET", `${at}: the certificate is signed by the replaced validator set, not the set in force`);
    throw new ConsensusError("LIGHT_BAD_CERTIFICATE", `${at}: ${e.code}: ${e.reason}`);
  }
  if (s.link.leafIndex !== t.header.height || !verifyInclusionProof(h.headerRoot, h.height, headerLeafHash(t.header.height, t.hash), s.link)) {
    throw new ConsensusError("LIGHT_FORK", `${at}: its headerRoot does not commit to the verified block ${t.header.height} (${toHex(t.hash).slice(0, 16)}…)`);
  }
  if (equalBytes(h.nextValidatorsHash, h.validatorsHash)) {
    if (s.nextValidators !== undefined) throw new ConsensusError("LIGHT_BAD_RESPONSE", `${at}: a next validator set is served but the header changes no set`);
    return { header: h, hash, set: t.set, ...(t.previousSet === undefined ? {} : { previousSet: t.previousSet }), staleSetHashes: t.staleSetHashes };
  }
  const next = s.nextValidators;
  if (next === undefined) throw new ConsensusError("LIGHT_BAD_VALIDATOR_SET", `${at} changes the validator set but no next set is served`);
  if (!equalBytes(next.hash, h.nextValidatorsHash)) throw new ConsensusError("LIGHT_BAD_VALIDATOR_SET", `${at}: the served next set does not hash to nextValidatorsHash`);
  return { header: h, hash, set: next, previousSet: t.set, staleSetHashes: [...t.staleSetHashes, t.set.hash].slice(-STALE_SETS_KEPT) };
}

function verifiesAgainst(s: LightStep, chainId: number, hash: Uint8Array, set: ValidatorSet): boolean {
  try {
    verifyFinalityCertificate(s.certificate, { chainId, height: s.header.height, blockHash: hash, validatorSet: set });
    return true;
  } catch {
    return false;
  }
}

/** Bytes of a hex string (`bytes` long when given). @throws ConsensusError `LIGHT_BAD_RESPONSE` */
export function lightHexField(v: unknown, what: string, bytes?: number): Uint8Array {
  if (typeof v !== "string" || !/^(?:[0-9a-fA-F]{2})*$/.test(v) || (bytes !== undefined && v.length !== 2 * bytes)) {
    throw new ConsensusError("LIGHT_BAD_RESPONSE", `${what}: expected ${bytes === undefined ? "" : `${bytes} bytes of `}hex`);
  }
  return fromHex(v);
}

/**
 * Decodes `validatorSetBytes` (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`) into a canonical set.
 * @throws ConsensusError `LIGHT_BAD_VALIDATOR_SET` (truncated, trailing bytes, not strictly sorted, empty, zero stake)
 */
export function decodeValidatorSetBytes(b: Uint8Array): ValidatorSet {
  const bad = (m: string): never => {
    throw new ConsensusError("LIGHT_BAD_VALIDATOR_SET", `validator set bytes: ${m}`);
  };
  if (b.length < 4) bad("truncated");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = v.getUint32(0, true);
  if (b.length !== 4 + 40 * n) bad(`${b.length} bytes for ${n} validators`);
  const list: Validator[] = [];
  for (let i = 0; i < n; i++) list.push({ publicKey: b.slice(4 + 40 * i, 36 + 40 * i), stake: v.getBigUint64(36 + 40 * i, true) });
  let set: ValidatorSet;
  try {
    set = makeValidatorSet(list);
  } catch (e) {
    return bad(why(e));
  }
  // canonical: the bytes must already be in the set's order (no second encoding of one set)
  set.validators.forEach((x, i) => {
    const y = list[i]?.publicKey;
    if (y === undefined || !equalBytes(x.publicKey, y)) bad("not sorted by public key");
  });
  return set;
}

/**
 * Decodes one step (layouts in the module doc).
 * @throws ConsensusError `LIGHT_BAD_RESPONSE` (not an object, bad hex, link not a proof),
 *   `LIGHT_BAD_HEADER`, `LIGHT_BAD_CERTIFICATE` (does not decode), `LIGHT_BAD_VALIDATOR_SET`
 */
export function decodeLightStep(s: unknown, what: string): LightStep {
  if (s === null || typeof s !== "object") throw new ConsensusError("LIGHT_BAD_RESPONSE", `${what}: expected an object`);
  const j = s as Record<string, unknown>;
  const headerBytes = lightHexField(j["header"], `${what}.header`);
  let header: BlockHeader;
  try {
    header = decodeHeader(headerBytes);
  } catch (e) {
    throw new ConsensusError("LIGHT_BAD_HEADER", `${what}.header: ${why(e)}`);
  }
  const certBytes = lightHexField(j["certificate"], `${what}.certificate`);
  let certificate: FinalityCertificate;
  try {
    certificate = decodeCertificate(certBytes);
  } catch (e) {
    throw new ConsensusError("LIGHT_BAD_CERTIFICATE", `${what}.certificate: ${why(e)}`);
  }
  const link = decodeInclusionProof(lightHexField(j["link"], `${what}.link`));
  if (link === undefined) throw new ConsensusError("LIGHT_BAD_RESPONSE", `${what}.link: not an inclusion proof`);
  const out: LightStep = { header, certificate, link };
  if (j["nextValidators"] !== undefined) out.nextValidators = decodeValidatorSetBytes(lightHexField(j["nextValidators"], `${what}.nextValidators`));
  return out;
}

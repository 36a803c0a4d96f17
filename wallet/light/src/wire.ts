/**
 * Wire forms of the light-client RPC (docs/light-client.md §3): the result of
 * `get_light_update { from, to? }` and its compact encodings. Bytes are lowercase hex of the
 * consensus canonical encodings, never a generic serializer:
 * - header: `encodeHeader` (488 bytes, docs/protocol.md §5);
 * - certificate: `encodeCertificate` (docs/protocol.md §9);
 * - validator set: `validatorSetBytes` = `u32le n ‖ n × (publicKey[32] ‖ u64le stake)` (docs/protocol.md §9);
 * - link: `encodeInclusionProof` of a header-MMR leaf (docs/protocol.md §5.4, §8).
 * @module
 */
import { ConsensusError, decodeCertificate, decodeHeader, decodeInclusionProof, fromHex, makeValidatorSet, type BlockHeader, type FinalityCertificate, type InclusionProof, type Validator, type ValidatorSet } from "@baios/consensus";
import { LightClientError, why } from "./errors.ts";
import type { LightStepJson } from "@baios/api";
import { LIGHT_UPDATE_MAX_STEPS } from "@baios/api/light-update";

/** Largest number of steps one `get_light_update` answer carries (set changes, plus the head); the server's constant. */
export { LIGHT_UPDATE_MAX_STEPS };

/** The wire types of `get_light_update` (`LightStepJson`, `LightUpdateResult`) are `@baios/api`'s. */
export type { LightStepJson, LightUpdateResult } from "@baios/api";

/** A decoded {@link LightStepJson}. */
export interface LightStep {
  header: BlockHeader;
  certificate: FinalityCertificate;
  nextValidators?: ValidatorSet;
  link: InclusionProof;
}

/** Bytes of a hex string. @throws LightClientError `BAD_RESPONSE` */
export function hexField(v: unknown, what: string, bytes?: number): Uint8Array {
  if (typeof v !== "string" || !/^(?:[0-9a-fA-F]{2})*$/.test(v) || (bytes !== undefined && v.length !== 2 * bytes)) {
    throw new LightClientError("BAD_RESPONSE", `${what}: expected ${bytes === undefined ? "" : `${bytes} bytes of `}hex`);
  }
  return fromHex(v);
}

/** A non-negative safe integer. @throws LightClientError `BAD_RESPONSE` */
export function uintField(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new LightClientError("BAD_RESPONSE", `${what}: expected a non-negative integer`);
  return v;
}

/**
 * Decodes `validatorSetBytes` (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`) into a canonical set.
 * @throws LightClientError `BAD_VALIDATOR_SET` (truncated, trailing bytes, not strictly sorted, empty, zero stake)
 */
export function decodeValidatorSet(b: Uint8Array): ValidatorSet {
  const bad = (m: string): never => {
    throw new LightClientError("BAD_VALIDATOR_SET", `validator set bytes: ${m}`);
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
    if (!sameBytes(x.publicKey, list[i]?.publicKey)) bad("not sorted by public key");
  });
  return set;
}

const sameBytes = (a: Uint8Array, b: Uint8Array | undefined): boolean => b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Decodes one step (layouts in the module doc).
 * @throws LightClientError `BAD_RESPONSE` (not an object, bad hex), `BAD_HEADER` (header does not
 *   decode), `BAD_CERTIFICATE` (certificate does not decode), `BAD_VALIDATOR_SET`, `BAD_RESPONSE`
 *   (link proof does not decode)
 */
export function decodeStep(s: unknown, what: string): LightStep {
  if (s === null || typeof s !== "object") throw new LightClientError("BAD_RESPONSE", `${what}: expected an object`);
  const j = s as Record<string, unknown>;
  let header: BlockHeader;
  try {
    header = decodeHeader(hexField(j["header"], `${what}.header`));
  } catch (e) {
    if (e instanceof LightClientError) throw e;
    throw new LightClientError("BAD_HEADER", `${what}.header: ${why(e)}`);
  }
  let certificate: FinalityCertificate;
  try {
    certificate = decodeCertificate(hexField(j["certificate"], `${what}.certificate`));
  } catch (e) {
    if (e instanceof LightClientError) throw e;
    throw new LightClientError("BAD_CERTIFICATE", `${what}.certificate: ${e instanceof ConsensusError ? `${e.code}: ${e.reason}` : why(e)}`);
  }
  const link = decodeInclusionProof(hexField(j["link"], `${what}.link`));
  if (link === undefined) throw new LightClientError("BAD_RESPONSE", `${what}.link: not an inclusion proof`);
  const out: LightStep = { header, certificate, link };
  if (j["nextValidators"] !== undefined) out.nextValidators = decodeValidatorSet(hexField(j["nextValidators"], `${what}.nextValidators`));
  return out;
}

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
import { decodeLightStep, decodeValidatorSetBytes, lightHexField, type LightStep as ConsensusLightStep, type ValidatorSet } from "@baios/consensus";
import { LightClientError, fromConsensusLight } from "./errors.ts";
import type { LightStepJson } from "@baios/api";
import { LIGHT_UPDATE_MAX_STEPS } from "@baios/api/light-update";

/** Largest number of steps one `get_light_update` answer carries (set changes, plus the head); the server's constant. */
export { LIGHT_UPDATE_MAX_STEPS };

/** The wire types of `get_light_update` (`LightStepJson`, `LightUpdateResult`) are `@baios/api`'s. */
export type { LightStepJson, LightUpdateResult } from "@baios/api";

/** A decoded {@link LightStepJson} (`LightStep` of `@baios/consensus`, light/step.ts). */
export type LightStep = ConsensusLightStep;

/** Bytes of a hex string. @throws LightClientError `BAD_RESPONSE` */
export function hexField(v: unknown, what: string, bytes?: number): Uint8Array {
  try {
    return lightHexField(v, what, bytes);
  } catch (e) {
    throw fromConsensusLight(e);
  }
}

/** A non-negative safe integer. @throws LightClientError `BAD_RESPONSE` */
export function uintField(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) throw new LightClientError("BAD_RESPONSE", `${what}: expected a non-negative integer`);
  return v;
}

/**
 * Decodes `validatorSetBytes` (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`) into a canonical set
 * (`decodeValidatorSetBytes` of `@baios/consensus`).
 * @throws LightClientError `BAD_VALIDATOR_SET` (truncated, trailing bytes, not strictly sorted, empty, zero stake)
 */
export function decodeValidatorSet(b: Uint8Array): ValidatorSet {
  try {
    return decodeValidatorSetBytes(b);
  } catch (e) {
    throw fromConsensusLight(e);
  }
}

/**
 * Decodes one step (layouts in the module doc; `decodeLightStep` of `@baios/consensus`).
 * @throws LightClientError `BAD_RESPONSE` (not an object, bad hex), `BAD_HEADER` (header does not
 *   decode), `BAD_CERTIFICATE` (certificate does not decode), `BAD_VALIDATOR_SET`, `BAD_RESPONSE`
 *   (link proof does not decode)
 */
export function decodeStep(s: unknown, what: string): LightStep {
  try {
    return decodeLightStep(s, what);
  } catch (e) {
    throw fromConsensusLight(e);
  }
}

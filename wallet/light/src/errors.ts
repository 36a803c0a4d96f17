/**
 * The light client's typed error (docs/light-client.md §6). Every step that does not verify is
 * refused with a {@link LightClientError}: nothing of the refused answer is kept (the verified head
 * and the checkpoint stay where they were).
 * @module
 */

/** Every refusal code with its meaning (docs/light-client.md §6). */
export const LIGHT_CLIENT_ERRORS = {
  GENESIS_MISMATCH: "the genesis validator set does not hash to the genesis header's validatorsHash, or the node/checkpoint is for another genesis",
  CHECKPOINT_INVALID: "a stored checkpoint is malformed, for another genesis, or its validator set does not hash to the recorded hash",
  BAD_RESPONSE: "the node's answer is malformed (not the documented JSON/hex layout), out of order, or makes no progress",
  BAD_HEADER: "a header does not decode, has the wrong chain id, or is not at the height the step claims",
  BAD_CERTIFICATE: "a finality certificate does not verify against the validator set in force (> 2/3 of its stake, precommits for this block)",
  SKIPPED_SET_CHANGE: "a header's validatorsHash is not the hash of the set the client trusts and not an earlier one: a validator-set change was skipped",
  STALE_SET: "a header or certificate is from a validator set the client already saw replaced",
  BAD_VALIDATOR_SET: "a served next validator set is missing, malformed or does not hash to the certified header's nextValidatorsHash",
  FORK: "a header does not extend the client's verified chain: its headerRoot does not commit to the verified header's hash",
  BAD_HEADER_PROOF: "a past header is not proven by the header MMR of a verified header (headerRoot)",
  BAD_INCLUSION_PROOF: "an output's MMR inclusion proof does not verify against a verified header's outputRoot/outputCount",
  BAD_KEY_IMAGE_PROOF: "a key-image (non-)membership proof does not verify against a verified header's keyImageRoot",
  BAD_CASCADE: "a cascade does not decode, breaks an invariant, does not link to the verified chain, or has too little work",
  NOT_VERIFIED: "a request about a height above the client's verified head",
  TRUST_EXPIRED: "the trusted head is older than the trusting period (`trustingPeriodMs`, default 2/3 of the unbonding period): its validator set may have unbonded; get a recent checkpoint out of band",
  HEADER_FROM_FUTURE: "a certified header's time is further ahead of the local clock than the allowed drift (`maxClockDriftMs`, default 10 s)",
} as const;

/** A light-client refusal code (keys of {@link LIGHT_CLIENT_ERRORS}). */
export type LightClientErrorCode = keyof typeof LIGHT_CLIENT_ERRORS;

/** A refused step: `code` (stable, {@link LIGHT_CLIENT_ERRORS}) and `reason` (human-readable, names the height or field). */
export class LightClientError extends Error {
  override name = "LightClientError";
  readonly code: LightClientErrorCode;
  readonly reason: string;
  constructor(code: LightClientErrorCode, reason: string, options?: { cause?: unknown }) {
    super(`${code}: ${reason}`, options);
    this.code = code;
    this.reason = reason;
  }
}

/** Whether `e` is a {@link LightClientError} (with `code`, when given). */
export function isLightClientError(e: unknown, code?: LightClientErrorCode): e is LightClientError {
  return e instanceof LightClientError && (code === undefined || e.code === code);
}

/** The message of any thrown value, with a ConsensusError's `code: reason`. */
export function why(e: unknown): string {
  if (e !== null && typeof e === "object" && "code" in e && "reason" in e) return `${String((e as { code: unknown }).code)}: ${String((e as { reason: unknown }).reason)}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The light client's error for a `LIGHT_*` ConsensusError of the shared step check
 * (`@baios/consensus` light/step.ts): `LIGHT_FORK` → `FORK`, …, same reason; anything else as is.
 */
export function fromConsensusLight(e: unknown): unknown {
  if (e instanceof Error && "code" in e && "reason" in e && typeof e.code === "string" && e.code.startsWith("LIGHT_")) {
    const code = e.code.slice("LIGHT_".length);
    if (code in LIGHT_CLIENT_ERRORS) return new LightClientError(code as LightClientErrorCode, String(e.reason), { cause: e });
  }
  return e;
}

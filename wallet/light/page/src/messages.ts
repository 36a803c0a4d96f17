/**
 * What the page says when something does not verify: a short headline per light-client code
 * (docs/light-client.md §6), then `code: reason` as the library gave it. A node that cannot be
 * reached or answers an RPC error is an "error" (maybe down, maybe refusing), not a rejection.
 * @module
 */
import { LIGHT_CLIENT_ERRORS, isLightClientError, type LightClientErrorCode } from "@baios/light-client";
import { NodeCallError } from "./transport.ts";
import { TrustFileError } from "./trust.ts";

/** A message for the user. */
export interface Explained {
  /** `rejected`: the node's answer failed a check; `error`: no answer to check. */
  kind: "rejected" | "error";
  headline: string;
  /** `CODE: reason`. */
  detail: string;
  code: string;
}

/** Headlines by code; a code added to the library later falls back to "Rejected: <its meaning>". */
const HEADLINES: Readonly<Partial<Record<LightClientErrorCode, string>>> = {
  GENESIS_MISMATCH: "Rejected: this is not the chain of the trusted genesis",
  CHECKPOINT_INVALID: "Rejected: the saved checkpoint is not valid for this chain",
  BAD_RESPONSE: "Rejected: the node's answer is malformed",
  BAD_HEADER: "Rejected: a header does not decode or is for another chain",
  BAD_CERTIFICATE: "Rejected: forged finality certificate — not signed by more than 2/3 of the validators' stake",
  SKIPPED_SET_CHANGE: "Rejected: the node skipped a validator-set change",
  STALE_SET: "Rejected: signed by a validator set that was already replaced",
  BAD_VALIDATOR_SET: "Rejected: the served validator set does not match the certified header",
  FORK: "Rejected: header from a fork — it does not extend the verified chain",
  BAD_HEADER_PROOF: "Rejected: the past header is not in the verified chain",
  BAD_INCLUSION_PROOF: "Rejected: the proof does not verify — this output is not proven in the verified chain",
  BAD_KEY_IMAGE_PROOF: "Rejected: the key-image proof does not verify",
  BAD_CASCADE: "Rejected: the cascade does not verify against the verified head",
  NOT_VERIFIED: "Not verified yet: that height is above the verified head",
  TRUST_EXPIRED: "Rejected: the trusted checkpoint is older than the trusting period — get a recent one",
  HEADER_FROM_FUTURE: "Rejected: a certified header is dated ahead of this computer's clock — check the clock",
};

/** The message for any thrown value. */
export function explain(e: unknown): Explained {
  if (isLightClientError(e)) return { kind: "rejected", headline: HEADLINES[e.code] ?? `Rejected: ${meaning(e.code)}`, detail: `${e.code}: ${e.reason}`, code: e.code };
  if (e instanceof NodeCallError) return { kind: "error", headline: e.code === 0 ? "The node cannot be reached" : `The node answered an error to ${e.method}`, detail: `${e.code}: ${e.message}`, code: `RPC_${e.code}` };
  if (e instanceof TrustFileError) return { kind: "error", headline: "No root of trust: trust.json is missing or malformed", detail: e.message, code: "TRUST_FILE" };
  return { kind: "error", headline: "Unexpected error", detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e), code: "UNEXPECTED" };
}

/** The meaning of a code, for tooltips. */
export const meaning = (code: string): string => (LIGHT_CLIENT_ERRORS as Record<string, string>)[code] ?? "";

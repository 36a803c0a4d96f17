/**
 * The page's root of trust: `trust.json` (format `baios-light-trust/1`, served beside the page by
 * `baios light`, wallet/src/light-page.ts): the genesis header (`encodeHeader`, 488 bytes, hex),
 * the genesis validator set (`validatorSetBytes`, hex), the cascade parameters, and the chain
 * parameters of the trusting period (with an optional override or `"off"`, docs/light-client.md
 * §2.3). It comes from the server that served this page's code, never from the node.
 * @module
 */
import { decodeHeader, fromHex, type BlockHeader, type CascadeParams, type Validator } from "@baios/consensus";
import { decodeValidatorSet, type TrustParams, type TrustingPeriod } from "@baios/light-client";

/** The decoded root of trust. */
export interface PageTrust {
  genesis: BlockHeader;
  validators: readonly Validator[];
  cascade: CascadeParams;
  /** `unbondingDelay` (blocks) and `blockTimeMs` (ms) of the chain. */
  chain: TrustParams;
  /** The override of the trusting period, when trust.json has one. */
  trustingPeriodMs: TrustingPeriod | undefined;
}

/** Thrown when `trust.json` is missing or malformed (the page cannot verify anything without it). */
export class TrustFileError extends Error {
  override name = "TrustFileError";
}

/**
 * Loads and decodes `url` (default `./trust.json`).
 * @throws TrustFileError naming the bad field; LightClientError `BAD_VALIDATOR_SET` for a malformed set
 */
export async function loadTrust(url = "./trust.json"): Promise<PageTrust> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) throw new TrustFileError(`${url}: HTTP ${res.status}`);
  const j = (await res.json()) as Record<string, unknown>;
  if (j["format"] !== "baios-light-trust/1") throw new TrustFileError(`${url}: format must be "baios-light-trust/1"`);
  const hex = (k: string): Uint8Array => {
    const v = j[k];
    if (typeof v !== "string" || !/^(?:[0-9a-f]{2})+$/.test(v)) throw new TrustFileError(`${url}: ${k} must be lowercase hex`);
    return fromHex(v);
  };
  const c = j["cascade"] as Record<string, unknown> | undefined;
  const levels = c?.["levels"];
  const perLevel = c?.["perLevel"];
  const depth = c?.["depth"];
  if (typeof levels !== "number" || typeof perLevel !== "number" || typeof depth !== "string" || !/^[1-9][0-9]*$/.test(depth)) throw new TrustFileError(`${url}: cascade must be { levels, perLevel, depth: "<blocks>" }`);
  const ch = j["chain"] as Record<string, unknown> | undefined;
  const unbondingDelay = ch?.["unbondingDelay"];
  const blockTimeMs = ch?.["blockTimeMs"];
  if (typeof unbondingDelay !== "string" || !/^[1-9][0-9]*$/.test(unbondingDelay) || typeof blockTimeMs !== "number" || !Number.isSafeInteger(blockTimeMs) || blockTimeMs < 1) throw new TrustFileError(`${url}: chain must be { unbondingDelay: "<blocks>", blockTimeMs: <ms> }`);
  const period = j["trustingPeriodMs"];
  if (period !== undefined && period !== "off" && typeof period !== "number") throw new TrustFileError(`${url}: trustingPeriodMs must be a number of ms or "off"`);
  return {
    genesis: decodeHeader(hex("genesisHeader")),
    validators: decodeValidatorSet(hex("genesisValidators")).validators,
    cascade: { levels, perLevel, depth: BigInt(depth) },
    chain: { unbondingDelay: BigInt(unbondingDelay), blockTimeMs },
    trustingPeriodMs: period,
  };
}

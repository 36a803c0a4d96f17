/**
 * The page's root of trust: `trust.json` (format `baios-light-trust/1`, served beside the page by
 * `baios light`, wallet/src/light-page.ts): the genesis header (`encodeHeader`, 488 bytes, hex),
 * the genesis validator set (`validatorSetBytes`, hex) and the cascade parameters. It comes from
 * the server that served this page's code, never from the node.
 * @module
 */
import { decodeHeader, fromHex, type BlockHeader, type CascadeParams, type Validator } from "@baios/consensus";
import { decodeValidatorSet } from "@baios/light-client";

/** The decoded root of trust. */
export interface PageTrust {
  genesis: BlockHeader;
  validators: readonly Validator[];
  cascade: CascadeParams;
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
  return { genesis: decodeHeader(hex("genesisHeader")), validators: decodeValidatorSet(hex("genesisValidators")).validators, cascade: { levels, perLevel, depth: BigInt(depth) } };
}

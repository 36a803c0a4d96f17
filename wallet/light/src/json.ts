/**
 * The consensus header of the node's JSON view (`get_header`, `HeaderJson` of `@baios/api`;
 * fields per docs/protocol.md §5): every field type- and width-checked, bytes from lowercase hex.
 * The client always re-hashes the result (`blockHash`); the served `hash` is never trusted.
 * @module
 */
import type { BlockHeader } from "@baios/consensus";
import { LightClientError } from "./errors.ts";
import { hexField } from "./wire.ts";

const U32_MAX = 0xffff_ffff;

/** The JSON fields of a header as served (a structural subset of `@baios/api` `HeaderJson`). */
export type HeaderJsonLike = Record<string, unknown>;

/**
 * Parses a header's JSON view.
 * @throws LightClientError `BAD_RESPONSE` naming the malformed field
 */
export function headerFromJson(h: unknown): BlockHeader {
  if (h === null || typeof h !== "object") throw new LightClientError("BAD_RESPONSE", "header: expected an object");
  const j = h as HeaderJsonLike;
  const b = (k: string): Uint8Array => hexField(j[k], `header.${k}`, 32);
  const n = (k: string, max = Number.MAX_SAFE_INTEGER): number => {
    const v = j[k];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) throw new LightClientError("BAD_RESPONSE", `header.${k}: expected an integer 0 ..= ${max}`);
    return v;
  };
  const nonce = j["powNonce"];
  if (typeof nonce !== "string" || !/^(0|[1-9][0-9]{0,19})$/.test(nonce) || BigInt(nonce) > 0xffff_ffff_ffff_ffffn) throw new LightClientError("BAD_RESPONSE", "header.powNonce: expected a u64 decimal string");
  return {
    version: n("version", U32_MAX),
    chainId: n("chainId", U32_MAX),
    height: BigInt(n("height")),
    parentHash: b("parentHash"),
    timeMs: BigInt(n("timeMs")),
    txRoot: b("txRoot"),
    outputRoot: b("outputRoot"),
    outputCount: BigInt(n("outputCount")),
    txPowTarget: b("txPowTarget"),
    blockTarget: b("blockTarget"),
    validatorsHash: b("validatorsHash"),
    nextValidatorsHash: b("nextValidatorsHash"),
    lastCertificateHash: b("lastCertificateHash"),
    evidenceRoot: b("evidenceRoot"),
    stakingRoot: b("stakingRoot"),
    headerRoot: b("headerRoot"),
    superParentsRoot: b("superParentsRoot"),
    keyImageRoot: b("keyImageRoot"),
    stakingStateHash: b("stakingStateHash"),
    powNonce: BigInt(nonce),
  };
}

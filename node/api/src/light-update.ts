/**
 * The node side of `get_light_update` (docs/light-client.md §3), over an abstract
 * {@link LightUpdateSource} so the node's RPC method and in-memory test nodes build the same
 * answer. It lives in the API package (subpath `@baios/api/light-update`) because both sides use
 * it: the node serves it, and the light client's tests (Node and Chromium) build the same answers.
 * Browser-safe (imports only `@baios/consensus`).
 * @module
 */
import { encodeCertificate, encodeHeader, encodeInclusionProof, equalBytes, toHex, validatorSetBytes, type BlockHeader, type FinalityCertificate, type InclusionProof, type Validator } from "@baios/consensus";
import type { LightStepJson, LightUpdateResult } from "./results.ts";

/** Largest number of steps one `get_light_update` answer carries (set changes, plus the head). */
export const LIGHT_UPDATE_MAX_STEPS = 64;

/** What the server reads. Heights are block heights; every method may be sync or async. */
export interface LightUpdateSource {
  /** The tip height (finalized). */
  tipHeight(): number;
  /** The header at `height` (undefined when absent). */
  header(height: number): Promise<BlockHeader | undefined> | BlockHeader | undefined;
  /** Its finality certificate. */
  certificate(height: number): Promise<FinalityCertificate | undefined> | FinalityCertificate | undefined;
  /** The set that finalizes `height + 1` (the staking state after `height`). */
  nextValidators(height: number): Promise<readonly Validator[] | undefined> | readonly Validator[] | undefined;
  /**
   * Heights `c` in `(from, to]` whose header changes the set (`nextValidatorsHash ≠
   * validatorsHash`), ascending. Default ({@link scanSetChanges}): read every header.
   */
  setChanges?(from: number, to: number): Promise<number[]> | number[];
  /** Inclusion proof of block `height`'s hash in the header MMR of header `at` (`height < at`, leafCount `at`). */
  headerProof(height: number, at: number): Promise<InclusionProof> | InclusionProof;
}

/** Set-change heights in `(from, to]` by reading every header (the fallback of {@link LightUpdateSource.setChanges}). */
export async function scanSetChanges(src: Pick<LightUpdateSource, "header">, from: number, to: number): Promise<number[]> {
  const out: number[] = [];
  for (let h = from + 1; h <= to; h++) {
    const hd = await src.header(h);
    if (hd === undefined) throw new Error(`no header at height ${h}`);
    if (!equalBytes(hd.nextValidatorsHash, hd.validatorsHash)) out.push(h);
  }
  return out;
}

/**
 * Builds the answer to `get_light_update { from, to? }` (`to` defaults to and is clipped to the
 * tip): the set-change blocks in `(from, to]`, then block `to` unless it is the last change; at
 * most {@link LIGHT_UPDATE_MAX_STEPS} steps (then `complete` is false and the answer ends at a
 * change). Each step links to the previous one (or `from`) by a header-MMR proof.
 * @throws Error when `from` is above the tip or a record is missing (the RPC maps these)
 */
export async function buildLightUpdate(src: LightUpdateSource, from: number, to?: number): Promise<LightUpdateResult> {
  const tip = src.tipHeight();
  if (from > tip) throw new RangeError(`from ${from} is above the tip ${tip}`);
  const end = Math.min(to ?? tip, tip);
  if (end <= from) return { from, to: end, tip, complete: true, steps: [] };
  const changes = src.setChanges === undefined ? await scanSetChanges(src, from, end) : await src.setChanges(from, end);
  let heights = changes.filter((c) => c > from && c <= end);
  let complete = true;
  if (heights[heights.length - 1] !== end) heights.push(end);
  if (heights.length > LIGHT_UPDATE_MAX_STEPS) {
    // stop at a set change, so the client can continue from it with the set it certifies
    heights = heights.slice(0, LIGHT_UPDATE_MAX_STEPS);
    complete = false;
  }
  const steps: LightStepJson[] = [];
  let prev = from;
  for (const h of heights) {
    const [header, cert] = [await src.header(h), await src.certificate(h)];
    if (header === undefined || cert === undefined) throw new Error(`no header or certificate at height ${h}`);
    const step: LightStepJson = { header: toHex(encodeHeader(header)), certificate: toHex(encodeCertificate(cert)), link: toHex(encodeInclusionProof(await src.headerProof(prev, h))) };
    if (!equalBytes(header.nextValidatorsHash, header.validatorsHash)) {
      const next = await src.nextValidators(h);
      if (next === undefined) throw new Error(`no validator set after height ${h}`);
      step.nextValidators = toHex(validatorSetBytes(next));
    }
    steps.push(step);
    prev = h;
  }
  return { from, to: end, tip, complete, steps };
}

/**
 * The verification cache (Monero keeps the same, "tx verification cache"): a transaction's
 * MLSAGs and range proof are verified once, when it enters the mempool; when the same
 * transaction arrives again inside a block, its jobs are found here and not verified a second
 * time. Every node validates each transaction on intake and again in the block that finalizes
 * it, so this halves the expensive work per transaction.
 *
 * The key of a job is `h32("BAIOS/v1/node/verified-mlsag" | "…/verified-range", every input of the
 * check)`: for an MLSAG the signing hash, each ring member's one-time key and commitment, the
 * pseudo-output, the key image and the signature; for a range proof the commitments and the
 * proof. A verdict is a pure function of exactly those bytes, so a hit can never change one (a
 * property test compares cached and uncached verdicts). Only successes are remembered.
 * Bounded: {@link VerifiedCache} keeps at most `maxEntries` keys (least recently added dropped).
 * @module
 */
import { h32 } from "@baios/crypto";
import { concatBytes, type MlsagJob, type RangeProofJob, type TxVerifyJob, type Verifier } from "@baios/consensus";

/** Default number of remembered successes (32-byte keys: about 3 MB with Map overhead). */
export const DEFAULT_VERIFIED_CACHE_ENTRIES = 50_000;


/** Cache key of an MLSAG job (32 bytes as hex). */
export function mlsagKey(j: MlsagJob): string {
  return Buffer.from(h32("BAIOS/v1/node/verified-mlsag", concatBytes(j.message, ...j.ringKeys, ...j.ringCommitments, j.pseudoOut, j.keyImage, j.signature))).toString("hex");
}

/** Cache key of a range-proof job (32 bytes as hex). */
export function rangeKey(j: RangeProofJob): string {
  return Buffer.from(h32("BAIOS/v1/node/verified-range", concatBytes(...j.commitments, j.proof))).toString("hex");
}

/** Remembered successful verifications (see the module docs). */
export class VerifiedCache {
  readonly #keys = new Set<string>();
  readonly #max: number;
  hits = 0;
  misses = 0;

  constructor(maxEntries = DEFAULT_VERIFIED_CACHE_ENTRIES) {
    this.#max = Math.max(0, maxEntries);
  }

  has(key: string): boolean {
    const hit = this.#keys.has(key);
    if (hit) this.hits++;
    else this.misses++;
    return hit;
  }

  add(key: string): void {
    if (this.#max === 0 || this.#keys.has(key)) return;
    if (this.#keys.size >= this.#max) {
      const oldest = this.#keys.values().next().value;
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    this.#keys.add(key);
  }

  get size(): number {
    return this.#keys.size;
  }
}

/**
 * A {@link Verifier} that skips the jobs `cache` already saw succeed and records the ones that
 * succeed now. Failures go through untouched (same error, same attribution).
 */
export function cachingVerifier(inner: Verifier, cache: VerifiedCache): Verifier {
  const verifyMlsag = async (jobs: readonly MlsagJob[]): Promise<void> => {
    const keys = jobs.map(mlsagKey);
    const todo = jobs.filter((_, i) => !cache.has(keys[i] as string));
    if (todo.length > 0) await inner.verifyMlsag(todo);
    for (const k of keys) cache.add(k);
  };
  const verifyRangeProofs = async (jobs: readonly RangeProofJob[]): Promise<void> => {
    const keys = jobs.map(rangeKey);
    const todo = jobs.filter((_, i) => !cache.has(keys[i] as string));
    if (todo.length > 0) await inner.verifyRangeProofs(todo);
    for (const k of keys) cache.add(k);
  };
  const v: Verifier = { verifyMlsag, verifyRangeProofs };
  const innerTx = inner.verifyTx?.bind(inner);
  if (innerTx !== undefined) {
    v.verifyTx = async (job: TxVerifyJob): Promise<void> => {
      const mk = job.mlsag.map(mlsagKey);
      const rk = job.range === undefined ? undefined : rangeKey(job.range);
      const mlsag = job.mlsag.filter((_, i) => !cache.has(mk[i] as string));
      const range = job.range !== undefined && !cache.has(rk as string) ? job.range : undefined;
      if (mlsag.length > 0 || range !== undefined) await innerTx({ mlsag, ...(range === undefined ? {} : { range }) });
      for (const k of mk) cache.add(k);
      if (rk !== undefined) cache.add(rk);
    };
  }
  return v;
}

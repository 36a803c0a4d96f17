/**
 * Wallet scanning on worker threads (docs/wallet.md §4): the per-output work of a batch of
 * blocks (view tag first, then the derivation, in the crypto core) is split across `size` worker
 * threads by transaction, so a wallet on 2 cores scans about twice as fast as on one. Each worker
 * gets the keys once, at start (decoded once per wallet, not per output or per tx); each batch is
 * one message per worker (contiguous runs of coinbases and txs), and the results come back in
 * order, to be applied on the calling thread by `scanBlock` (which also checks spends, the
 * burning bug and duplicates). The view secret stays in this process.
 * @module
 */
import { Worker } from "node:worker_threads";
import type { BlockMatches, CoinbaseView, Match, MatchKeys, TxView } from "./scan-match.ts";

/** One unit of work: a block's coinbase or one of its txs. */
export type ScanUnit = { cb: CoinbaseView } | { tx: TxView };

/** A batch posted to a scan worker, and its reply (`matches[k]` for `units[k]`, or the error's message). */
export interface ScanTask {
  id: number;
  units: ScanUnit[];
}
export type ScanReply = { id: number; matches: Match[][] } | { id: number; error: string };

const WORKER_URL = new URL("./scan-worker.ts", import.meta.url);

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (m: Match[][]) => void; reject: (e: Error) => void }>;
}

/** Splits `n` items into at most `k` contiguous ranges of nearly equal length (`[start, end)`). */
function ranges(n: number, k: number): [number, number][] {
  const parts = Math.max(1, Math.min(k, n));
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const len = Math.floor(n / parts) + (i < n % parts ? 1 : 0);
    out.push([start, start + len]);
    start += len;
  }
  return out.filter(([a, b]) => b > a);
}

/**
 * `size` scan worker threads holding one wallet's view secret and spend public key.
 * @throws RangeError from the constructor unless `size` is an integer ≥ 1
 */
export class ScanWorkers {
  readonly size: number;
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;

  constructor(keys: MatchKeys, size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("scan workers: size must be ≥ 1");
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL, { workerData: { viewSecret: keys.viewSecret, spendPublic: keys.spendPublic, subaddresses: keys.subaddresses } });
      const slot: Slot = { worker, pending: new Map() };
      worker.on("message", (r: ScanReply) => {
        const p = slot.pending.get(r.id);
        if (p === undefined) return;
        slot.pending.delete(r.id);
        if ("error" in r) p.reject(new Error(r.error));
        else p.resolve(r.matches);
      });
      const fail = (e: Error): void => {
        for (const p of slot.pending.values()) p.reject(e);
        slot.pending.clear();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => fail(new Error(`scan worker exited (code ${code})`)));
      this.#slots.push(slot);
    }
  }

  #run(slot: Slot, units: ScanUnit[]): Promise<Match[][]> {
    if (this.#closed) return Promise.reject(new Error("scan workers closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, units } satisfies ScanTask);
    });
  }

  /**
   * The matches of each block, as `matchBlock` on the calling thread would give them.
   * @throws Error when a view is malformed (the message of the failing unit) or a worker died
   */
  async matchBlocks(blocks: readonly { coinbase: CoinbaseView; txs: readonly TxView[] }[]): Promise<BlockMatches[]> {
    const units: ScanUnit[] = [];
    for (const b of blocks) {
      units.push({ cb: b.coinbase });
      for (const tx of b.txs) units.push({ tx });
    }
    const parts = ranges(units.length, this.size);
    const results = await Promise.all(parts.map(([a, b], i) => this.#run(this.#slots[i] as Slot, units.slice(a, b))));
    const flat = results.flat();
    const out: BlockMatches[] = [];
    let k = 0;
    for (const b of blocks) {
      const coinbase = flat[k++] ?? [];
      const txs = b.txs.map(() => flat[k++] ?? []);
      out.push({ coinbase, txs });
    }
    return out;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}

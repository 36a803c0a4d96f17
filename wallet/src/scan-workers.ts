/**
 * Wallet scanning on worker threads (docs/wallet.md §4): the per-output work of a batch of
 * blocks (view tag first, then the derivation, in the crypto core) is split across `size` worker
 * threads by transaction, so a wallet on 2 cores scans about twice as fast as on one. Each worker
 * gets the keys once, at start (decoded once per wallet, not per output or per tx); each batch is
 * one message per worker (contiguous runs of coinbases and txs): the calling thread packs the
 * outputs into one buffer per worker, decoded from hex, and transfers it (structured-cloning the
 * views cost about 2.5 µs per output, a third more than packing them); the workers run the core's
 * batched scan and return only the hits, which are applied on the calling thread by `scanBlock`
 * (which also checks spends, the burning bug and duplicates). The view secret stays in this process.
 * @module
 */
import { Worker } from "node:worker_threads";
import type { ScannedOutput } from "@baios/crypto";
import { addHits, packUnits, type BlockMatches, type CoinbaseView, type Match, type MatchKeys, type TxView } from "./scan-match.ts";

/** One unit of work: a block's coinbase or one of its txs. */
export type ScanUnit = { cb: CoinbaseView } | { tx: TxView };

/**
 * A batch posted to a scan worker: `units` to match (a wallet with a subaddress table), or
 * `packed`, one-key units already packed for `scanTxs` by the calling thread
 * ({@link packUnits}: `R ‖ u32le n ‖ n × 73 bytes` each; its buffer is transferred, not copied).
 * The reply: `matches[k]` for `units[k]`, or the core's `hits` for `packed`, or the error's message.
 */
export type ScanTask = { id: number; units: ScanUnit[] } | { id: number; packed: Uint8Array };
export type ScanReply = { id: number; matches: Match[][] } | { id: number; hits: ScannedOutput[] } | { id: number; error: string };

const WORKER_URL = new URL("./scan-worker.ts", import.meta.url);

type Answer = Match[][] | ScannedOutput[];
interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (m: Answer) => void; reject: (e: Error) => void }>;
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
  readonly #keys: MatchKeys;
  readonly #postUnits: boolean;
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #closed = false;

  /**
   * @param keys the wallet's view secret and spend public key (and subaddress table), sent once
   * @param size worker threads (≥ 1)
   * @param post `"packed"` (default): outputs packed on the calling thread and transferred;
   *   `"units"`: the views posted as they are (structured clone; always so with a subaddress
   *   table). Kept to measure the difference (bench/src/scan.ts).
   */
  constructor(keys: MatchKeys, size: number, post: "packed" | "units" = "packed") {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("scan workers: size must be ≥ 1");
    this.size = size;
    this.#keys = keys;
    this.#postUnits = post === "units" || (keys.subaddresses !== undefined && keys.subaddresses.size > 0);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL, { workerData: { viewSecret: keys.viewSecret, spendPublic: keys.spendPublic, subaddresses: keys.subaddresses } });
      const slot: Slot = { worker, pending: new Map() };
      worker.on("message", (r: ScanReply) => {
        const p = slot.pending.get(r.id);
        if (p === undefined) return;
        slot.pending.delete(r.id);
        if ("error" in r) p.reject(new Error(r.error));
        else p.resolve("hits" in r ? r.hits : r.matches);
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

  #post(slot: Slot, task: { units: ScanUnit[] } | { packed: Uint8Array }): Promise<Answer> {
    if (this.#closed) return Promise.reject(new Error("scan workers closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if ("packed" in task) slot.worker.postMessage({ id, packed: task.packed } satisfies ScanTask, [task.packed.buffer as ArrayBuffer]);
      else slot.worker.postMessage({ id, units: task.units } satisfies ScanTask);
    });
  }

  /** Matches `units` on the workers: packed here and transferred (one buffer per worker), or, with a subaddress table, posted as units. */
  async #matchUnits(units: ScanUnit[]): Promise<Match[][]> {
    if (this.#postUnits) {
      const results = await Promise.all(ranges(units.length, this.size).map(([a, b], i) => this.#post(this.#slots[i] as Slot, { units: units.slice(a, b) })));
      return (results as Match[][][]).flat();
    }
    const p = packUnits(this.#keys, units);
    const bytes = (k: number): number => (k < p.batch.length ? p.batch[k]!.start : p.packed.length);
    // contiguous runs of packed units of nearly equal byte length, one per worker
    const cuts = [0];
    for (let i = 1, k = 0; i < this.size; i++) {
      while (k < p.batch.length && bytes(k) < (p.packed.length * i) / this.size) k++;
      if (k > cuts[cuts.length - 1]!) cuts.push(k);
    }
    cuts.push(p.batch.length);
    await Promise.all(
      cuts.slice(0, -1).map(async (first, i) => {
        const end = cuts[i + 1]!;
        if (end <= first) return;
        const hits = await this.#post(this.#slots[i] as Slot, { packed: p.packed.slice(bytes(first), bytes(end)) }).then(
          (h) => h as ScannedOutput[],
          () => undefined, // an invalid tx public key in this run: its units are matched alone below
        );
        addHits(this.#keys, units, p, hits, first, end);
      }),
    );
    return p.found;
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
    const flat = await this.#matchUnits(units);
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

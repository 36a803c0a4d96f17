/**
 * The `snapshot` request protocol (docs/sync.md §5): a node serves the canonical snapshot of a
 * finalized height in chunks of at most {@link SNAPSHOT_CHUNK_BYTES}.
 *
 * - request, 12 bytes: `u64be height ‖ u32be chunk` (height 0: "your latest snapshot");
 * - response: `u64be height ‖ u32be chunk ‖ u32be nChunks ‖ u64be totalBytes ‖ data`
 *   (24 + ≤ 4 MiB bytes), `data` = snapshot bytes `[chunk · 4 MiB, …)`.
 *
 * A server keeps its latest snapshot and the one before (so a download survives one rebuild),
 * builds a new one at its tip when the latest is more than {@link SNAPSHOT_REBUILD_BLOCKS}
 * blocks old, and checks what it built against its own tip header (a commit racing the reads
 * would show as a mismatch: rebuilt). Unknown height: `NOT_FOUND`.
 * @module
 */
import { ProtocolError, type P2P } from "@baios/p2p";
import type { Chain } from "../chain.ts";
import { buildSnapshot, encodeSnapshot, verifySnapshot } from "./snapshot.ts";

/** Largest data part of one response: 4 MiB. */
export const SNAPSHOT_CHUNK_BYTES = 4 << 20;
/** Fixed response prefix: 24 bytes. */
export const SNAPSHOT_RESPONSE_PREFIX = 24;
/** A server builds a new snapshot when its latest is older than this many blocks. */
export const SNAPSHOT_REBUILD_BLOCKS = 64;

/** One chunk of a served snapshot. */
export interface SnapshotChunk {
  height: bigint;
  chunk: number;
  nChunks: number;
  totalBytes: number;
  data: Uint8Array;
}

export function encodeSnapshotRequest(height: bigint, chunk: number): Uint8Array {
  const out = new Uint8Array(12);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, height);
  v.setUint32(8, chunk);
  return out;
}

/** @throws Error on a response that is not the §5 layout or breaks its own counts */
export function decodeSnapshotChunk(b: Uint8Array): SnapshotChunk {
  if (b.length < SNAPSHOT_RESPONSE_PREFIX || b.length > SNAPSHOT_RESPONSE_PREFIX + SNAPSHOT_CHUNK_BYTES) throw new Error(`snapshot response of ${b.length} bytes`);
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const c: SnapshotChunk = { height: v.getBigUint64(0), chunk: v.getUint32(8), nChunks: v.getUint32(12), totalBytes: Number(v.getBigUint64(16)), data: b.slice(SNAPSHOT_RESPONSE_PREFIX) };
  if (c.nChunks !== Math.max(1, Math.ceil(c.totalBytes / SNAPSHOT_CHUNK_BYTES)) || c.chunk >= c.nChunks) throw new Error(`snapshot chunk ${c.chunk} of ${c.nChunks} for ${c.totalBytes} bytes`);
  const want = Math.min(SNAPSHOT_CHUNK_BYTES, c.totalBytes - c.chunk * SNAPSHOT_CHUNK_BYTES);
  if (c.data.length !== want) throw new Error(`snapshot chunk ${c.chunk}: ${c.data.length} bytes, expected ${want}`);
  return c;
}

/** Serves snapshots of one chain (see the module docs). */
export class SnapshotServer {
  readonly #chain: Chain;
  readonly #cache: { height: bigint; bytes: Uint8Array }[] = [];
  #building: Promise<void> | undefined;

  constructor(chain: Chain) {
    this.#chain = chain;
  }

  /** The latest snapshot, built at the tip when missing or older than {@link SNAPSHOT_REBUILD_BLOCKS}. */
  async latest(): Promise<{ height: bigint; bytes: Uint8Array }> {
    const tip = BigInt(this.#chain.tip.height);
    const last = this.#cache.at(-1);
    if (last !== undefined && tip - last.height <= BigInt(SNAPSHOT_REBUILD_BLOCKS)) return last;
    this.#building ??= this.#build().finally(() => (this.#building = undefined));
    await this.#building;
    const l = this.#cache.at(-1);
    if (l === undefined) throw new ProtocolError("NOT_FOUND", "no snapshot available");
    return l;
  }

  async #build(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const height = this.#chain.tip.height;
      if (height < 1) return;
      try {
        const s = await buildSnapshot(this.#chain, height);
        const header = await this.#chain.header(height);
        await verifySnapshot(s, header!, s.blockHash);
        this.#cache.push({ height: BigInt(height), bytes: encodeSnapshot(s) });
      } catch {
        continue; // a commit or a pruning step raced the reads
      }
      while (this.#cache.length > 2) this.#cache.shift();
      return;
    }
  }

  /** Answers one request (12 bytes). @throws ProtocolError `BAD_REQUEST` (REJECT), `NOT_FOUND` */
  async handle(req: Uint8Array): Promise<Uint8Array> {
    if (req.length !== 12) throw new ProtocolError("BAD_REQUEST", "snapshot request is 12 bytes", "REJECT");
    const v = new DataView(req.buffer, req.byteOffset, 12);
    const height = v.getBigUint64(0);
    const chunk = v.getUint32(8);
    const snap = height === 0n ? await this.latest() : this.#cache.find((c) => c.height === height);
    if (snap === undefined) throw new ProtocolError("NOT_FOUND", `no snapshot at ${height}; latest at ${this.#cache.at(-1)?.height ?? "none"}`);
    const nChunks = Math.max(1, Math.ceil(snap.bytes.length / SNAPSHOT_CHUNK_BYTES));
    if (chunk >= nChunks) throw new ProtocolError("NOT_FOUND", `chunk ${chunk} of ${nChunks}`);
    const data = snap.bytes.subarray(chunk * SNAPSHOT_CHUNK_BYTES, Math.min(snap.bytes.length, (chunk + 1) * SNAPSHOT_CHUNK_BYTES));
    const out = new Uint8Array(SNAPSHOT_RESPONSE_PREFIX + data.length);
    const w = new DataView(out.buffer);
    w.setBigUint64(0, snap.height);
    w.setUint32(8, chunk);
    w.setUint32(12, nChunks);
    w.setBigUint64(16, BigInt(snap.bytes.length));
    out.set(data, SNAPSHOT_RESPONSE_PREFIX);
    return out;
  }
}

/** Registers the `snapshot` protocol on `p2p`, served from `chain`. */
export function registerSnapshotProtocol(p2p: P2P, chain: Chain): SnapshotServer {
  const server = new SnapshotServer(chain);
  p2p.registerProtocol({ name: "snapshot", maxRequestBytes: 12, maxResponseBytes: SNAPSHOT_RESPONSE_PREFIX + SNAPSHOT_CHUNK_BYTES, maxInboundStreams: 2, handler: (b) => server.handle(b) });
  return server;
}

/**
 * The chain database: one classic-level (LevelDB) instance with binary keys (./keys.ts).
 *
 * Writes happen only through {@link BlockBatch}: everything one block changes (header, block,
 * certificate, outputs, key images, MMR nodes, tx index, cumulative output count) *and* the tip
 * pointer go into a single LevelDB write batch, so after a crash the database holds either the
 * old tip and its state or the new tip and its state, never a mix. With `sync` the batch is
 * fsync'ed before `write()` resolves, so a block reported as committed survives power loss too.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ClassicLevel } from "classic-level";
import {
  SCHEMA_VERSION,
  blockKey,
  certKey,
  cumOutKey,
  decodeEvidence,
  decodeOutputRecord,
  decodeTip,
  encodeEvidence,
  encodeOutputRecord,
  encodeTip,
  evidenceKey,
  hashKey,
  headerKey,
  keyImageKey,
  metaKey,
  mmrKey,
  oneTimeKeyKey,
  outputKey,
  prefixRange,
  P_EVIDENCE,
  P_OUTPUT,
  readU32be,
  readU64be,
  txKey,
  txidsKey,
  stakingRecordKey,
  slashedVoteKey,
  payoutsKey,
  headerMmrKey,
  superParentsKey,
  kisetKeyOf,
  cascadeKey,
  P_CASCADE,
  u32be,
  u64be,
  type EvidenceRecord,
  type StoredOutput,
  type TipRecord,
} from "./keys.ts";
import { toHex as hex, type UnbondPayout } from "@baios/consensus";

type Db = ClassicLevel<Uint8Array, Uint8Array>;
export type Op = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

/** The database is not in a state this code can use (corruption, wrong genesis, newer schema). */
export class StoreError extends Error {
  override name = "StoreError";
}

const eq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The file in the LevelDB directory naming the process that has it open (decimal pid and a newline). */
export const OWNER_PID_FILE = "owner.pid";

/** The store heads besides the tip (header head): meta records `bodyhead`, `tail`, `statetail` (u64be; docs/pruning.md §Store heads). */
export interface StoreHeads {
  /** Highest height whose block body is stored (= the tip). */
  bodyHead: number;
  /** Lowest height whose block body is stored (0 on an archive store). */
  tail: number;
  /** Lowest height whose staking record `S` and super-parent pointers `U` are stored. */
  stateTail: number;
}

/** Where a transaction is: block height and position among the block's transactions. */
export interface TxLocation {
  height: number;
  position: number;
}

/** The chain store. Reads are snapshot-consistent per call; the in-memory `tip` follows committed batches. */
export class Store {
  readonly db: Db;
  readonly sync: boolean;
  #tip: TipRecord | undefined;
  #writing = false;
  #dir: string | undefined;
  /** Store heads (docs/pruning.md §Store heads): highest height with a body, lowest height with a body, lowest height with its `S`/`U` records. */
  #heads: StoreHeads = { bodyHead: 0, tail: 0, stateTail: 0 };

  private constructor(db: Db, sync: boolean) {
    this.db = db;
    this.sync = sync;
  }

  /**
   * Opens (creating if needed) the store at `dir` (the LevelDB directory) and writes this
   * process's id to `<dir>/owner.pid` (removed by {@link close}).
   * @throws StoreError "data directory … is in use by process N" when another process holds the
   *   LevelDB LOCK (N from its `owner.pid`, or "another process" when that file is missing)
   */
  static async open(dir: string, opts: { sync?: boolean } = {}): Promise<Store> {
    mkdirSync(dir, { recursive: true });
    const db: Db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: "view", valueEncoding: "view" });
    try {
      await db.open();
    } catch (e) {
      if ((e as { cause?: { code?: string } }).cause?.code === "LEVEL_LOCKED") {
        const pidFile = join(dir, OWNER_PID_FILE);
        const pid = existsSync(pidFile) ? readFileSync(pidFile, "utf8").trim() : "";
        throw new StoreError(`data directory ${dir} is in use by ${/^\d+$/.test(pid) ? `process ${pid}` : "another process"} (one node per data directory; stop it or pass another --data-dir)`);
      }
      throw e;
    }
    writeFileSync(join(dir, OWNER_PID_FILE), `${process.pid}\n`);
    const s = new Store(db, opts.sync ?? true);
    s.#dir = dir;
    const version = await db.get(metaKey("version"));
    if (version !== undefined && readU32be(version) < SCHEMA_VERSION) {
      await db.close();
      throw new StoreError(
        `database schema version ${readU32be(version)} at ${dir} predates header v2 with headerRoot, superParentsRoot, keyImageRoot and stakingStateHash (schema ${SCHEMA_VERSION}); ` +
          "its blocks are in another format and cannot be migrated: move the data directory away and re-sync",
      );
    }
    if (version !== undefined && readU32be(version) !== SCHEMA_VERSION) {
      await db.close();
      throw new StoreError(`database schema version ${readU32be(version)}, this node reads ${SCHEMA_VERSION}`);
    }
    const tip = await db.get(metaKey("tip"));
    s.#tip = tip === undefined ? undefined : decodeTip(tip);
    // a store that never pruned has no tail records: everything from genesis is there
    const head = async (name: string, dflt: number): Promise<number> => {
      const v = await db.get(metaKey(name));
      return v === undefined ? dflt : readU64be(v);
    };
    s.#heads = { bodyHead: await head("bodyhead", s.#tip?.height ?? 0), tail: await head("tail", 0), stateTail: await head("statetail", 0) };
    return s;
  }

  /** The store heads: header head = {@link tip}; `bodyHead` (= the tip: bodies are written with their header), `tail`, `stateTail` (docs/pruning.md §Store heads). */
  get heads(): Readonly<StoreHeads> {
    return this.#heads;
  }
  /** Lowest height whose block body (`b`, `x`, `P`, and the `t` entries of its txs) is still stored; 0 on an archive store. */
  get tail(): number {
    return this.#heads.tail;
  }

  /**
   * @internal One pruning step (./prune.ts): deletes `ops` and moves the tails to `heads` in one
   * LevelDB batch (fsync'ed with `sync`). The in-memory tails move BEFORE the write, so a reader
   * that misses a body below the new tail already sees it as pruned; on a failed write they move back.
   * @throws StoreError when a tail would move down or past the body head
   */
  async _prune(ops: Op[], heads: { tail: number; stateTail: number }): Promise<void> {
    const before = this.#heads;
    if (heads.tail < before.tail || heads.stateTail < before.stateTail) throw new StoreError(`tails move only up (tail ${before.tail} → ${heads.tail}, state tail ${before.stateTail} → ${heads.stateTail})`);
    if (heads.tail > before.bodyHead || heads.stateTail > before.bodyHead) throw new StoreError(`tail ${heads.tail} / state tail ${heads.stateTail} above the body head ${before.bodyHead}`);
    ops.push({ type: "put", key: metaKey("tail"), value: u64be(heads.tail) }, { type: "put", key: metaKey("statetail"), value: u64be(heads.stateTail) });
    this.#heads = { ...before, ...heads };
    try {
      await this.db.batch(ops, { sync: this.sync });
    } catch (e) {
      this.#heads = before;
      throw e;
    }
  }

  /**
   * Start-up check of the store heads: `tail ≤ bodyHead = tip`, `stateTail ≤ tip`, and once a
   * tail is above 0, the body at `tail` (the `U` record at `stateTail`) exists and the one just
   * below it is gone (a pruning batch is all or nothing).
   * @throws StoreError naming the broken head
   */
  async verifyHeads(): Promise<void> {
    const t = this.#tip;
    if (t === undefined) return;
    const { bodyHead, tail, stateTail } = this.#heads;
    if (bodyHead !== t.height) throw new StoreError(`body head ${bodyHead} != tip ${t.height}`);
    if (tail > bodyHead) throw new StoreError(`tail ${tail} above the body head ${bodyHead}`);
    if (stateTail > t.height) throw new StoreError(`state tail ${stateTail} above the tip ${t.height}`);
    // (tails at 0: a store that never pruned, nothing more to check)
    if (tail > 0 && (await this.getBlock(tail)) === undefined) throw new StoreError(`tail ${tail}: block body missing`);
    if (tail > 0 && (await this.getBlock(tail - 1)) !== undefined) throw new StoreError(`tail ${tail}: the body below the tail is still stored`);
    if (stateTail > 0 && (await this.getSuperParents(stateTail)) === undefined) throw new StoreError(`state tail ${stateTail}: super-parent pointers missing`);
    if (stateTail > 0 && (await this.getSuperParents(stateTail - 1)) !== undefined) throw new StoreError(`state tail ${stateTail}: the records below the state tail are still stored`);
    // headers and certificates (prune.ts): the header at the state tail and the certificate at the tail are kept
    if (stateTail > 0 && (await this.getHeader(stateTail)) === undefined) throw new StoreError(`state tail ${stateTail}: header missing`);
    if (tail > 0 && (await this.getCertificate(tail)) === undefined) throw new StoreError(`tail ${tail}: certificate missing`);
  }

  async close(): Promise<void> {
    await this.db.close();
    if (this.#dir !== undefined) rmSync(join(this.#dir, OWNER_PID_FILE), { force: true });
  }

  /** The committed tip, or `undefined` for an empty database (no genesis yet). */
  get tip(): TipRecord | undefined {
    return this.#tip;
  }

  /** The genesis block hash recorded at initialisation. */
  async genesisHash(): Promise<Uint8Array | undefined> {
    return this.db.get(metaKey("genesis"));
  }

  async getHeader(height: number): Promise<Uint8Array | undefined> {
    return this.db.get(headerKey(height));
  }
  async getBlock(height: number): Promise<Uint8Array | undefined> {
    return this.db.get(blockKey(height));
  }
  async getCertificate(height: number): Promise<Uint8Array | undefined> {
    return this.db.get(certKey(height));
  }
  async getHeightByHash(hash: Uint8Array): Promise<number | undefined> {
    const v = await this.db.get(hashKey(hash));
    return v === undefined ? undefined : readU64be(v);
  }
  /** Cumulative number of outputs after block `height` (the output distribution). */
  async getCumulativeOutputs(height: number): Promise<number | undefined> {
    const v = await this.db.get(cumOutKey(height));
    return v === undefined ? undefined : readU64be(v);
  }
  /** Cumulative output counts for heights `from..=to` (clipped to the tip). */
  async getCumulativeOutputsRange(from: number, to: number): Promise<number[]> {
    const out: number[] = [];
    for await (const v of this.db.values({ gte: cumOutKey(from), lte: cumOutKey(to) })) out.push(readU64be(v));
    return out;
  }
  async getOutput(index: number): Promise<StoredOutput | undefined> {
    const v = await this.db.get(outputKey(index));
    return v === undefined ? undefined : decodeOutputRecord(v);
  }
  async getOutputs(indices: readonly number[]): Promise<(StoredOutput | undefined)[]> {
    const vs = await this.db.getMany(indices.map(outputKey));
    return vs.map((v) => (v === undefined ? undefined : decodeOutputRecord(v)));
  }
  /** Synchronous output read (LevelDB `getSync`), for synchronous consensus views. */
  getOutputSync(index: number): StoredOutput | undefined {
    const v = this.db.getSync(outputKey(index));
    return v === undefined ? undefined : decodeOutputRecord(v);
  }
  /** Height of the block that spent `keyImage`, or `undefined` if unspent. */
  async getKeyImageHeight(keyImage: Uint8Array): Promise<number | undefined> {
    const v = await this.db.get(keyImageKey(keyImage));
    return v === undefined ? undefined : readU64be(v);
  }
  async areKeyImagesSpent(keyImages: readonly Uint8Array[]): Promise<boolean[]> {
    return this.db.hasMany(keyImages.map(keyImageKey));
  }
  isKeyImageSpentSync(keyImage: Uint8Array): boolean {
    return this.db.getSync(keyImageKey(keyImage)) !== undefined;
  }
  /** For each one-time key (32 bytes), whether a committed output has it (index `O`). */
  async areOneTimeKeysUsed(oneTimeKeys: readonly Uint8Array[]): Promise<boolean[]> {
    if (oneTimeKeys.length === 0) return [];
    return this.db.hasMany(oneTimeKeys.map(oneTimeKeyKey));
  }
  /** Global index of the committed output with `oneTimeKey`, or `undefined`. */
  async getOutputIndexByOneTimeKey(oneTimeKey: Uint8Array): Promise<number | undefined> {
    const v = await this.db.get(oneTimeKeyKey(oneTimeKey));
    return v === undefined ? undefined : readU64be(v);
  }

  /**
   * Keeps safety-failure evidence (two certified blocks at one height) under
   * `E ‖ u64be(height) ‖ conflictingHash`, fsync'ed. Idempotent per conflicting block.
   * @returns false when this conflicting block was already recorded
   */
  async putEvidence(conflictingHash: Uint8Array, e: EvidenceRecord): Promise<boolean> {
    const key = evidenceKey(e.height, conflictingHash);
    if ((await this.db.get(key)) !== undefined) return false;
    await this.db.put(key, encodeEvidence(e), { sync: true });
    return true;
  }
  /** Every evidence record, ordered by height (at most `limit`). */
  async listEvidence(limit = 1000): Promise<(EvidenceRecord & { conflictingHash: Uint8Array })[]> {
    const out: (EvidenceRecord & { conflictingHash: Uint8Array })[] = [];
    for await (const [k, v] of this.db.iterator({ ...prefixRange(P_EVIDENCE), limit })) out.push({ ...decodeEvidence(v), conflictingHash: k.slice(9, 41) });
    return out;
  }

  async getMmrNode(pos: number): Promise<Uint8Array | undefined> {
    return this.db.get(mmrKey(pos));
  }
  getMmrNodeSync(pos: number): Uint8Array | undefined {
    return this.db.getSync(mmrKey(pos));
  }
  /** Header-MMR node at `pos0` (`m` prefix; synchronous read). */
  getHeaderMmrNodeSync(pos: number): Uint8Array | undefined {
    return this.db.getSync(headerMmrKey(pos));
  }
  /** Super-parent pointers after block `height` (`U` prefix, `encodeSuperParents` bytes, store/keys.ts). */
  async getSuperParents(height: number): Promise<Uint8Array | undefined> {
    return this.db.get(superParentsKey(height));
  }
  /** The cascade nodes (`C` prefix, ../cascade-store.ts), newest (highest height) first, and the meta `cascade` tip height (undefined: none stored). */
  async getCascadeRecords(): Promise<{ tip: number | undefined; nodes: { height: number; bytes: Uint8Array }[] }> {
    const t = await this.db.get(metaKey("cascade"));
    const nodes: { height: number; bytes: Uint8Array }[] = [];
    for await (const [k, v] of this.db.iterator({ ...prefixRange(P_CASCADE), reverse: true })) nodes.push({ height: readU64be(k, 1), bytes: v });
    return { tip: t === undefined ? undefined : readU64be(t), nodes };
  }
  /** Key-image set tree record at `position` (`K` prefix, 33 bytes; synchronous read). */
  getKisetRecordSync(position: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(kisetKeyOf(position));
  }
  async getTxLocation(txid: Uint8Array): Promise<TxLocation | undefined> {
    const v = await this.db.get(txKey(txid));
    return v === undefined ? undefined : { height: readU64be(v, 0), position: readU32be(v, 8) };
  }

  /** The txids of block `height` in block order. */
  /** The unbond payouts paid in block `height` (`P` prefix; none: `[]`). */
  async getPayouts(height: number): Promise<UnbondPayout[]> {
    const v = await this.db.get(payoutsKey(height));
    if (v === undefined) return [];
    const out: UnbondPayout[] = [];
    for (let o = 0; o + 73 <= v.length; o += 73) {
      out.push({ oneTimeKey: v.slice(o, o + 32), viewTag: v[o + 32] as number, amount: new DataView(v.buffer, v.byteOffset + o + 33, 8).getBigUint64(0, true), txPublicKey: v.slice(o + 41, o + 73) });
    }
    return out;
  }
  /** The staking record after block `height`, if stored (`S` prefix). */
  async getStaking(height: number): Promise<Uint8Array | undefined> {
    return this.db.get(stakingRecordKey(height));
  }
  /** Height of the block whose invalid-attestation evidence slashed this vote (`V` prefix), or `undefined`. */
  async getSlashedVoteHeight(validator: Uint8Array, voteHash: Uint8Array): Promise<number | undefined> {
    const v = await this.db.get(slashedVoteKey(validator, voteHash));
    return v === undefined ? undefined : readU64be(v);
  }
  async getBlockTxids(height: number): Promise<Uint8Array[] | undefined> {
    const v = await this.db.get(txidsKey(height));
    if (v === undefined) return undefined;
    const out: Uint8Array[] = [];
    for (let i = 0; i < v.length; i += 32) out.push(v.slice(i, i + 32));
    return out;
  }

  /** Starts the batch of the block at `tip.height + 1` (or of genesis on an empty store). */
  batch(): BlockBatch {
    return new BlockBatch(this);
  }

  /** @internal Writes a block batch atomically and moves the in-memory tip. */
  async _commit(ops: Op[], tip: TipRecord): Promise<void> {
    if (this.#writing) throw new StoreError("concurrent block commits");
    this.#writing = true;
    try {
      ops.push({ type: "put", key: metaKey("tip"), value: encodeTip(tip) }, { type: "put", key: metaKey("bodyhead"), value: u64be(tip.height) });
      await this.db.batch(ops, { sync: this.sync });
      this.#tip = tip;
      this.#heads = { ...this.#heads, bodyHead: tip.height };
    } finally {
      this.#writing = false;
    }
  }

  /**
   * Checks that the committed tip is consistent with the rest of the database: its header,
   * block, certificate, hash index and cumulative output count are present, the output and MMR
   * counts match, and nothing exists above the tip. Throws {@link StoreError} on a mismatch.
   * `hashHeader` recomputes a header's hash from its stored bytes.
   */
  async verifyTip(hashHeader: (headerBytes: Uint8Array) => Uint8Array): Promise<void> {
    const t = this.#tip;
    if (t === undefined) {
      for await (const _ of this.db.keys({ limit: 1 })) throw new StoreError("database has data but no tip pointer");
      return;
    }
    const where = `tip ${t.height}`;
    const header = await this.getHeader(t.height);
    if (header === undefined) throw new StoreError(`${where}: header missing`);
    if (!eq(hashHeader(header), t.hash)) throw new StoreError(`${where}: header hash ${hex(hashHeader(header))} != tip hash ${hex(t.hash)}`);
    if ((await this.getHeightByHash(t.hash)) !== t.height) throw new StoreError(`${where}: hash index mismatch`);
    if ((await this.getBlock(t.height)) === undefined) throw new StoreError(`${where}: block missing`);
    if ((await this.getCertificate(t.height)) === undefined) throw new StoreError(`${where}: certificate missing`);
    if ((await this.getCumulativeOutputs(t.height)) !== t.outputs) throw new StoreError(`${where}: cumulative output count mismatch`);
    if (t.outputs > 0 && (await this.getOutput(t.outputs - 1)) === undefined) throw new StoreError(`${where}: last output missing`);
    if ((await this.getOutput(t.outputs)) !== undefined) throw new StoreError(`${where}: output beyond the tip`);
    if (t.outputs > 0) {
      const last = await this.getOutput(t.outputs - 1);
      if (last !== undefined && (await this.getOutputIndexByOneTimeKey(last.oneTimeKey)) !== t.outputs - 1) throw new StoreError(`${where}: one-time-key index misses the last output`);
    }
    if (t.mmrNodes > 0 && (await this.getMmrNode(t.mmrNodes - 1)) === undefined) throw new StoreError(`${where}: last MMR node missing`);
    if ((await this.getMmrNode(t.mmrNodes)) !== undefined) throw new StoreError(`${where}: MMR node beyond the tip`);
    if ((await this.getHeader(t.height + 1)) !== undefined) throw new StoreError(`${where}: header above the tip`);
    await this.verifyHeads();
  }
}

/** What one block changes, collected in memory and written by {@link BlockBatch.write} as one LevelDB batch. */
export class BlockBatch {
  readonly #store: Store;
  readonly #ops: Op[] = [];
  /** Pending MMR nodes (read-your-writes for the MMR backend during block application). */
  readonly mmrPending = new Map<number, Uint8Array>();
  readonly #keyImages = new Set<string>();
  readonly #oneTimeKeys = new Set<string>();
  #done = false;

  constructor(store: Store) {
    this.#store = store;
  }

  #put(key: Uint8Array, value: Uint8Array): void {
    if (this.#done) throw new StoreError("batch already written");
    this.#ops.push({ type: "put", key, value });
  }

  /** The genesis initialisation records (schema version, genesis hash); only in the genesis batch. */
  putGenesisMeta(genesisHash: Uint8Array): void {
    this.#put(metaKey("version"), u32be(SCHEMA_VERSION));
    this.#put(metaKey("genesis"), genesisHash);
  }
  putHeader(height: number, hash: Uint8Array, headerBytes: Uint8Array): void {
    this.#put(headerKey(height), headerBytes);
    this.#put(hashKey(hash), u64be(height));
  }
  putBlock(height: number, blockBytes: Uint8Array): void {
    this.#put(blockKey(height), blockBytes);
  }
  putCertificate(height: number, certBytes: Uint8Array): void {
    this.#put(certKey(height), certBytes);
  }
  putCumulativeOutputs(height: number, count: number): void {
    this.#put(cumOutKey(height), u64be(count));
  }
  /** Records an output and its one-time key (index `O`); throws on a one-time key twice in one block. */
  putOutput(index: number, record: StoredOutput): void {
    const k = hex(record.oneTimeKey);
    if (this.#oneTimeKeys.has(k)) throw new StoreError("one-time key twice in one block");
    this.#oneTimeKeys.add(k);
    this.#put(outputKey(index), encodeOutputRecord(record));
    this.#put(oneTimeKeyKey(record.oneTimeKey), u64be(index));
  }
  /** Records a spent key image; throws on a duplicate within the same block. */
  putKeyImage(keyImage: Uint8Array, height: number): void {
    const k = hex(keyImage);
    if (this.#keyImages.has(k)) throw new StoreError("key image twice in one block");
    this.#keyImages.add(k);
    this.#put(keyImageKey(keyImage), u64be(height));
  }
  putMmrNode(pos: number, hash: Uint8Array): void {
    this.mmrPending.set(pos, hash);
    this.#put(mmrKey(pos), hash);
  }
  /** A header-MMR node (`m` prefix). */
  putHeaderMmrNode(pos: number, hash: Uint8Array): void {
    this.#put(headerMmrKey(pos), hash);
  }
  /** The super-parent pointers after block `height` (`U` prefix, `encodeSuperParents` bytes, store/keys.ts). */
  putSuperParents(height: number, record: Uint8Array): void {
    this.#put(superParentsKey(height), record);
  }
  /**
   * The cascade's changes for this block (../cascade-store.ts): node records to put (`C ‖ height` →
   * `encodeCascade` node bytes) or delete (bytes `undefined`), and the new cascade tip height (meta `cascade`).
   */
  putCascade(changes: readonly { height: number; bytes: Uint8Array | undefined }[], tip: number): void {
    if (this.#done) throw new StoreError("batch already written");
    for (const c of changes) this.#ops.push(c.bytes === undefined ? { type: "del", key: cascadeKey(c.height) } : { type: "put", key: cascadeKey(c.height), value: c.bytes });
    this.#put(metaKey("cascade"), u64be(tip));
  }
  /** A key-image set tree record (`K` prefix; position 2..34 bytes, record 33 bytes). */
  putKisetRecord(position: Uint8Array, record: Uint8Array): void {
    this.#put(kisetKeyOf(position), record);
  }
  putTx(txid: Uint8Array, height: number, position: number): void {
    const v = new Uint8Array(12);
    v.set(u64be(height), 0);
    v.set(u32be(position), 8);
    this.#put(txKey(txid), v);
  }
  /** The unbond payouts paid in block `height` (73 bytes each, see keys.ts `P`). */
  putPayouts(height: number, payouts: readonly UnbondPayout[]): void {
    if (payouts.length === 0) return;
    const v = new Uint8Array(73 * payouts.length);
    payouts.forEach((p, i) => {
      v.set(p.oneTimeKey, 73 * i);
      v[73 * i + 32] = p.viewTag;
      new DataView(v.buffer, 73 * i + 33, 8).setBigUint64(0, p.amount, true);
      v.set(p.txPublicKey, 73 * i + 41);
    });
    this.#put(payoutsKey(height), v);
  }
  /** The staking record after block `height` (docs/consensus.md §6; written in the block's batch). */
  putStaking(height: number, record: Uint8Array): void {
    this.#put(stakingRecordKey(height), record);
  }
  /** A vote slashed by this block's invalid-attestation evidence (validator 32 bytes, §2.1 vote hash 32 bytes). */
  putSlashedVote(validator: Uint8Array, voteHash: Uint8Array, height: number): void {
    this.#put(slashedVoteKey(validator, voteHash), u64be(height));
  }
  putBlockTxids(height: number, txids: readonly Uint8Array[]): void {
    const v = new Uint8Array(32 * txids.length);
    txids.forEach((t, i) => v.set(t, 32 * i));
    this.#put(txidsKey(height), v);
  }
  /** Number of queued operations. */
  get size(): number {
    return this.#ops.length;
  }
  /** Writes everything plus the new tip pointer atomically. */
  async write(tip: TipRecord): Promise<void> {
    if (this.#done) throw new StoreError("batch already written");
    this.#done = true;
    await this.#store._commit(this.#ops, tip);
  }
}

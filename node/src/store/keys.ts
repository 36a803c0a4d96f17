/**
 * The key layout of the chain database (one LevelDB, binary keys, one-byte prefixes).
 * Heights and indices are u64 big-endian so that keys sort numerically. See docs/node.md §Data directory.
 *
 * | prefix | key                       | value                                                   |
 * |--------|---------------------------|---------------------------------------------------------|
 * | `M`    | `M` ‖ name (ASCII)        | meta records: `tip`, `version`, `genesis`; store heads `bodyhead`, `tail`, `statetail` (u64be each, ./prune.ts) |
 * | `h`    | `h` ‖ u64be(height)       | header (canonical consensus encoding)                   |
 * | `H`    | `H` ‖ hash(32)            | u64be(height): header/block hash → height               |
 * | `b`    | `b` ‖ u64be(height)       | block (canonical consensus encoding)                    |
 * | `c`    | `c` ‖ u64be(height)       | finality certificate (canonical encoding)               |
 * | `g`    | `g` ‖ u64be(height)       | u64be cumulative output count after the block           |
 * | `o`    | `o` ‖ u64be(globalIndex)  | output record (see `encodeOutputRecord`)                |
 * | `k`    | `k` ‖ keyImage(32)        | u64be(height) of the spending block                     |
 * | `n`    | `n` ‖ u64be(position)     | MMR node hash (32)                                      |
 * | `t`    | `t` ‖ txid(32)            | u64be(height) ‖ u32be(position in block)               |
 * | `x`    | `x` ‖ u64be(height)       | the block's txids, concatenated (32 each, block order)  |
 * | `O`    | `O` ‖ oneTimeKey(32)      | u64be(globalIndex) of the output with that key          |
 * | `E`    | `E` ‖ u64be(height) ‖ hash(32) | safety-failure evidence (see `encodeEvidence`)     |
 * | `P`    | `P` ‖ u64be(height)       | unbond payouts paid in the block: n × (oneTimeKey 32 ‖ u8 viewTag ‖ u64le amount ‖ txPublicKey 32) |
 * | `S`    | `S` ‖ u64be(height)       | staking record after the block: u64le setStartHeight ‖ `encodeStakingState` (docs/consensus.md §5.5) |
 * | `V`    | `V` ‖ validator(32) ‖ voteHash(32) | u64be(height) of the block whose invalid-attestation evidence slashed that vote (docs/consensus.md §6.3) |
 * | `m`    | `m` ‖ u64be(pos0)         | header-MMR node hash (32); leaf `i` = `headerLeafHash(i, hash of block i)` (docs/protocol.md §5.4) |
 * | `U`    | `U` ‖ u64be(height)       | super-parent pointers after the block, run-length encoded ({@link encodeSuperParents}) |
 * | `K`    | `K` ‖ position (2..34)    | key-image set tree record (33; docs/protocol.md §15.2)  |
 * | `C`    | `C` ‖ u64be(height)       | a header kept in the cascade: its `encodeCascade` node bytes (u8 level ‖ header ‖ pointers; ../cascade-store.ts) |
 * | `L`    | `L` ‖ u64be(height)       | fast-synced nodes: the set after set change `height`, `validatorSetBytes` (./set-change-records.ts); meta `setchain` |
 * @module
 */

/** Prefix `M` (0x4d): meta records, key `M ‖ name`: `"tip"` → 64-byte tip record ({@link encodeTip}), `"version"` → u32be schema version, `"genesis"` → genesis block hash (32). */
export const P_META = 0x4d; // M
/** Prefix `h` (0x68): headers, key `h ‖ u64be(height)` → the 456 header bytes (`encodeHeader`, docs/protocol.md §10.2). */
export const P_HEADER = 0x68; // h
/** Prefix `H` (0x48): block hash index, key `H ‖ hash[32]` → u64be(height). */
export const P_HASH = 0x48; // H
/** Prefix `b` (0x62): blocks, key `b ‖ u64be(height)` → the block's wire bytes (`encodeBlock`, docs/protocol.md §10.3). */
export const P_BLOCK = 0x62; // b
/** Prefix `c` (0x63): finality certificates, key `c ‖ u64be(height)` → the certificate's wire bytes (`encodeCertificate`, docs/protocol.md §10.4; genesis: an empty certificate). */
export const P_CERT = 0x63; // c
/** Prefix `g` (0x67): output distribution, key `g ‖ u64be(height)` → u64be cumulative output count after the block. */
export const P_CUMOUT = 0x67; // g
/** Prefix `o` (0x6f): outputs, key `o ‖ u64be(globalIndex)` → 80-byte output record ({@link encodeOutputRecord}). */
export const P_OUTPUT = 0x6f; // o
/** Prefix `k` (0x6b): spent key images, key `k ‖ keyImage[32]` → u64be height of the spending block. */
export const P_KEYIMAGE = 0x6b; // k
/** Prefix `n` (0x6e): MMR nodes, key `n ‖ u64be(pos0)` (post-order position from 0) → node hash (32 bytes). */
export const P_MMR = 0x6e; // n
/** Prefix `t` (0x74): tx index, key `t ‖ txid[32]` → `u64be(height) ‖ u32be(position in block)` (12 bytes). */
export const P_TX = 0x74; // t
/** Prefix `x` (0x78): block txids, key `x ‖ u64be(height)` → the block's txids, 32 bytes each, in block order. */
export const P_TXIDS = 0x78; // x

/** Prefix `O` (0x4f): one-time-key index, key `O ‖ oneTimeKey[32]` → u64be(globalIndex) (schema 2; the burning-bug check). */
export const P_ONETIME = 0x4f; // O
/** Prefix `E` (0x45): safety-failure evidence, key `E ‖ u64be(height) ‖ blockHash[32]` of the conflicting block → {@link encodeEvidence} record. */
export const P_EVIDENCE = 0x45; // E

/**
 * The on-disk schema version (bump on any layout change). 2: adds the one-time-key index `O`
 * and the evidence prefix `E`. 3: header v2 with `headerRoot`, `superParentsRoot` and
 * `keyImageRoot` (456-byte headers) and the prefixes `m`, `U`, `K` that maintain them. 4: header
 * v2 with `stakingStateHash` (488-byte headers). Older databases hold headers of another format
 * and are refused on open (re-sync).
 */
export const SCHEMA_VERSION = 4;

/** Encodes `n` as 8 bytes unsigned big-endian (keys sort numerically). @throws RangeError when `n` is not an integer in [0, 2^64) */
export function u64be(n: number | bigint): Uint8Array {
  const v = BigInt(n);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64be: ${v} is outside [0, 2^64)`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v);
  return out;
}
/** Reads the u64 big-endian at byte offset `off` as a number. @throws RangeError when the value exceeds 2^53 − 1 or fewer than 8 bytes remain at `off` */
export function readU64be(b: Uint8Array, off = 0): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("u64 above 2^53");
  return Number(v);
}
/** Encodes `n` as 4 bytes unsigned big-endian. @throws RangeError when `n` is not an integer in [0, 2^32) */
export function u32be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new RangeError(`u32be: ${n} is outside [0, 2^32)`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}
/** Reads the u32 big-endian at byte offset `off`. @throws RangeError when fewer than 4 bytes remain at `off` */
export function readU32be(b: Uint8Array, off = 0): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off);
}

function prefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 1);
  const out = new Uint8Array(len);
  out[0] = prefix;
  let off = 1;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Key `M ‖ UTF-8(name)` of a meta record (`"tip"`, `"version"`, `"genesis"`, and the store heads `"bodyhead"`, `"tail"`, `"statetail"`: u64be heights, docs/pruning.md §Store heads). */
export const metaKey = (name: string): Uint8Array => prefixed(P_META, new TextEncoder().encode(name));
/** Key `h ‖ u64be(height)` (9 bytes) of a header. */
export const headerKey = (height: number): Uint8Array => prefixed(P_HEADER, u64be(height));
/** Key `H ‖ hash` (33 bytes for a 32-byte block hash) of the hash → height index. */
export const hashKey = (hash: Uint8Array): Uint8Array => prefixed(P_HASH, hash);
/** Key `b ‖ u64be(height)` (9 bytes) of a block. */
export const blockKey = (height: number): Uint8Array => prefixed(P_BLOCK, u64be(height));
/** Key `c ‖ u64be(height)` (9 bytes) of a finality certificate. */
export const certKey = (height: number): Uint8Array => prefixed(P_CERT, u64be(height));
/** Key `g ‖ u64be(height)` (9 bytes) of the cumulative output count after block `height`. */
export const cumOutKey = (height: number): Uint8Array => prefixed(P_CUMOUT, u64be(height));
/** Key `o ‖ u64be(globalIndex)` (9 bytes) of an output record. */
export const outputKey = (index: number): Uint8Array => prefixed(P_OUTPUT, u64be(index));
/** Key `k ‖ keyImage` (33 bytes for a 32-byte key image) of a spent key image. */
export const keyImageKey = (ki: Uint8Array): Uint8Array => prefixed(P_KEYIMAGE, ki);
/** Key `n ‖ u64be(pos0)` (9 bytes) of the MMR node at post-order position `pos0`. */
export const mmrKey = (pos: number): Uint8Array => prefixed(P_MMR, u64be(pos));
/** Key `t ‖ txid` (33 bytes for a 32-byte txid) of a transaction's location. */
export const txKey = (txid: Uint8Array): Uint8Array => prefixed(P_TX, txid);
/** Key `O ‖ oneTimeKey` (33 bytes) of the one-time-key index. */
export const oneTimeKeyKey = (oneTimeKey: Uint8Array): Uint8Array => prefixed(P_ONETIME, oneTimeKey);
/** Key `E ‖ u64be(height) ‖ blockHash` (41 bytes) of a safety-failure evidence record. */
export const evidenceKey = (height: number, blockHash: Uint8Array): Uint8Array => prefixed(P_EVIDENCE, u64be(height), blockHash);
/** Key `x ‖ u64be(height)` (9 bytes) of a block's txid list. */
export const txidsKey = (height: number): Uint8Array => prefixed(P_TXIDS, u64be(height));
/** Prefix `P` (0x50): unbond payouts of a block, key `P ‖ u64be(height)` → 73 bytes per payout, in payout order (only blocks that pay some). */
export const P_PAYOUTS = 0x50; // P
export const payoutsKey = (height: number): Uint8Array => prefixed(P_PAYOUTS, u64be(height));
/** Prefix `S` (0x53): staking records, key `S ‖ u64be(height)` → `u64le setStartHeight ‖ encodeStakingState(state after the block)`. */
export const P_STAKING = 0x53; // S
export const stakingRecordKey = (height: number): Uint8Array => prefixed(P_STAKING, u64be(height));
/** Prefix `V` (0x56): votes slashed by invalid-attestation evidence, key `V ‖ validator[32] ‖ voteHash[32]` (voteHash = the §2.1 signed vote hash) → u64be(height of the including block). */
export const P_SLASHED_VOTE = 0x56; // V
/** Key `V ‖ validator ‖ voteHash` (65 bytes) of a vote already slashed as an invalid attestation. */
export const slashedVoteKey = (validator: Uint8Array, voteHash: Uint8Array): Uint8Array => prefixed(P_SLASHED_VOTE, validator, voteHash);

/** Prefix `m` (0x6d): header-MMR nodes, key `m ‖ u64be(pos0)` → node hash (32 bytes); leaf count = tip height + 1. */
export const P_HEADER_MMR = 0x6d; // m
/** Key `m ‖ u64be(pos0)` (9 bytes) of a header-MMR node. */
export const headerMmrKey = (pos: number): Uint8Array => prefixed(P_HEADER_MMR, u64be(pos));
/** Prefix `U` (0x55): super-parent pointers after each block, key `U ‖ u64be(height)` → {@link encodeSuperParents}. */
export const P_SUPER_PARENTS = 0x55; // U
/** Key `U ‖ u64be(height)` (9 bytes). */
export const superParentsKey = (height: number): Uint8Array => prefixed(P_SUPER_PARENTS, u64be(height));
/** Prefix `K` (0x4b): key-image set tree records, key `K ‖ kisetPosition(depth, key)` → 33-byte record (docs/protocol.md §15.2). */
export const P_KISET = 0x4b; // K
/** Key `K ‖ position` (3..35 bytes) of a key-image set tree record. */
export const kisetKeyOf = (position: Uint8Array): Uint8Array => prefixed(P_KISET, position);

/** Prefix `C` (0x43): cascade nodes, key `C ‖ u64be(height)` → the node's bytes in `encodeCascade` (docs/cascade.md §5): `u8 level ‖ header[488] ‖ levels × (u64le height ‖ hash[32])`. Meta `cascade` → u64be height of the cascade's tip. */
export const P_CASCADE = 0x43; // C
/** Key `C ‖ u64be(height)` (9 bytes) of a cascade node. */
export const cascadeKey = (height: number): Uint8Array => prefixed(P_CASCADE, u64be(height));
/**
 * Prefix `L` (0x4c): set-change records of a fast-synced node (./set-change-records.ts), key
 * `L ‖ u64be(c)` → `validatorSetBytes` of the set that finalizes c + 1 (`u32le n ‖ n × (publicKey[32] ‖ u64le stake)`),
 * for every set change c ≤ meta `setchain` (u64be).
 */
export const P_SET_CHANGE = 0x4c; // L
/** Key `L ‖ u64be(height)` (9 bytes) of a set-change record. */
export const setChangeKey = (height: number): Uint8Array => prefixed(P_SET_CHANGE, u64be(height));

/** One super-parent pointer: block height and hash (32 bytes); height 0 with a zero hash is "none". */
export interface StoredPointer {
  height: bigint;
  hash: Uint8Array;
}

/**
 * Pointers (level 0 first) run-length encoded: equal neighbours form runs, since heights do not
 * increase with the level. `u8 nRuns ‖ nRuns × (u8 lastLevel ‖ u64be height ‖ hash[32])`, runs in
 * level order, the last run ending at level `entries.length − 1`: 1 + 41·runs bytes (≈ log2(height) + 2
 * runs, instead of 40 × 32 bytes).
 * @throws RangeError on no entries or more than 256
 */
export function encodeSuperParents(entries: readonly StoredPointer[]): Uint8Array {
  if (entries.length === 0 || entries.length > 256) throw new RangeError(`super parents: ${entries.length} entries`);
  const runs: { last: number; e: StoredPointer }[] = [];
  entries.forEach((e, i) => {
    const prev = runs[runs.length - 1];
    if (prev !== undefined && prev.e.height === e.height && prev.e.hash.every((b, k) => b === e.hash[k])) prev.last = i;
    else runs.push({ last: i, e });
  });
  const out = new Uint8Array(1 + 41 * runs.length);
  out[0] = runs.length;
  runs.forEach((r, k) => {
    out[1 + 41 * k] = r.last;
    out.set(u64be(r.e.height), 2 + 41 * k);
    out.set(r.e.hash, 10 + 41 * k);
  });
  return out;
}
/** Decodes {@link encodeSuperParents}. @throws RangeError on a malformed record */
export function decodeSuperParents(b: Uint8Array): StoredPointer[] {
  const n = b[0] ?? 0;
  if (n === 0 || b.length !== 1 + 41 * n) throw new RangeError("super-parents record: bad length");
  const out: StoredPointer[] = [];
  for (let k = 0; k < n; k++) {
    const last = b[1 + 41 * k] as number;
    if (last < out.length) throw new RangeError("super-parents record: runs out of order");
    const e = { height: new DataView(b.buffer, b.byteOffset + 2 + 41 * k, 8).getBigUint64(0), hash: b.slice(10 + 41 * k, 42 + 41 * k) };
    while (out.length <= last) out.push(e);
  }
  return out;
}

/** `[prefix, prefix+1)`: the key range of one prefix, for iteration. */
export function prefixRange(prefix: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) };
}

/** One output as stored: what a ring member needs plus where it was made. */
export interface StoredOutput {
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** Height of the block that created it. */
  height: number;
  /** First height at which it may be a ring member (coinbase: height + maturity; others: height + 1). */
  unlockHeight: bigint;
}

/** `oneTimeKey(32) ‖ commitment(32) ‖ u64be(height) ‖ u64be(unlockHeight)`: 80 bytes. */
export function encodeOutputRecord(o: StoredOutput): Uint8Array {
  const out = new Uint8Array(80);
  out.set(o.oneTimeKey, 0);
  out.set(o.commitment, 32);
  out.set(u64be(o.height), 64);
  out.set(u64be(o.unlockHeight), 72);
  return out;
}
/** Decodes an 80-byte output record ({@link encodeOutputRecord}); keys are copies. @throws RangeError when `b` is not 80 bytes or the height exceeds 2^53 − 1 */
export function decodeOutputRecord(b: Uint8Array): StoredOutput {
  if (b.length !== 80) throw new RangeError(`output record: ${b.length} bytes, expected 80`);
  const unlockHeight = new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(72);
  return { oneTimeKey: b.slice(0, 32), commitment: b.slice(32, 64), height: readU64be(b, 64), unlockHeight };
}

/** The tip pointer, written in the same batch as the block it points to. */
export interface TipRecord {
  height: number;
  hash: Uint8Array;
  /** Outputs in the output set after this block (= MMR leaf count). */
  outputs: number;
  /** Key images spent up to and including this block. */
  keyImages: number;
  /** MMR node count after this block. */
  mmrNodes: number;
}
/** `u64be height ‖ hash(32) ‖ u64be outputs ‖ u64be keyImages ‖ u64be mmrNodes`: 64 bytes. */
export function encodeTip(t: TipRecord): Uint8Array {
  const out = new Uint8Array(64);
  out.set(u64be(t.height), 0);
  out.set(t.hash, 8);
  out.set(u64be(t.outputs), 40);
  out.set(u64be(t.keyImages), 48);
  out.set(u64be(t.mmrNodes), 56);
  return out;
}
/** Decodes a 64-byte tip record ({@link encodeTip}); the hash is a copy. @throws RangeError when `b` is not 64 bytes or a field exceeds 2^53 − 1 */
export function decodeTip(b: Uint8Array): TipRecord {
  if (b.length !== 64) throw new RangeError(`tip record: ${b.length} bytes, expected 64`);
  return { height: readU64be(b, 0), hash: b.slice(8, 40), outputs: readU64be(b, 40), keyImages: readU64be(b, 48), mmrNodes: readU64be(b, 56) };
}

/**
 * Evidence of a safety failure: two blocks at one height, each with a finality certificate that
 * verifies against the validator set (docs/node.md §Safety failures). Both headers and both
 * certificates are kept (canonical consensus encodings, as in the `h`/`c` records).
 */
export interface EvidenceRecord {
  /** Height both blocks claim. */
  height: number;
  /** When the conflict was detected, ms since the Unix epoch. */
  detectedAtMs: number;
  /** The header finalized locally (at `h ‖ height`). */
  finalizedHeader: Uint8Array;
  /** Its certificate. */
  finalizedCertificate: Uint8Array;
  /** The conflicting header that arrived. */
  conflictingHeader: Uint8Array;
  /** Its certificate. */
  conflictingCertificate: Uint8Array;
}

/** `u64be height ‖ u64be detectedAtMs ‖ 4 × (u32be length ‖ bytes)` in the field order of {@link EvidenceRecord}. */
export function encodeEvidence(e: EvidenceRecord): Uint8Array {
  const parts = [e.finalizedHeader, e.finalizedCertificate, e.conflictingHeader, e.conflictingCertificate];
  const out = new Uint8Array(16 + parts.reduce((a, p) => a + 4 + p.length, 0));
  out.set(u64be(e.height), 0);
  out.set(u64be(e.detectedAtMs), 8);
  let off = 16;
  for (const p of parts) {
    out.set(u32be(p.length), off);
    out.set(p, off + 4);
    off += 4 + p.length;
  }
  return out;
}
/** Decodes {@link encodeEvidence}. @throws RangeError when the record is truncated or has trailing bytes */
export function decodeEvidence(b: Uint8Array): EvidenceRecord {
  if (b.length < 32) throw new RangeError("evidence record: too short");
  const height = readU64be(b, 0);
  const detectedAtMs = readU64be(b, 8);
  const parts: Uint8Array[] = [];
  let off = 16;
  for (let i = 0; i < 4; i++) {
    if (off + 4 > b.length) throw new RangeError("evidence record: truncated");
    const n = readU32be(b, off);
    if (off + 4 + n > b.length) throw new RangeError("evidence record: truncated");
    parts.push(b.slice(off + 4, off + 4 + n));
    off += 4 + n;
  }
  if (off !== b.length) throw new RangeError("evidence record: trailing bytes");
  const [finalizedHeader, finalizedCertificate, conflictingHeader, conflictingCertificate] = parts as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  return { height, detectedAtMs, finalizedHeader, finalizedCertificate, conflictingHeader, conflictingCertificate };
}

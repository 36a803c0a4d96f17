/**
 * The consensus hashes of docs/protocol.md §1, §4–§9, recomputed from the specification on
 * `@noble/hashes` (through {@link h64}): `h32(tag, data)` = the first 32 bytes of
 * `SHA-512(u8(len(tag)) ‖ tag ‖ data)`, the RFC 6962-style Merkle roots (tx, evidence, staking),
 * the output MMR root, the validator-set hash, the certificate, unbond and bond-consent hashes,
 * the block PoW check, superblock level and retarget (§5.2), and a rebuild of a genesis block
 * from its genesis file (§13).
 * Nothing is imported from `@baios/consensus`.
 *
 * @module
 */
import { beToBigint, concat, decodePoint, encodePoint, fromHex, mulBase, u32le, u64le } from "./encoding.ts";
import { h64, hs } from "./hash.ts";
import { commit } from "./pedersen.ts";
import { makeOutput } from "./stealth.ts";
import { writeCoinbase, writeHeader, type WireCoinbase, type WireHeader } from "./wire.ts";

/** The consensus tags of docs/protocol.md §1 (ASCII). */
export const CONSENSUS_TAGS = {
  txid: "BAIOS/v1/txid",
  txSign: "BAIOS/v1/tx-sign",
  txLeaf: "BAIOS/v1/tx-leaf",
  txRoot: "BAIOS/v1/tx-root",
  coinbase: "BAIOS/v1/coinbase",
  block: "BAIOS/v1/block",
  mmrLeaf: "BAIOS/v1/mmr-leaf",
  mmrNode: "BAIOS/v1/mmr-node",
  mmrBag: "BAIOS/v1/mmr-bag",
  precommit: "BAIOS/v1/precommit",
  prevote: "BAIOS/v1/prevote",
  validators: "BAIOS/v1/validators",
  genesisTxKey: "BAIOS/v1/genesis-tx-key",
  certificate: "BAIOS/v1/certificate",
  unbond: "BAIOS/v1/unbond",
  unbondLeaf: "BAIOS/v1/unbond-leaf",
  stakingRoot: "BAIOS/v1/staking-root",
  evidence: "BAIOS/v1/evidence",
  evidenceRoot: "BAIOS/v1/evidence-root",
  bond: "BAIOS/v1/bond",
  headerLeaf: "BAIOS/v1/header-leaf",
  superParents: "BAIOS/v1/super-parents",
  stakingState: "BAIOS/v1/staking-state",
} as const;

/** Levels of the super-parent pointers (docs/cascade.md §2). */
export const SUPER_PARENT_LEVELS = 32;

/** Header-MMR leaf of block `height` (docs/protocol.md §5.4): `h32("BAIOS/v1/header-leaf", u64le(height) ‖ blockHash)`. */
export function headerLeafOf(height: bigint, blockHash: Uint8Array): Uint8Array {
  return h32(CONSENSUS_TAGS.headerLeaf, concat(u64le(height), blockHash));
}

/**
 * `superParentsRoot` (docs/cascade.md §3) of pointers given as 32 `{height, hash}` entries, level 0
 * first: the §6 Merkle tree under `BAIOS/v1/super-parents` over `u64le height ‖ hash[32]`.
 */
export function superParentsRootOf(entries: readonly { height: bigint; hash: Uint8Array }[]): Uint8Array {
  return merkleRootOf(entries.map((e) => concat(u64le(e.height), e.hash)), CONSENSUS_TAGS.superParents);
}

/**
 * The pointers after one block when the pointers before it are all none (height 0, zero hash):
 * entries `0 ..= level` name the block, with `level = min(powLevel, 31)`, and 0 when the hash is
 * above the target (only genesis may be).
 */
export function pointersAfterFirst(height: bigint, hash: Uint8Array, target: Uint8Array): { height: bigint; hash: Uint8Array }[] {
  const level = Math.min(Math.max(powLevelOf(hash, target), 0), SUPER_PARENT_LEVELS - 1);
  return Array.from({ length: SUPER_PARENT_LEVELS }, (_, i) => (i <= level ? { height, hash } : { height: 0n, hash: new Uint8Array(32) }));
}

/**
 * `h32(tag, data)`: the first 32 bytes of `H64(tag, data)` (docs/protocol.md notation).
 *
 * @param tag - ASCII tag.
 * @param data - the bytes.
 */
export function h32(tag: string, data: Uint8Array): Uint8Array {
  return h64(tag, data).slice(0, 32);
}

/**
 * The tx root (§6): `MTH([]) = h32(T, "")`, `MTH([d]) = h32(T, 0x00 ‖ d)`,
 * `MTH(D) = h32(T, 0x01 ‖ MTH(D[0..k]) ‖ MTH(D[k..n]))`, k the largest power of two < n.
 *
 * @param items - `[coinbaseHash, txLeaf_0, …]`.
 */
export function txRootOf(items: readonly Uint8Array[]): Uint8Array {
  return merkleRootOf(items, CONSENSUS_TAGS.txRoot);
}

/**
 * The same Merkle tree under another tag `T` (evidenceRoot: `BAIOS/v1/evidence-root` over
 * evidence leaves; stakingRoot: `BAIOS/v1/staking-root` over unbond leaves).
 */
export function merkleRootOf(items: readonly Uint8Array[], T: string): Uint8Array {
  if (items.length === 0) return h32(T, new Uint8Array(0));
  if (items.length === 1) return h32(T, concat(Uint8Array.of(0), items[0] as Uint8Array));
  let k = 1;
  while (2 * k < items.length) k *= 2;
  return h32(T, concat(Uint8Array.of(1), merkleRootOf(items.slice(0, k), T), merkleRootOf(items.slice(k), T)));
}

/** `lastCertificateHash`: `h32("BAIOS/v1/certificate", certificate bytes)`. */
export function certificateHashOf(certBytes: Uint8Array): Uint8Array {
  return h32(CONSENSUS_TAGS.certificate, certBytes);
}

/** The message an unbond's validator signs: `h32("BAIOS/v1/unbond", u32le chainId ‖ the first 105 unbond bytes)`. */
export function unbondMessageOf(chainId: number, signedBytes: Uint8Array): Uint8Array {
  return h32(CONSENSUS_TAGS.unbond, concat(u32le(chainId), signedBytes));
}

/**
 * A bond's consent message: `h32("BAIOS/v1/bond", signing bytes with the 64 consent bytes zeroed)`;
 * in a version-2 tx the consent signature sits at bytes 56..120 of the signing bytes.
 */
export function bondConsentMessageOf(signingBytes: Uint8Array): Uint8Array {
  const zeroed = signingBytes.slice();
  zeroed.fill(0, 56, 120);
  return h32(CONSENSUS_TAGS.bond, zeroed);
}

/** Whether a block hash, read as a 256-bit big-endian integer, is ≤ the target (the block PoW). */
export function meetsBlockTarget(hash: Uint8Array, target: Uint8Array): boolean {
  return beToBigint(hash) <= beToBigint(target);
}

/** Superblock level: the largest `L ≤ 63` with `hash · 2^L ≤ target`; −1 when `hash > target`. */
export function powLevelOf(hash: Uint8Array, target: Uint8Array): number {
  const h = beToBigint(hash);
  const t = beToBigint(target);
  if (h > t) return -1;
  let level = 0;
  while (level < 63 && h * 2n ** BigInt(level + 1) <= t) level++;
  return level;
}

/**
 * The retarget (§5.2): with `T = blockTimeMs`, `Δ = min(max(parentTime − grandparentTime, 0), 4T)`,
 * `next = ⌊t·(7T + Δ)/(8T)⌋`, kept within `[⌊t/2⌋, 2t]`, then within `[1, max]`.
 */
export function retarget(t: bigint, parentTimeMs: bigint, grandparentTimeMs: bigint, blockTimeMs: bigint, max: bigint): bigint {
  let d = parentTimeMs - grandparentTimeMs;
  if (d < 0n) d = 0n;
  if (d > 4n * blockTimeMs) d = 4n * blockTimeMs;
  let next = (t * (7n * blockTimeMs + d)) / (8n * blockTimeMs);
  if (next < t / 2n) next = t / 2n;
  if (next > 2n * t) next = 2n * t;
  if (next > max) next = max;
  if (next < 1n) next = 1n;
  return next;
}

/**
 * The tx-root leaf of a tx: `h32("BAIOS/v1/tx-leaf", txid ‖ u64le(powNonce))`.
 */
export function txLeaf(txid: Uint8Array, powNonce: bigint): Uint8Array {
  return h32(CONSENSUS_TAGS.txLeaf, concat(txid, u64le(powNonce)));
}

/**
 * The output MMR root (§8) of the given leaf hashes: one perfect tree per set bit of `n`,
 * largest (leftmost) first, nodes `h32("BAIOS/v1/mmr-node", left ‖ right)`, bagged as
 * `h32("BAIOS/v1/mmr-bag", u64le(n) ‖ peak_0 ‖ …)`.
 *
 * @param leaves - leaf hashes in global-index order.
 */
export function mmrRootOf(leaves: readonly Uint8Array[]): Uint8Array {
  const perfect = (xs: readonly Uint8Array[]): Uint8Array =>
    xs.length === 1 ? (xs[0] as Uint8Array) : h32(CONSENSUS_TAGS.mmrNode, concat(perfect(xs.slice(0, xs.length / 2)), perfect(xs.slice(xs.length / 2))));
  const peaks: Uint8Array[] = [];
  let at = 0;
  for (let bit = 62; bit >= 0; bit--) {
    const size = 2 ** bit;
    if (leaves.length - at >= size) {
      peaks.push(perfect(leaves.slice(at, at + size)));
      at += size;
    }
  }
  return h32(CONSENSUS_TAGS.mmrBag, concat(u64le(BigInt(leaves.length)), ...peaks));
}

/**
 * The validator-set hash (§9): sorted by key bytes, `u32le n ‖ n × (key[32] ‖ u64le stake)`.
 *
 * @param validators - keys and stakes, any order.
 */
export function validatorsHashOf(validators: readonly { publicKey: Uint8Array; stake: bigint }[]): Uint8Array {
  const sorted = [...validators].sort((a, b) => {
    for (let i = 0; i < 32; i++) if (a.publicKey[i] !== b.publicKey[i]) return (a.publicKey[i] as number) - (b.publicKey[i] as number);
    return 0;
  });
  return h32(CONSENSUS_TAGS.validators, concat(u32le(sorted.length), ...sorted.flatMap((v) => [v.publicKey, u64le(v.stake)])));
}

/**
 * `stakingStateHash` of the genesis staking state (docs/consensus.md §5.4–§5.5), written out from
 * the byte table: `h32("BAIOS/v1/staking-state", u8 1 ‖ u64le 0 (height) ‖ u64le 0 (burned) ‖
 * u32le 0 (certificates) ‖ u32le n ‖ n × (key[32] ‖ u64le bonded ‖ u32le 1000 ‖ u8 0 (active) ‖
 * u8 0 ‖ u32le 0 ‖ u32le 0) ‖ u32le 0 (queue) ‖ set ‖ set)`, records and both sets sorted by key,
 * `set = u32le n ‖ n × (key[32] ‖ u64le stake)`.
 */
export function genesisStakingStateHashOf(validators: readonly { publicKey: Uint8Array; stake: bigint }[]): Uint8Array {
  const sorted = [...validators].sort((a, b) => {
    for (let i = 0; i < 32; i++) if (a.publicKey[i] !== b.publicKey[i]) return (a.publicKey[i] as number) - (b.publicKey[i] as number);
    return 0;
  });
  const set = concat(u32le(sorted.length), ...sorted.flatMap((v) => [v.publicKey, u64le(v.stake)]));
  const records = sorted.flatMap((v) => [v.publicKey, u64le(v.stake), u32le(1000), Uint8Array.of(0, 0), u32le(0), u32le(0)]);
  return h32(CONSENSUS_TAGS.stakingState, concat(Uint8Array.of(1), u64le(0n), u64le(0n), u32le(0), u32le(sorted.length), ...records, u32le(0), set, set));
}

/** The §9 vote bytes `u32le chainId ‖ u64le height ‖ u32le round ‖ blockHash`. */
export function voteBytesOf(chainId: number, height: bigint, round: number, blockHash: Uint8Array): Uint8Array {
  return concat(u32le(chainId), u64le(height), u32le(round), blockHash);
}

/** What {@link rebuildGenesis} derives. */
export interface RebuiltGenesis {
  readonly blockBytes: Uint8Array;
  readonly blockHash: Uint8Array;
  readonly coinbaseHash: Uint8Array;
  readonly txRoot: Uint8Array;
  readonly outputRoot: Uint8Array;
  readonly validatorsHash: Uint8Array;
}

/** Reads a field of the genesis JSON, failing loudly on a wrong type. */
function need<T>(o: Record<string, unknown>, k: string, ok: (v: unknown) => v is T): T {
  const v = o[k];
  if (!ok(v)) throw new TypeError(`genesis file: ${k} has the wrong type`);
  return v;
}
const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isArr = (v: unknown): v is unknown[] => Array.isArray(v);

/**
 * Rebuilds a genesis block from its genesis file (§13) and returns its wire bytes (§10:
 * `header ‖ coinbase ‖ u32le(0)`) and hashes. Premine output `i` is `makeOutput(r, A_i, B_i, i,
 * amount_i)` with `r = Hs("BAIOS/v1/genesis-tx-key", u32le(chainId))`; its MMR leaf commits to
 * `G + amount·H`; the header (version 2) has height 0, a zero parent hash, the file's time,
 * Tx-PoW target and initial block target, the set's hash as validatorsHash and
 * nextValidatorsHash, the hash of the body certificate `{0, 0, zero hash, no votes}`, empty
 * evidence and staking roots and nonce 0; the body ends with that certificate and two zero counts.
 *
 * @param file - the parsed genesis JSON.
 * @throws TypeError on a malformed file; CryptoError on an invalid key.
 */
export function rebuildGenesis(file: unknown): RebuiltGenesis {
  if (!isObj(file)) throw new TypeError("genesis file is not an object");
  const chainId = need(file, "chainId", isNum);
  const params = need(file, "params", isObj);
  const validators = need(file, "validators", isArr).map((v) => {
    if (!isObj(v)) throw new TypeError("validator entry is not an object");
    return { publicKey: fromHex(need(v, "publicKey", isStr)), stake: BigInt(need(v, "stake", isStr)) };
  });
  const premine = need(file, "premine", isArr).map((p) => {
    if (!isObj(p)) throw new TypeError("premine entry is not an object");
    return {
      A: decodePoint(fromHex(need(p, "viewPublic", isStr)), "viewPublic"),
      B: decodePoint(fromHex(need(p, "spendPublic", isStr)), "spendPublic"),
      amount: BigInt(need(p, "amount", isStr)),
      unlockHeight: BigInt(need(p, "unlockHeight", isStr)),
    };
  });
  const r = hs(CONSENSUS_TAGS.genesisTxKey, u32le(chainId));
  const outs = premine.map((p, i) => ({ made: makeOutput(r, p.A, p.B, BigInt(i), p.amount), ...p }));
  const coinbase: WireCoinbase = {
    height: 0n,
    txPublicKey: encodePoint(mulBase(r)),
    outputs: outs.map((o) => ({ oneTimeKey: encodePoint(o.made.oneTimeKey), viewTag: o.made.viewTag, amount: o.amount, unlockHeight: o.unlockHeight })),
  };
  const coinbaseBytes = writeCoinbase(coinbase);
  const coinbaseHash = h32(CONSENSUS_TAGS.coinbase, coinbaseBytes);
  const txRoot = txRootOf([coinbaseHash]);
  const leaves = outs.map((o, i) => h32(CONSENSUS_TAGS.mmrLeaf, concat(u64le(BigInt(i)), encodePoint(o.made.oneTimeKey), encodePoint(commit(o.amount, 1n)))));
  const outputRoot = mmrRootOf(leaves);
  const validatorsHash = validatorsHashOf(validators);
  const certBytes = concat(u64le(0n), u32le(0), new Uint8Array(32), u32le(0));
  const header: WireHeader = {
    version: 2,
    chainId,
    height: 0n,
    parentHash: new Uint8Array(32),
    timeMs: BigInt(need(file, "timeMs", isStr)),
    txRoot,
    outputRoot,
    outputCount: BigInt(outs.length),
    txPowTarget: fromHex(need(params, "txPowTarget", isStr)),
    blockTarget: fromHex(need(params, "blockTarget", isStr)),
    validatorsHash,
    nextValidatorsHash: validatorsHash,
    lastCertificateHash: certificateHashOf(certBytes),
    evidenceRoot: merkleRootOf([], CONSENSUS_TAGS.evidenceRoot),
    stakingRoot: merkleRootOf([], CONSENSUS_TAGS.stakingRoot),
    headerRoot: mmrRootOf([]),
    superParentsRoot: superParentsRootOf(Array.from({ length: SUPER_PARENT_LEVELS }, () => ({ height: 0n, hash: new Uint8Array(32) }))),
    keyImageRoot: new Uint8Array(32),
    stakingStateHash: genesisStakingStateHashOf(validators),
    powNonce: 0n,
  };
  const headerBytes = writeHeader(header);
  return {
    blockBytes: concat(headerBytes, coinbaseBytes, u32le(0), certBytes, u32le(0), u32le(0)),
    blockHash: h32(CONSENSUS_TAGS.block, headerBytes),
    coinbaseHash,
    txRoot,
    outputRoot,
    validatorsHash,
  };
}

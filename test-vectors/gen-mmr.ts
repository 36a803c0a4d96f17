/**
 * Generator of `test-vectors/mmr.json`: golden MMR roots, inclusion proofs and consistency
 * proofs (docs/mmr.md), from `@baios/consensus` (consensus/src/mmr/).
 *
 * Leaves are output leaves `h32("BAIOS/v1/mmr-leaf", u64le(i) ‖ oneTimeKey ‖ commitment)` with
 * `oneTimeKey = h32("BAIOS/v1/test-vectors/mmr.json/key", u64le(i))` and
 * `commitment = h32("BAIOS/v1/test-vectors/mmr.json/commitment", u64le(i))` (stand-ins: the MMR
 * hashes bytes, it never decodes them). A second history ("b") has the same leaves below 20
 * and other keys from 20 on (salt `.../key-b`), for the non-prefix cases.
 * Large counts (2^20, 2^32, 2^32 − 1, 2^64 − 1) are **structural**: sibling, peak and path
 * hashes are `h32("BAIOS/v1/test-vectors/mmr.json/structural", u32le(j))` and the root is the
 * one they imply (no MMR of that size is built).
 *
 * Run `node test-vectors/gen-mmr.ts` to rewrite the file; `test-vectors/test/mmr.test.ts`
 * regenerates it in memory and fails if it differs from the committed file (drift check).
 * @module
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { h32 } from "@baios/crypto";
import {
  consistencyPathLength, consistencyRoots, encodeConsistencyProof, encodeInclusionProof, MemoryMmrBackend, Mmr, mmrLeafHash, peakIndexOfLeaf, peaks,
  popcount, rootFromInclusionProof, toHex, u32le, u64le, type ConsistencyProof, type InclusionProof,
} from "@baios/consensus";

/** File name of the vectors. */
export const MMR_VECTOR_FILE = "mmr.json";
const TAG = "BAIOS/v1/test-vectors/mmr.json";
/** Leaves in the built MMR. */
const LEAVES = 100;
/** Leaves below this index are shared by histories "a" and "b". */
const SHARED = 20;

/** Leaf inputs of leaf `i` of history `salt` ("" for a, "-b" for b). */
function leafInputs(i: number, salt = ""): { oneTimeKey: Uint8Array; commitment: Uint8Array; leafHash: Uint8Array } {
  const oneTimeKey = h32(`${TAG}/key${salt}`, u64le(BigInt(i)));
  const commitment = h32(`${TAG}/commitment`, u64le(BigInt(i)));
  return { oneTimeKey, commitment, leafHash: mmrLeafHash(BigInt(i), oneTimeKey, commitment) };
}

type Case = Record<string, unknown>;
const flipped = (b: Uint8Array, at: number): Uint8Array => {
  const c = b.slice();
  c[at] = (c[at] as number) ^ 1;
  return c;
};

async function generate(): Promise<Record<string, unknown>> {
  let tcId = 0;
  const a = new Mmr(new MemoryMmrBackend());
  const b = new Mmr(new MemoryMmrBackend());
  const leaves = Array.from({ length: LEAVES }, (_, i) => leafInputs(i));
  await a.append(leaves.map((l) => l.leafHash));
  await b.append(Array.from({ length: LEAVES }, (_, i) => leafInputs(i, i < SHARED ? "" : "-b").leafHash));
  const rootA = async (n: number): Promise<Uint8Array> => a.rootAt(BigInt(n));
  let structural = 0;
  const rnd = (): Uint8Array => h32(`${TAG}/structural`, u32le(structural++));

  // ---- roots
  const roots: Case[] = [];
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 11, 16, 31, 32, 33, 64, 99, 100]) {
    const pk = await Promise.all(peaks(BigInt(n)).map(async (p) => toHex((await a.backend.get(p.pos0)) as Uint8Array)));
    roots.push({ tcId: ++tcId, comment: `${n} leaves (${pk.length} peaks)`, flags: [], result: "valid", count: String(n), peaks: pk, root: toHex(await rootA(n)) });
  }

  // ---- inclusion proofs
  const inclusion: Case[] = [];
  const incl = async (comment: string, i: number, n: number): Promise<Case> => {
    const p = await a.proof(BigInt(i), BigInt(n));
    const l = leaves[i] as { oneTimeKey: Uint8Array; commitment: Uint8Array; leafHash: Uint8Array };
    return {
      tcId: ++tcId, comment, flags: [], result: "valid", root: toHex(await rootA(n)), leafCount: String(n), leafIndex: String(i),
      oneTimeKey: toHex(l.oneTimeKey), commitment: toHex(l.commitment), leafHash: toHex(l.leafHash), proof: toHex(encodeInclusionProof(p)),
    };
  };
  inclusion.push(await incl("the only leaf of a one-leaf MMR (no siblings, no other peaks)", 0, 1));
  inclusion.push(await incl("leaf 5 of 7 (middle mountain, left child)", 5, 7));
  inclusion.push(await incl("leaf 6 of 7 (a lone last leaf: mountain of height 0)", 6, 7));
  inclusion.push(await incl("leaf 0 of 100 (leftmost)", 0, 100));
  inclusion.push(await incl("leaf 77 of 100", 77, 100));
  inclusion.push(await incl("leaf 99 of 100 (rightmost)", 99, 100));
  inclusion.push(await incl("leaf 40 against the older MMR of 64 leaves (a header's outputCount)", 40, 64));
  const structuralIncl = (comment: string, i: bigint, n: bigint): Case => {
    const pi = peakIndexOfLeaf(i, n);
    const ps = peaks(n);
    const p: InclusionProof = {
      leafIndex: i, leafCount: n,
      siblings: Array.from({ length: (ps[pi] as { height: number }).height }, rnd),
      otherPeaks: Array.from({ length: ps.length - 1 }, rnd),
    };
    const leafHash = rnd();
    const bytes = encodeInclusionProof(p);
    return { tcId: ++tcId, comment: `${comment}: ${bytes.length} bytes`, flags: ["Structural"], result: "valid", root: toHex(rootFromInclusionProof(leafHash, p)), leafCount: String(n), leafIndex: String(i), leafHash: toHex(leafHash), proof: toHex(bytes) };
  };
  inclusion.push(structuralIncl("2^20 leaves, leaf 777777 (20 siblings)", 777_777n, 1n << 20n));
  inclusion.push(structuralIncl("2^32 leaves, leaf 3000000000 (32 siblings)", 3_000_000_000n, 1n << 32n));
  inclusion.push(structuralIncl("2^32 − 1 leaves, leaf 12345 (worst case below 2^32: 31 siblings + 31 other peaks)", 12_345n, (1n << 32n) - 1n));
  inclusion.push(structuralIncl("2^64 − 1 leaves, leaf 2^64 − 2 (the last but one: mountain of height 1, 63 other peaks)", (1n << 64n) - 2n, (1n << 64n) - 1n));

  const base = inclusion[4] as Case; // leaf 77 of 100
  const baseBytes = Uint8Array.from((base.proof as string).match(/../g) ?? [], (h) => parseInt(h, 16));
  const badIncl = (comment: string, flags: string[], error: string, fields: Case): Case => ({
    tcId: ++tcId, comment, flags, result: "invalid", error, root: base.root, leafCount: base.leafCount, leafIndex: base.leafIndex, leafHash: base.leafHash, proof: base.proof, ...fields,
  });
  inclusion.push(badIncl("a sibling byte flipped", ["Tampered"], "MMR_PROOF_INVALID", { proof: toHex(flipped(baseBytes, 17)) }));
  inclusion.push(badIncl("an other-peak byte flipped", ["Tampered"], "MMR_PROOF_INVALID", { proof: toHex(flipped(baseBytes, baseBytes.length - 1)) }));
  inclusion.push(badIncl("leafIndex changed to 76 (same mountain, other side)", ["Tampered"], "MMR_PROOF_INVALID", { proof: toHex(flipped(baseBytes, 0)), leafIndex: "76" }));
  inclusion.push(badIncl("another leaf's hash", ["WrongLeaf"], "MMR_PROOF_INVALID", { leafHash: toHex((leaves[76] as { leafHash: Uint8Array }).leafHash) }));
  inclusion.push(badIncl("against another root (of 99 leaves, same count given)", ["WrongRoot"], "MMR_PROOF_INVALID", { root: toHex(await rootA(99)) }));
  inclusion.push(badIncl("the proof's leafCount differs from the count given", ["WrongCount"], "MMR_PROOF_INVALID", { leafCount: "99" }));
  inclusion.push(badIncl("a trailing byte", ["TrailingBytes"], "MMR_PROOF_MALFORMED", { proof: `${base.proof as string}00` }));
  inclusion.push(badIncl("truncated", ["Truncated"], "MMR_PROOF_MALFORMED", { proof: (base.proof as string).slice(0, -2) }));
  {
    const c = baseBytes.slice();
    c.set(u64le(100n), 0);
    inclusion.push(badIncl("leafIndex = leafCount", ["IndexOutOfRange"], "MMR_PROOF_MALFORMED", { proof: toHex(c), leafIndex: "100" }));
  }
  {
    // leaf 77 of 100: mountain of 32 leaves (height 5), 2 other peaks; claim 6 siblings and 1 peak (same length)
    const c = baseBytes.slice();
    c[16] = 6;
    c[17 + 6 * 32] = 1;
    inclusion.push(badIncl("sibling and peak counts not the ones (leafIndex, leafCount) imply (same total length)", ["WrongShape"], "MMR_PROOF_MALFORMED", { proof: toHex(c) }));
  }

  // ---- consistency proofs
  const consistency: Case[] = [];
  const cons = async (comment: string, o: number, n: number): Promise<Case> => {
    const p = await a.consistencyProof(BigInt(o), BigInt(n));
    return { tcId: ++tcId, comment: `${comment} (${p.oldPeaks.length} old peaks, ${p.path.length} path hashes)`, flags: [], result: "valid", oldRoot: toHex(await rootA(o)), oldCount: String(o), newRoot: toHex(await rootA(n)), newCount: String(n), proof: toHex(encodeConsistencyProof(p)) };
  };
  for (const [comment, o, n] of [
    ["from the empty MMR", 0, 5], ["equal sizes", 7, 7], ["1 → 2", 1, 2], ["3 → 7", 3, 7], ["4 → 8 (old mountain grows into a new one)", 4, 8],
    ["5 → 100", 5, 100], ["7 → 11", 7, 11], ["31 → 33", 31, 33], ["33 → 64", 33, 64], ["64 → 100 (the old MMR is one of the new mountains)", 64, 100], ["99 → 100", 99, 100], ["100 → 100", 100, 100],
  ] as [string, number, number][]) consistency.push(await cons(comment, o, n));
  const structuralCons = (comment: string, o: bigint, n: bigint): Case => {
    const p: ConsistencyProof = { oldCount: o, newCount: n, oldPeaks: Array.from({ length: Number(popcount(o)) }, rnd), path: Array.from({ length: consistencyPathLength(o, n) }, rnd) };
    const r = consistencyRoots(p);
    const bytes = encodeConsistencyProof(p);
    return { tcId: ++tcId, comment: `${comment}: ${bytes.length} bytes`, flags: ["Structural"], result: "valid", oldRoot: toHex(r.oldRoot), oldCount: String(o), newRoot: toHex(r.newRoot), newCount: String(n), proof: toHex(bytes) };
  };
  consistency.push(structuralCons("2^20 − 1 → 2^20", (1n << 20n) - 1n, 1n << 20n));
  consistency.push(structuralCons("1 → 2^32 − 1 (worst case below 2^32: 63 hashes)", 1n, (1n << 32n) - 1n));
  consistency.push(structuralCons("1 → 2^64 − 1 (worst case for u64 counts: 127 hashes)", 1n, (1n << 64n) - 1n));

  const cbase = consistency[5] as Case; // 5 → 100: old peaks 2, partial mountain of 64
  const cBytes = Uint8Array.from((cbase.proof as string).match(/../g) ?? [], (h) => parseInt(h, 16));
  const badCons = (comment: string, flags: string[], error: string, fields: Case): Case => ({
    tcId: ++tcId, comment, flags, result: "invalid", error, oldRoot: cbase.oldRoot, oldCount: cbase.oldCount, newRoot: cbase.newRoot, newCount: cbase.newCount, proof: cbase.proof, ...fields,
  });
  consistency.push(badCons("an old peak byte flipped", ["Tampered"], "MMR_CONSISTENCY_INVALID", { proof: toHex(flipped(cBytes, 17)) }));
  consistency.push(badCons("a path byte flipped", ["Tampered"], "MMR_CONSISTENCY_INVALID", { proof: toHex(flipped(cBytes, cBytes.length - 1)) }));
  consistency.push(badCons("against another new root (of 99 leaves)", ["WrongRoot"], "MMR_CONSISTENCY_INVALID", { newRoot: toHex(await rootA(99)) }));
  consistency.push(badCons("another old root", ["WrongRoot"], "MMR_CONSISTENCY_INVALID", { oldRoot: toHex(await rootA(4)) }));
  consistency.push(badCons("counts given differ from the proof's", ["WrongCount"], "MMR_CONSISTENCY_INVALID", { newCount: "99" }));
  {
    // non-prefix: a at 30 leaves vs b at 100 leaves (they differ from leaf 20 on); b's own proof
    const pb = encodeConsistencyProof(await b.consistencyProof(30n, 100n));
    consistency.push(badCons("non-prefix history: old root of history a at 30, new root and proof of history b (differs from leaf 20)", ["NonPrefix"], "MMR_CONSISTENCY_INVALID", {
      oldRoot: toHex(await rootA(30)), oldCount: "30", newRoot: toHex(await b.rootAt(100n)), newCount: "100", proof: toHex(pb),
    }));
    const pa = encodeConsistencyProof(await a.consistencyProof(30n, 100n));
    consistency.push(badCons("non-prefix history: a's proof and old root, b's new root", ["NonPrefix"], "MMR_CONSISTENCY_INVALID", {
      oldRoot: toHex(await rootA(30)), oldCount: "30", newRoot: toHex(await b.rootAt(100n)), newCount: "100", proof: toHex(pa),
    }));
  }
  consistency.push(badCons("a trailing byte", ["TrailingBytes"], "MMR_CONSISTENCY_MALFORMED", { proof: `${cbase.proof as string}00` }));
  consistency.push(badCons("truncated", ["Truncated"], "MMR_CONSISTENCY_MALFORMED", { proof: (cbase.proof as string).slice(0, -2) }));
  {
    const c = cBytes.slice();
    c.set(u64le(101n), 0);
    consistency.push(badCons("oldCount > newCount", ["CountOrder"], "MMR_CONSISTENCY_MALFORMED", { proof: toHex(c), oldCount: "101" }));
  }
  {
    const c = cBytes.slice();
    c[16] = 3;
    consistency.push(badCons("nOldPeaks ≠ popcount(oldCount)", ["WrongShape"], "MMR_CONSISTENCY_MALFORMED", { proof: toHex(c) }));
    const d = cBytes.slice();
    d[17 + 2 * 32] = (d[17 + 2 * 32] as number) + 1;
    consistency.push(badCons("nPath one more than the counts imply", ["WrongShape"], "MMR_CONSISTENCY_MALFORMED", { proof: toHex(d) }));
  }

  return {
    algorithm: "BAIOS-MMR",
    generatorVersion: "1",
    numberOfTests: tcId,
    header: [
      "Merkle mountain range roots, inclusion proofs and consistency proofs (docs/mmr.md; docs/protocol.md §8):",
      "leaf = h32(\"BAIOS/v1/mmr-leaf\", u64le(i) || oneTimeKey || commitment), node = h32(\"BAIOS/v1/mmr-node\", left || right),",
      "root = h32(\"BAIOS/v1/mmr-bag\", u64le(count) || peaks left to right). Counts and indices are decimal strings (u64).",
      `Generated by \`node test-vectors/gen-mmr.ts\`; oneTimeKey = h32("${TAG}/key", u64le(i)), commitment = h32("${TAG}/commitment", u64le(i)).`,
      "Invalid cases carry the expected ConsensusError code (docs/protocol.md §11).",
    ],
    notes: {
      Structural: "a count too large to build: sibling/peak/path hashes are arbitrary and the root is the one they imply",
      Tampered: "a proof byte changed",
      WrongLeaf: "a valid proof checked for another leaf hash",
      WrongRoot: "a valid proof checked against another root",
      WrongCount: "the count given differs from the proof's",
      NonPrefix: "the old MMR is not a prefix of the new one (histories differ below oldCount)",
      TrailingBytes: "bytes after the last field",
      Truncated: "the encoding ends before its last field",
      IndexOutOfRange: "leafIndex ≥ leafCount",
      CountOrder: "oldCount > newCount",
      WrongShape: "a hash count other than the one the indices and counts imply",
    },
    testGroups: [
      { type: "MmrRoot", leaves: leaves.map((l, i) => ({ index: String(i), oneTimeKey: toHex(l.oneTimeKey), commitment: toHex(l.commitment), leafHash: toHex(l.leafHash) })), tests: roots },
      { type: "MmrInclusion", tests: inclusion },
      { type: "MmrConsistency", tests: consistency },
    ],
  };
}

/** The file's text: 2-space JSON and a final newline. */
export async function mmrVectorText(): Promise<string> {
  return `${JSON.stringify(await generate(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), MMR_VECTOR_FILE);
  writeFileSync(out, await mmrVectorText());
  console.log(`wrote ${out}`);
}

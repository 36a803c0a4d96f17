/**
 * Generator of `test-vectors/kiset.json`: golden key-image set roots and key-image proofs
 * (docs/protocol.md §15), from `@baios/consensus` (consensus/src/kiset/).
 *
 * Key images are real: `keyImage(x, x·G)` with `x = Hs("BAIOS/v1/test-vectors/kiset.json", u32le(i))`.
 * Sets: empty, 1, 2, 5 and 24 key images, plus a pair grinded (i counted from 0) so that their
 * keys share their first 8 bits (a proof with empty siblings); duplicates are an invalid case.
 * Proofs against the 24-key set: a member, a non-member ending in an empty subtree and one ending
 * in another key's leaf; proofs against the empty and the one-key sets; invalid: a tampered
 * sibling, a wrong root, the member proof for another key, and non-canonical bytes.
 *
 * Run `node test-vectors/gen-kiset.ts` to rewrite the file; `test-vectors/test/kiset.test.ts`
 * regenerates it in memory and fails if it differs from the committed file (drift check).
 * @module
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hashToScalar, keyImage, scalarMultBase } from "@baios/crypto";
import {
  encodeKisetProof, kisetBuild, kisetKey, kisetRootOfKeyImages, MemoryKisetBackend, proveKeyImage, toHex, u32le,
} from "@baios/consensus";

/** File name of the vectors. */
export const KISET_VECTOR_FILE = "kiset.json";

/** Deterministic key image number `i`. */
export function vectorKeyImage(i: number): Uint8Array {
  const x = hashToScalar("BAIOS/v1/test-vectors/kiset.json", u32le(i));
  return keyImage(x, scalarMultBase(x));
}

type Case = Record<string, unknown>;

async function generate(): Promise<Record<string, unknown>> {
  let tcId = 0;
  const roots: Case[] = [];
  const proofs: Case[] = [];
  const kis = Array.from({ length: 24 }, (_, i) => vectorKeyImage(i));
  // a pair whose keys share the first 8 bits, found by counting from 1000
  const byByte = new Map<number, Uint8Array>();
  let pair: Uint8Array[] = [];
  for (let i = 1000; pair.length === 0; i++) {
    const ki = vectorKeyImage(i);
    const b = kisetKey(ki)[0] as number;
    const o = byByte.get(b);
    if (o !== undefined) pair = [o, ki];
    else byByte.set(b, ki);
  }
  const sets: [string, Uint8Array[]][] = [
    ["empty set: 32 zero bytes", []],
    ["one key image: its leaf hash", kis.slice(0, 1)],
    ["two key images", kis.slice(0, 2)],
    ["five key images", kis.slice(0, 5)],
    ["24 key images", kis],
    ["two key images whose keys share their first 8 bits (a chain of one-child internal nodes)", pair],
  ];
  for (const [comment, set] of sets) {
    roots.push({ tcId: ++tcId, comment, flags: [], result: "valid", keyImages: set.map(toHex), keys: set.map((k) => toHex(kisetKey(k))), root: toHex(kisetRootOfKeyImages(set)) });
  }
  roots.push({ tcId: ++tcId, comment: "a key image twice: not a set", flags: ["Duplicate"], result: "invalid", error: "KISET_DUPLICATE", keyImages: [kis[0], kis[1], kis[0]].map((k) => toHex(k as Uint8Array)) });

  const backendOf = (set: Uint8Array[]): MemoryKisetBackend => {
    const be = new MemoryKisetBackend();
    be.put(kisetBuild(set).writes);
    return be;
  };
  const be24 = backendOf(kis);
  const root24 = kisetRootOfKeyImages(kis);
  const proofCase = async (comment: string, set: Uint8Array[], be: MemoryKisetBackend, ki: Uint8Array, want?: string): Promise<Case> => {
    const p = await proveKeyImage(be, ki);
    if (want !== undefined && p.kind !== want) throw new Error(`${comment}: got a ${p.kind} proof`);
    return { tcId: ++tcId, comment, flags: [], result: "valid", root: toHex(kisetRootOfKeyImages(set)), keyImage: toHex(ki), proof: toHex(encodeKisetProof(p)), spent: p.kind === "member" };
  };
  proofs.push(await proofCase("member of the 24-key set (spent)", kis, be24, kis[7] as Uint8Array, "member"));
  // non-members of both kinds: count up from 100 until each kind is found
  let empty: Case | undefined;
  let other: Case | undefined;
  for (let i = 100; empty === undefined || other === undefined; i++) {
    const ki = vectorKeyImage(i);
    const p = await proveKeyImage(be24, ki);
    if (p.kind === "empty" && empty === undefined) empty = await proofCase("non-member of the 24-key set: its path ends in an empty subtree (unspent)", kis, be24, ki);
    if (p.kind === "other" && other === undefined) other = await proofCase("non-member of the 24-key set: its path ends in another key's leaf (unspent)", kis, be24, ki);
  }
  proofs.push(empty, other);
  proofs.push(await proofCase("non-member of the empty set", [], new MemoryKisetBackend(), kis[0] as Uint8Array, "empty"));
  proofs.push(await proofCase("member of a one-key set (depth 0)", kis.slice(0, 1), backendOf(kis.slice(0, 1)), kis[0] as Uint8Array, "member"));
  proofs.push(await proofCase("non-member of a one-key set (depth 0, other leaf)", kis.slice(0, 1), backendOf(kis.slice(0, 1)), kis[1] as Uint8Array, "other"));
  proofs.push(await proofCase("member of the grinded pair (empty siblings in the bitmap)", pair, backendOf(pair), pair[0] as Uint8Array, "member"));

  const member = proofs[0] as Case;
  const memberBytes = Uint8Array.from((member.proof as string).match(/../g) ?? [], (h) => parseInt(h, 16));
  const d = (memberBytes[1] as number) | ((memberBytes[2] as number) << 8);
  const tampered = memberBytes.slice();
  tampered[3 + ((d + 7) >> 3)] = (tampered[3 + ((d + 7) >> 3)] as number) ^ 1; // first byte of the first listed sibling
  const bad = (comment: string, flags: string[], error: string, fields: Case): Case => ({ tcId: ++tcId, comment, flags, result: "invalid", error, root: toHex(root24), keyImage: member.keyImage, ...fields });
  proofs.push(bad("a sibling byte flipped", ["Tampered"], "KISET_PROOF_INVALID", { proof: toHex(tampered) }));
  const wrongRoot = root24.slice();
  wrongRoot[31] = (wrongRoot[31] as number) ^ 1;
  proofs.push(bad("the right proof against another root", ["WrongRoot"], "KISET_PROOF_INVALID", { root: toHex(wrongRoot), proof: member.proof }));
  proofs.push(bad("a member's proof for another key image", ["WrongKey"], "KISET_PROOF_INVALID", { keyImage: toHex(kis[8] as Uint8Array), proof: member.proof }));
  proofs.push(bad("a trailing byte", ["TrailingBytes"], "KISET_PROOF_MALFORMED", { proof: `${member.proof as string}00` }));
  proofs.push(bad("truncated", ["Truncated"], "KISET_PROOF_MALFORMED", { proof: (member.proof as string).slice(0, -2) }));
  proofs.push(bad("kind 3", ["UnknownKind"], "KISET_PROOF_MALFORMED", { proof: `03${(member.proof as string).slice(2)}` }));
  proofs.push(bad("depth 257", ["DepthOverflow"], "KISET_PROOF_MALFORMED", { proof: "000101" }));
  proofs.push(bad("the deepest sibling marked empty", ["NonCanonical"], "KISET_PROOF_MALFORMED", { proof: `00020080${"11".repeat(32)}` }));
  proofs.push(bad("a bitmap padding bit set", ["NonCanonical"], "KISET_PROOF_MALFORMED", { proof: `000100c0${"11".repeat(32)}` }));
  proofs.push(bad("a listed sibling of 32 zero bytes", ["NonCanonical"], "KISET_PROOF_MALFORMED", { proof: `00010080${"00".repeat(32)}` }));

  return {
    algorithm: "BAIOS-KISET",
    generatorVersion: "1",
    numberOfTests: tcId,
    header: [
      "Key-image set roots and key-image proofs (docs/protocol.md §15): a compact sparse Merkle tree over key = h32(\"BAIOS/v1/kiset-key\", keyImage),",
      "leaf = h32(\"BAIOS/v1/kiset-leaf\", key), node = h32(\"BAIOS/v1/kiset-node\", left || right), empty = 32 zero bytes.",
      "Generated by `node test-vectors/gen-kiset.ts`; key images keyImage(x, x·G) with x = Hs(\"BAIOS/v1/test-vectors/kiset.json\", u32le(i)).",
      "Invalid cases carry the expected ConsensusError code (docs/protocol.md §11).",
    ],
    notes: {
      Duplicate: "a key image twice in the list",
      Tampered: "a proof byte changed",
      WrongRoot: "a valid proof checked against another root",
      WrongKey: "a valid membership proof checked for another key image",
      TrailingBytes: "bytes after the last field",
      Truncated: "the encoding ends before its last field",
      UnknownKind: "a kind byte other than 0, 1, 2",
      DepthOverflow: "a depth above 256",
      NonCanonical: "a second encoding of a proof: deepest sibling marked empty, padding bits set, or an empty sibling listed",
    },
    testGroups: [
      { type: "KisetRoot", tests: roots },
      { type: "KisetProof", tests: proofs },
    ],
  };
}

/** The file's text: 2-space JSON and a final newline. */
export async function kisetVectorText(): Promise<string> {
  return `${JSON.stringify(await generate(), null, 2)}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), KISET_VECTOR_FILE);
  writeFileSync(out, await kisetVectorText());
  console.log(`wrote ${out}`);
}

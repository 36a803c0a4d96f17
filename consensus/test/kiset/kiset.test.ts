/**
 * The key-image set tree (consensus/src/kiset/, docs/protocol.md §15): roots against an
 * independent reference written here from the definition (own SHA-512 hashing on @noble/hashes,
 * keys as bigints, subsets by filtering), order independence, batched = sequential inserts,
 * duplicates refused, membership / non-membership proofs, strict proof decoding and tampering.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { sha512 } from "@noble/hashes/sha2.js";
import {
  decodeKisetProof, encodeKisetProof, KISET_EMPTY, kisetBuild, kisetContains, kisetInsertMany, kisetKey, kisetRoot, kisetRootOfKeyImages,
  MemoryKisetBackend, proveKeyImage, verifyKeyImageProof, type KisetProof,
} from "../../src/kiset/index.ts";
import { ConsensusError } from "../../src/errors.ts";
import { toHex } from "../../src/encoding/bytes.ts";

// ---- reference implementation (shares no code with src/kiset) ----
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
function refH32(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const t = ascii(tag);
  const len = 1 + t.length + parts.reduce((a, p) => a + p.length, 0);
  const m = new Uint8Array(len);
  m[0] = t.length;
  m.set(t, 1);
  let o = 1 + t.length;
  for (const p of parts) {
    m.set(p, o);
    o += p.length;
  }
  return sha512(m).slice(0, 32);
}
const toBig = (b: Uint8Array): bigint => BigInt(`0x${toHex(b)}`);
/** T(S, d): empty → 0³², one key → leaf, else node(T(S with bit d = 0), T(S with bit d = 1)); bit d counted from the most significant. */
function refTree(keys: { big: bigint; bytes: Uint8Array }[], depth: number): Uint8Array {
  if (keys.length === 0) return new Uint8Array(32);
  if (keys.length === 1) return refH32("BAIOS/v1/kiset-leaf", keys[0]!.bytes);
  const bit = (k: bigint): bigint => (k >> BigInt(255 - depth)) & 1n;
  return refH32("BAIOS/v1/kiset-node", refTree(keys.filter((k) => bit(k.big) === 0n), depth + 1), refTree(keys.filter((k) => bit(k.big) === 1n), depth + 1));
}
function refRoot(keyImages: Uint8Array[]): Uint8Array {
  const keys = keyImages.map((ki) => refH32("BAIOS/v1/kiset-key", ki)).map((bytes) => ({ bytes, big: toBig(bytes) }));
  return refTree(keys, 0);
}

// ---- helpers ----
const ki32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
/** Distinct key images. */
const kiSet = (max: number) => fc.uniqueArray(ki32, { maxLength: max, selector: (b) => toHex(b) });

async function fromBatches(batches: Uint8Array[][]): Promise<MemoryKisetBackend> {
  const be = new MemoryKisetBackend();
  for (const b of batches) {
    const r = await kisetInsertMany(be, b);
    be.put(r.writes);
    expect(await kisetRoot(be)).toEqual(r.root);
  }
  return be;
}
function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
  return "accepted";
}
async function codeAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
  return "accepted";
}
function dump(be: MemoryKisetBackend): string[] {
  return [...(be as unknown as { records: Map<string, Uint8Array> }).records].map(([k, v]) => `${k}=${toHex(v)}`).sort();
}

describe("key-image set root", () => {
  it("empty set: root is 32 zero bytes; a single key image: its leaf hash", async () => {
    const be = new MemoryKisetBackend();
    expect(await kisetRoot(be)).toEqual(new Uint8Array(32));
    expect(kisetRootOfKeyImages([])).toEqual(new Uint8Array(32));
    const ki = new Uint8Array(32).fill(7);
    const r = await kisetInsertMany(be, [ki]);
    expect(r.root).toEqual(refH32("BAIOS/v1/kiset-leaf", refH32("BAIOS/v1/kiset-key", ki)));
    expect(r.writes.map((w) => toHex(w.position))).toEqual(["0000"]);
  });

  it("incremental, batched and whole-set builds agree with the independent reference, in any order and batching", async () => {
    await fc.assert(
      fc.asyncProperty(kiSet(40), fc.array(fc.nat(), { maxLength: 80 }), async (kis, cuts) => {
        const want = refRoot(kis);
        expect(kisetRootOfKeyImages(kis)).toEqual(want);
        // one batch
        const one = await fromBatches([kis]);
        expect(await kisetRoot(one)).toEqual(want);
        // one at a time, reversed order
        const seq = await fromBatches(kis.slice().reverse().map((k) => [k]));
        expect(await kisetRoot(seq)).toEqual(want);
        // random shuffle, random batches
        const sh = kis.slice();
        for (let i = sh.length - 1; i > 0; i--) {
          const j = (cuts[i] ?? i) % (i + 1);
          [sh[i], sh[j]] = [sh[j]!, sh[i]!];
        }
        const batches: Uint8Array[][] = [];
        for (let i = 0; i < sh.length; ) {
          const n = 1 + ((cuts[i] ?? 0) % 5);
          batches.push(sh.slice(i, i + n));
          i += n;
        }
        const mixed = await fromBatches(batches);
        // the stored tree itself is the same, not only the root
        expect(dump(mixed)).toEqual(dump(one));
        expect(dump(seq)).toEqual(dump(one));
        const built = new MemoryKisetBackend();
        built.put(kisetBuild(kis).writes);
        expect(dump(built)).toEqual(dump(one));
        // n leaves; internal nodes are at least n − 1 (each branching) when n ≥ 1
        expect(one.size).toBeGreaterThanOrEqual(Math.max(0, 2 * kis.length - 1));
      }),
      { numRuns: 60 },
    );
  });

  it("insertMany does not touch the backend until its writes are stored", async () => {
    const kis = Array.from({ length: 20 }, (_, i) => new Uint8Array(32).fill(i + 1));
    const be = await fromBatches([kis.slice(0, 10)]);
    const before = dump(be);
    const root = await kisetRoot(be);
    const r = await kisetInsertMany(be, kis.slice(10));
    expect(dump(be)).toEqual(before);
    expect(await kisetRoot(be)).toEqual(root);
    expect(r.root).not.toEqual(root);
    expect(r.hashes).toBeGreaterThan(0);
  });

  it("a key image is spent once: duplicates are refused with KISET_DUPLICATE", async () => {
    await fc.assert(
      fc.asyncProperty(kiSet(20).filter((s) => s.length > 0), fc.nat(), async (kis, pick) => {
        const be = await fromBatches([kis]);
        const dup = kis[pick % kis.length]!;
        await expect(kisetInsertMany(be, [dup])).rejects.toMatchObject({ code: "KISET_DUPLICATE", index: 0 });
        const fresh = new Uint8Array(32).fill(0xee);
        if (!kis.some((k) => toHex(k) === toHex(fresh))) {
          await expect(kisetInsertMany(new MemoryKisetBackend(), [fresh, ...kis, fresh])).rejects.toMatchObject({ code: "KISET_DUPLICATE", index: kis.length + 1 });
        }
        expect(code(() => kisetBuild([...kis, dup]))).toBe("KISET_DUPLICATE");
      }),
      { numRuns: 30 },
    );
    expect(await codeAsync(() => kisetInsertMany(new MemoryKisetBackend(), [new Uint8Array(31)]))).toBe("KISET_MALFORMED");
  });

  it("a grinded deep shared prefix: chains of one-child internal nodes, empty siblings in proofs", async () => {
    // find two key images whose keys share ≥ 12 leading bits
    const seen = new Map<number, Uint8Array>();
    let pair: [Uint8Array, Uint8Array] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const ki = new Uint8Array(32);
      new DataView(ki.buffer).setUint32(0, i);
      const k = kisetKey(ki);
      const p = ((k[0]! << 4) | (k[1]! >> 4)) >>> 0;
      const o = seen.get(p);
      if (o !== undefined) pair = [o, ki];
      else seen.set(p, ki);
    }
    const others = Array.from({ length: 6 }, (_, i) => new Uint8Array(32).fill(0x80 + i));
    const kis = [...pair, ...others];
    const be = await fromBatches([kis.slice(0, 3), kis.slice(3)]);
    expect(await kisetRoot(be)).toEqual(refRoot(kis));
    const p = await proveKeyImage(be, pair[0]);
    expect(p.kind).toBe("member");
    expect(p.siblings.length).toBeGreaterThanOrEqual(13);
    expect(p.siblings.filter((s) => toHex(s) === toHex(KISET_EMPTY)).length).toBeGreaterThanOrEqual(8);
    const bytes = encodeKisetProof(p);
    expect(bytes.length).toBe(3 + Math.ceil(p.siblings.length / 8) + 32 * p.siblings.filter((s) => toHex(s) !== toHex(KISET_EMPTY)).length);
    expect(verifyKeyImageProof(await kisetRoot(be), pair[0], bytes)).toEqual({ spent: true });
  });

  it("membership and non-membership proofs verify for random sets and queries; bytes round-trip", async () => {
    await fc.assert(
      fc.asyncProperty(kiSet(30), fc.array(ki32, { maxLength: 5 }), async (kis, queries) => {
        const be = await fromBatches([kis]);
        const root = await kisetRoot(be);
        const members = new Set(kis.map(toHex));
        for (const q of [...kis.slice(0, 5), ...queries]) {
          const p = await proveKeyImage(be, q);
          const spent = members.has(toHex(q));
          expect(p.kind === "member").toBe(spent);
          expect(await kisetContains(be, q)).toBe(spent);
          const bytes = encodeKisetProof(p);
          expect(decodeKisetProof(bytes)).toEqual(p);
          expect(encodeKisetProof(decodeKisetProof(bytes))).toEqual(bytes);
          expect(verifyKeyImageProof(root, q, bytes)).toEqual({ spent });
          expect(verifyKeyImageProof(root, q, p)).toEqual({ spent });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("any tampered proof byte, a wrong root or a wrong key image is refused (never a wrong answer)", async () => {
    await fc.assert(
      fc.asyncProperty(kiSet(25).filter((s) => s.length > 0), ki32, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), async (kis, outsider, pos, xor, pick) => {
        const be = await fromBatches([kis]);
        const root = await kisetRoot(be);
        const members = new Set(kis.map(toHex));
        for (const q of [kis[pick % kis.length]!, outsider]) {
          const bytes = encodeKisetProof(await proveKeyImage(be, q));
          // one byte changed
          const t = bytes.slice();
          const i = pos % t.length;
          t[i] = t[i]! ^ xor;
          expect(["KISET_PROOF_MALFORMED", "KISET_PROOF_INVALID"]).toContain(code(() => verifyKeyImageProof(root, q, t)));
          // truncated / extended
          expect(code(() => verifyKeyImageProof(root, q, bytes.subarray(0, bytes.length - 1)))).toBe("KISET_PROOF_MALFORMED");
          expect(code(() => verifyKeyImageProof(root, q, Uint8Array.of(...bytes, 0)))).toBe("KISET_PROOF_MALFORMED");
          // wrong root
          const wr = root.slice();
          wr[pos % 32] = wr[pos % 32]! ^ xor;
          expect(code(() => verifyKeyImageProof(wr, q, bytes))).toBe("KISET_PROOF_INVALID");
          expect(code(() => verifyKeyImageProof(refRoot([...kis, new Uint8Array(32).fill(0xab)].filter((k, j, a) => a.findIndex((x) => toHex(x) === toHex(k)) === j)), q, bytes))).not.toBe("accepted");
          // another key image: refused, or (a non-membership proof whose path it shares) the true answer
          for (const other of [outsider, ...kis.slice(0, 4)]) {
            if (toHex(other) === toHex(q)) continue;
            const c = code(() => verifyKeyImageProof(root, other, bytes));
            if (c === "accepted") expect(verifyKeyImageProof(root, other, bytes).spent).toBe(members.has(toHex(other)));
            else expect(c).toBe("KISET_PROOF_INVALID");
            if (members.has(toHex(q))) expect(c).toBe("KISET_PROOF_INVALID");
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("strict decoding: one encoding per proof", () => {
    const s = new Uint8Array(32).fill(9);
    const ok = (p: KisetProof): Uint8Array => encodeKisetProof(p);
    expect(toHex(ok({ kind: "empty", siblings: [] }))).toBe("010000");
    expect(toHex(ok({ kind: "member", siblings: [KISET_EMPTY, s] }))).toBe(`0002004${"0"}${toHex(s)}`);
    const bad = (hex: string): string => code(() => decodeKisetProof(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16))));
    expect(bad("")).toBe("KISET_PROOF_MALFORMED"); // too short
    expect(bad("0000")).toBe("KISET_PROOF_MALFORMED");
    expect(bad("030000")).toBe("KISET_PROOF_MALFORMED"); // unknown kind
    expect(bad("000101")).toBe("KISET_PROOF_MALFORMED"); // depth 257
    expect(bad(`000100c0${toHex(s)}`)).toBe("KISET_PROOF_MALFORMED"); // padding bit set (depth 1, bits 0 and 1)
    expect(bad("00020080" + toHex(s))).toBe("KISET_PROOF_MALFORMED"); // deepest sibling (depth 2) marked empty
    expect(bad(`00010080${"00".repeat(32)}`)).toBe("KISET_PROOF_MALFORMED"); // a listed zero sibling
    expect(bad("0200" + "00")).toBe("KISET_PROOF_MALFORMED"); // kind 2 without otherKey
    expect(bad("01000000")).toBe("KISET_PROOF_MALFORMED"); // trailing byte
    expect(bad(`020000${toHex(s)}`)).toBe("accepted");
    expect(code(() => verifyKeyImageProof(new Uint8Array(31), s, ok({ kind: "empty", siblings: [] })))).toBe("KISET_MALFORMED");
    expect(verifyKeyImageProof(new Uint8Array(32), s, ok({ kind: "empty", siblings: [] }))).toEqual({ spent: false });
    // the other leaf must not be the queried key
    expect(code(() => verifyKeyImageProof(refH32("BAIOS/v1/kiset-leaf", kisetKey(s)), s, { kind: "other", siblings: [], otherKey: kisetKey(s) }))).toBe("KISET_PROOF_INVALID");
    // ... and must lie on its path: a root hashed over an off-path other leaf (a non-canonical tree) is refused
    const key = kisetKey(s);
    const off = key.slice();
    off[0] = off[0]! ^ 0x80; // differs in bit 0: cannot sit at depth 1 on the key's side
    const leafOff = refH32("BAIOS/v1/kiset-leaf", off);
    const forged = key[0]! >> 7 === 0 ? refH32("BAIOS/v1/kiset-node", leafOff, s) : refH32("BAIOS/v1/kiset-node", s, leafOff);
    expect(code(() => verifyKeyImageProof(forged, s, { kind: "other", siblings: [s], otherKey: off }))).toBe("KISET_PROOF_INVALID");
  });
});

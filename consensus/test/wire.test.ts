/**
 * The wire codec (docs/protocol.md §10): round trips, wire bytes = hashed bytes, and the
 * decoder's own enforcement of the layout (size first, counts bounded by the remaining bytes,
 * exact lengths, no trailing bytes), always with a typed ConsensusError naming the field.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  blockWireOverhead, blockWireSize, decodeBlock, decodeCertificate, decodeCoinbase, decodeEvidence, decodeHeader, decodeTx, decodeUnbond, decodeVoteMessage, encodeBlock,
  encodeCertificate, encodeCoinbase, encodeEvidence, encodeHeader, encodeTx, encodeUnbond, encodeVoteMessage, evidenceWireSize, txWireSize, VOTE_MESSAGE_BYTES,
} from "../src/encoding/wire.ts";
import { coinbaseBytes, headerBytes, txBodyBytes, txSigningBytes, voteBytes } from "../src/encoding/canonical.ts";
import { concatBytes } from "../src/encoding/bytes.ts";
import { ConsensusError } from "../src/errors.ts";
import type { Tx, VoteMessage } from "../src/types.ts";
import { blockArb, bytesN, certArb, coinbaseArb, evidenceArb, headerArb, txArb, u32, u64, unbondArb } from "./helpers/arbitraries.ts";

/** The code of the ConsensusError `f` throws, "OK" when it returns; anything else is rethrown (fails the test). */
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
  return "OK";
};
const reasonOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.reason;
    throw e;
  }
  return "OK";
};
const BIG = 1 << 24;

const voteArb: fc.Arbitrary<VoteMessage> = fc.record({
  kind: fc.constantFrom("prevote" as const, "precommit" as const),
  chainId: u32,
  height: u64,
  round: u32,
  blockHash: bytesN(32),
  validator: bytesN(32),
  signature: bytesN(64),
});

/** A tx with one input whose ring count field is at byte 20 (after version, chainId, fee, nIn). */
const oneInputTx = txArb.filter((t) => t.inputs.length >= 1 && t.version !== 2);

describe("wire codec: round trips and layout", () => {
  it("decode(encode(x)) = x for txs, headers, coinbases, blocks, certificates and vote messages", () => {
    fc.assert(fc.property(txArb, (tx) => {
      expect(decodeTx(encodeTx(tx), BIG)).toEqual(tx);
    }));
    fc.assert(fc.property(headerArb, (h) => {
      expect(decodeHeader(encodeHeader(h))).toEqual(h);
    }));
    fc.assert(fc.property(coinbaseArb, (c) => {
      expect(decodeCoinbase(encodeCoinbase(c))).toEqual(c);
    }));
    fc.assert(fc.property(blockArb, (b) => {
      expect(decodeBlock(encodeBlock(b))).toEqual(b);
    }), { numRuns: 50 });
    fc.assert(fc.property(certArb, (c) => {
      expect(decodeCertificate(encodeCertificate(c))).toEqual(c);
    }));
    fc.assert(fc.property(voteArb, (v) => {
      const b = encodeVoteMessage(v);
      expect(b.length).toBe(VOTE_MESSAGE_BYTES);
      expect(decodeVoteMessage(b)).toEqual(v);
    }));
    fc.assert(fc.property(unbondArb, (u) => {
      const b = encodeUnbond(u);
      expect(b.length).toBe(169);
      expect(decodeUnbond(b)).toEqual(u);
    }));
    fc.assert(fc.property(evidenceArb, (ev) => {
      const b = encodeEvidence(ev);
      expect(b.length).toBe(evidenceWireSize(ev));
      expect(decodeEvidence(b)).toEqual(ev);
      if (ev.kind === "duplicate-vote") expect([b[0], b.length]).toEqual([1, 291]);
      else {
        expect(b[0]).toBe(2);
        expect(b.subarray(1, 146)).toEqual(encodeVoteMessage(ev.vote));
        expect(new DataView(b.buffer).getUint32(146, true)).toBe(ev.block.length);
      }
    }));
  });

  it("wire bytes are the hashed bytes (§3–§9) plus the unhashed fields", () => {
    fc.assert(fc.property(txArb, (tx) => {
      const w = encodeTx(tx);
      expect(w.length).toBe(txWireSize(tx));
      expect(w.subarray(0, w.length - 8)).toEqual(txBodyBytes(tx));
      expect(w.subarray(0, txSigningBytes(tx).length)).toEqual(txSigningBytes(tx));
      expect(new DataView(w.buffer, w.byteOffset + w.length - 8).getBigUint64(0, true)).toBe(tx.powNonce);
    }));
    fc.assert(fc.property(blockArb, (b) => {
      const w = encodeBlock(b);
      expect(w.length).toBe(blockWireSize(b));
      const hc = concatBytes(headerBytes(b.header), coinbaseBytes(b.coinbase));
      expect(w.subarray(0, hc.length)).toEqual(hc);
    }), { numRuns: 50 });
    fc.assert(fc.property(headerArb, (h) => {
      expect(encodeHeader(h)).toEqual(headerBytes(h));
    }));
    fc.assert(fc.property(voteArb, (v) => {
      expect(encodeVoteMessage(v).subarray(1, 49)).toEqual(voteBytes(v.chainId, v.height, v.round, v.blockHash));
    }));
  });

  it("one tx byte by byte: the documented layout (1 input, ring of 2, 1 output, 1 key, 3-byte proof, 1 signature)", () => {
    const tx: Tx = {
      version: 1, chainId: 0x0bad0001, fee: 100_000n,
      inputs: [{ ring: [5n, 9n], keyImage: new Uint8Array(32).fill(0x11), pseudoOut: new Uint8Array(32).fill(0x22) }],
      outputs: [{ oneTimeKey: new Uint8Array(32).fill(0x33), commitment: new Uint8Array(32).fill(0x44), viewTag: 0xab, encryptedAmount: new Uint8Array(8).fill(0x55) }],
      txPublicKeys: [new Uint8Array(32).fill(0x66)],
      rangeProof: Uint8Array.of(1, 2, 3),
      signatures: [Uint8Array.of(9, 8)],
      powNonce: 0x0102030405060708n,
    };
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    const want = [
      "01000000", "0100ad0b", "a086010000000000", // version, chainId, fee
      "01000000", "02000000", "0500000000000000", "0900000000000000", "11".repeat(32), "22".repeat(32), // inputs
      "01000000", "33".repeat(32), "44".repeat(32), "ab", "55".repeat(8), // outputs
      "01000000", "66".repeat(32), // tx public keys
      "03000000", "010203", // range proof
      "01000000", "02000000", "0908", // signatures
      "0807060504030201", // powNonce
    ].join("");
    expect(hex(encodeTx(tx))).toBe(want);
    expect(txWireSize(tx)).toBe(want.length / 2);
    // the same tx as a version-2 bond: the 104-byte stake field sits right after the fee
    const bond: Tx = { ...tx, version: 2, stake: { validator: new Uint8Array(32).fill(0x77), amount: 5n, validatorSignature: new Uint8Array(64).fill(0x88) } };
    const stake = ["77".repeat(32), "0500000000000000", "88".repeat(64)].join("");
    expect(hex(encodeTx(bond))).toBe("02000000" + want.slice(8, 32) + stake + want.slice(32));
    expect(txWireSize(bond)).toBe(want.length / 2 + 104);
    expect(decodeTx(encodeTx(bond))).toEqual(bond);
  });
});

describe("wire codec: the decoder enforces the spec", () => {
  it("checks the size limit before reading a byte (counted in wire bytes)", () => {
    fc.assert(fc.property(txArb, (tx) => {
      const b = encodeTx(tx);
      expect(codeOf(() => decodeTx(b, b.length - 1))).toBe("TX_OVERSIZED");
      expect(codeOf(() => decodeTx(b, b.length))).toBe("OK");
    }), { numRuns: 30 });
    // 70 000 bytes of garbage: rejected for its size, not parsed
    expect(codeOf(() => decodeTx(new Uint8Array(70_000).fill(0xff)))).toBe("TX_OVERSIZED");
    expect(codeOf(() => decodeBlock(new Uint8Array(5 << 20)))).toBe("BLOCK_OVERSIZED");
    expect(codeOf(() => decodeCertificate(new Uint8Array(70_000)))).toBe("CERT_MALFORMED");
  });

  it("rejects every truncation with the object's MALFORMED code", () => {
    fc.assert(fc.property(txArb, (tx) => {
      const b = encodeTx(tx);
      for (let n = 0; n < b.length; n++) expect(codeOf(() => decodeTx(b.subarray(0, n), BIG))).toBe("TX_MALFORMED");
    }), { numRuns: 20 });
    fc.assert(fc.property(blockArb, fc.nat(), (blk, cut) => {
      const b = encodeBlock(blk);
      expect(codeOf(() => decodeBlock(b.subarray(0, cut % b.length)))).toBe("BLOCK_MALFORMED");
    }), { numRuns: 100 });
    fc.assert(fc.property(certArb, fc.nat(), (c, cut) => {
      const b = encodeCertificate(c);
      expect(codeOf(() => decodeCertificate(b.subarray(0, cut % b.length)))).toBe("CERT_MALFORMED");
    }));
    fc.assert(fc.property(voteArb, fc.nat({ max: VOTE_MESSAGE_BYTES - 1 }), (v, cut) => {
      expect(codeOf(() => decodeVoteMessage(encodeVoteMessage(v).subarray(0, cut)))).toBe("CERT_MALFORMED");
    }));
    for (let n = 0; n < 488; n += 7) expect(codeOf(() => decodeHeader(new Uint8Array(n)))).toBe("BLOCK_MALFORMED");
    fc.assert(fc.property(evidenceArb, fc.nat(), (ev, cut) => {
      const b = encodeEvidence(ev);
      expect(codeOf(() => decodeEvidence(b.subarray(0, cut % b.length)))).toBe("EVIDENCE_MALFORMED");
    }));
    fc.assert(fc.property(unbondArb, fc.nat({ max: 168 }), (u, cut) => {
      expect(codeOf(() => decodeUnbond(encodeUnbond(u).subarray(0, cut)))).toBe("BLOCK_MALFORMED");
    }));
  });

  it("rejects appended bytes (no trailing data; an extra field such as a transparent amount is unrepresentable)", () => {
    fc.assert(fc.property(txArb, fc.uint8Array({ minLength: 1, maxLength: 9 }), (tx, extra) => {
      const b = concatBytes(encodeTx(tx), extra);
      expect(codeOf(() => decodeTx(b, BIG))).toBe("TX_MALFORMED");
      expect(reasonOf(() => decodeTx(b, BIG))).toMatch(/^tx: \d+ trailing bytes/);
    }));
    fc.assert(fc.property(blockArb, fc.uint8Array({ minLength: 1, maxLength: 9 }), (blk, extra) => {
      expect(codeOf(() => decodeBlock(concatBytes(encodeBlock(blk), extra)))).toBe("BLOCK_MALFORMED");
    }), { numRuns: 50 });
    fc.assert(fc.property(certArb, fc.uint8Array({ minLength: 1, maxLength: 9 }), (c, extra) => {
      expect(codeOf(() => decodeCertificate(concatBytes(encodeCertificate(c), extra)))).toBe("CERT_MALFORMED");
    }));
    fc.assert(fc.property(headerArb, (h) => {
      expect(codeOf(() => decodeHeader(concatBytes(encodeHeader(h), Uint8Array.of(0))))).toBe("BLOCK_MALFORMED");
    }));
    fc.assert(fc.property(voteArb, (v) => {
      expect(codeOf(() => decodeVoteMessage(concatBytes(encodeVoteMessage(v), Uint8Array.of(0))))).toBe("CERT_MALFORMED");
    }));
  });

  it("bounds every count by the remaining bytes before allocating, naming the field", () => {
    fc.assert(fc.property(oneInputTx, fc.integer({ min: 70_000, max: 0xffff_ffff }), (tx, n) => {
      const b = encodeTx(tx);
      new DataView(b.buffer).setUint32(20, n, true); // inputs[0] ring count
      const e = (() => { try { decodeTx(b, BIG); } catch (x) { return x; } return undefined; })();
      expect(e).toBeInstanceOf(ConsensusError);
      expect((e as ConsensusError).code).toBe("TX_MALFORMED");
      expect((e as ConsensusError).reason).toMatch(new RegExp(`^inputs\\[0\\]\\.ring: count ${n} exceeds remaining bytes`));
      expect((e as ConsensusError).message).toMatch(/^TX_MALFORMED: inputs\[0\]\.ring: count/);
    }), { numRuns: 30 });
    fc.assert(fc.property(txArb.filter((t) => t.version !== 2), fc.integer({ min: 1 << 16, max: 0xffff_ffff }), (tx, n) => {
      const b = encodeTx(tx);
      new DataView(b.buffer).setUint32(16, n, true); // nIn (a version-1 layout)
      expect(reasonOf(() => decodeTx(b, BIG))).toMatch(new RegExp(`^inputs: count ${n} exceeds remaining bytes`));
    }), { numRuns: 30 });
    // a block claiming 2^32−1 txs, unbonds or evidence items in 468 bytes, a certificate claiming 2^32−1 votes
    const emptyBlock = () => encodeBlock({ header: decodeHeader(new Uint8Array(488)), coinbase: { height: 0n, txPublicKey: new Uint8Array(32), outputs: [] }, txs: [], lastCertificate: { height: 0n, round: 0, blockHash: new Uint8Array(32), votes: [] }, unbonds: [], evidence: [] });
    const blk = emptyBlock();
    expect(blk.length).toBe(488 + 44 + 4 + 48 + 4 + 4);
    new DataView(blk.buffer).setUint32(532, 0xffff_ffff, true);
    expect(reasonOf(() => decodeBlock(blk))).toMatch(/^txs: count 4294967295 exceeds remaining bytes/);
    const blk2 = emptyBlock();
    new DataView(blk2.buffer).setUint32(blk2.length - 8, 0xffff_ffff, true);
    expect(reasonOf(() => decodeBlock(blk2))).toMatch(/^unbonds: count 4294967295 exceeds remaining bytes/);
    const blk3 = emptyBlock();
    new DataView(blk3.buffer).setUint32(blk3.length - 4, 0xffff_ffff, true);
    expect(reasonOf(() => decodeBlock(blk3))).toMatch(/^evidence: count 4294967295 exceeds remaining bytes/);
    const blk4 = emptyBlock();
    new DataView(blk4.buffer).setUint32(blk4.length - 12, 0xffff_ffff, true);
    expect(reasonOf(() => decodeBlock(blk4))).toMatch(/^lastCertificate\.votes: count 4294967295 exceeds remaining bytes/);
    const cert = encodeCertificate({ height: 1n, round: 0, blockHash: new Uint8Array(32), votes: [] });
    new DataView(cert.buffer).setUint32(44, 0xffff_ffff, true);
    expect(reasonOf(() => decodeCertificate(cert))).toMatch(/^votes: count 4294967295 exceeds remaining bytes/);
  });

  it("a tx inside a block must fill its length exactly", () => {
    fc.assert(fc.property(blockArb.filter((b) => b.txs.length > 0), (blk) => {
      const tx0 = encodeTx(blk.txs[0]!);
      const b = encodeBlock(blk);
      const at = 488 + coinbaseBytes(blk.coinbase).length + 4; // txs[0].length
      const longer = concatBytes(b.subarray(0, at), new Uint8Array(4), tx0, Uint8Array.of(0), b.subarray(at + 4 + tx0.length));
      new DataView(longer.buffer).setUint32(at, tx0.length + 1, true);
      expect(codeOf(() => decodeBlock(longer))).toBe("BLOCK_MALFORMED");
      expect(reasonOf(() => decodeBlock(longer))).toMatch(/^txs\[0\]: 1 trailing bytes/);
      const shorter = b.slice();
      new DataView(shorter.buffer).setUint32(at, tx0.length - 1, true);
      expect(reasonOf(() => decodeBlock(shorter))).toMatch(/^txs\[0\]\./);
    }), { numRuns: 30 });
  });

  it("evidence kind must be 1 (duplicate vote) or 2 (invalid attestation), and its votes' kinds 1 or 2", () => {
    fc.assert(fc.property(evidenceArb, fc.integer({ min: 0, max: 255 }).filter((k) => k !== 1 && k !== 2), (ev, k) => {
      const b = encodeEvidence(ev);
      b[0] = k;
      expect(reasonOf(() => decodeEvidence(b))).toMatch(/^evidence\.kind: /);
      const c = encodeEvidence(ev);
      c[1] = k; // the first vote's kind byte
      expect(reasonOf(() => decodeEvidence(c))).toMatch(/^evidence\.vote(A)?\.kind: /);
    }));
  });

  it("vote kind must be 1 (prevote) or 2 (precommit)", () => {
    fc.assert(fc.property(voteArb, fc.integer({ min: 0, max: 255 }).filter((k) => k !== 1 && k !== 2), (v, k) => {
      const b = encodeVoteMessage(v);
      b[0] = k;
      expect(reasonOf(() => decodeVoteMessage(b))).toMatch(/^kind: /);
    }));
  });

  it("any mutation is rejected with a typed error or decodes to a value that re-encodes to exactly the input", () => {
    const mutate = (b: Uint8Array, at: number, v: number) => {
      const m = b.slice();
      if (m.length > 0) m[at % m.length] = v;
      return m;
    };
    fc.assert(fc.property(txArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (tx, at, v) => {
      const m = mutate(encodeTx(tx), at, v);
      const c = codeOf(() => decodeTx(m, BIG));
      if (c === "OK") expect(encodeTx(decodeTx(m, BIG))).toEqual(m);
      else expect(c).toBe("TX_MALFORMED");
    }), { numRuns: 300 });
    fc.assert(fc.property(blockArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (blk, at, v) => {
      const m = mutate(encodeBlock(blk), at, v);
      const c = codeOf(() => decodeBlock(m));
      if (c === "OK") expect(encodeBlock(decodeBlock(m))).toEqual(m);
      else expect(c).toBe("BLOCK_MALFORMED");
    }), { numRuns: 200 });
  });

  it("garbage never throws anything but a ConsensusError", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      for (const f of [() => decodeTx(b), () => decodeBlock(b), () => decodeHeader(b), () => decodeCoinbase(b), () => decodeCertificate(b), () => decodeVoteMessage(b), () => decodeUnbond(b), () => decodeEvidence(b)]) {
        const c = codeOf(f);
        if (c === "OK") continue;
        expect(["TX_MALFORMED", "BLOCK_MALFORMED", "CERT_MALFORMED", "EVIDENCE_MALFORMED"]).toContain(c);
      }
    }), { numRuns: 500 });
    expect(codeOf(() => decodeTx("not bytes" as unknown as Uint8Array))).toBe("TX_MALFORMED");
    expect(codeOf(() => decodeBlock(null as unknown as Uint8Array))).toBe("BLOCK_MALFORMED");
  });

  it("decoded byte fields are plain copies, detached from the input (also from a Node Buffer)", () => {
    fc.assert(fc.property(txArb.filter((t) => t.rangeProof.length > 0), (tx) => {
      const buf = Buffer.from(encodeTx(tx));
      const d = decodeTx(buf, BIG);
      expect(Object.getPrototypeOf(d.rangeProof)).toBe(Uint8Array.prototype);
      buf.fill(0xee);
      expect(d).toEqual(tx);
    }), { numRuns: 20 });
  });
});

describe("block size budget", () => {
  it("blockWireOverhead bounds everything in a block but its txs' own wire bytes", () => {
    fc.assert(fc.property(blockArb, (b) => {
      const body = b.txs.reduce((s, tx) => s + txWireSize(tx), 0) + 169 * b.unbonds.length + b.evidence.reduce((s, ev) => s + evidenceWireSize(ev), 0);
      expect(blockWireSize(b)).toBe(body + blockWireOverhead(b.txs.length, b.coinbase.outputs.length, b.lastCertificate.votes.length));
    }), { numRuns: 50 });
    // a full block of the default limits: 1 024 length prefixes alone take 4 096 bytes
    expect(blockWireOverhead(1024, 16)).toBe(488 + 44 + 16 * 49 + 4 + 4 * 1024 + 48 + 8);
    expect(blockWireOverhead(0, 1, 3) - blockWireOverhead(0, 1)).toBe(3 * 96);
  });
});

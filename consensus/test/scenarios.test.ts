/**
 * Monero-style rejection scenarios: each builds a real signed RingCT transaction (or block)
 * with one defect and expects the specific error code. Rejection stores nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ed25519PublicKey, ed25519Sign, generatorH, pointSub, randomScalar, scalarMult, scalarMultBase } from "@baios/crypto";
import { ConsensusError, type ConsensusErrorCode } from "../src/errors.ts";
import type { Block, ChainView, Tx } from "../src/types.ts";
import { validateTx } from "../src/validation/tx.ts";
import { validateBlock, type ValidatedBlock } from "../src/validation/block.ts";
import { makeValidatorSet, verifyFinalityCertificate } from "../src/engine.ts";
import { encodeTx } from "../src/encoding/wire.ts";
import { GROUP_ORDER, SCALAR_ONE } from "../src/encoding/bytes.ts";
import { blockHash, txRoot } from "../src/hashes.ts";
import { BAI, TestChain, type Owned } from "./helpers/chain.ts";
import { badNonce, buildTx, cloneTx, mine } from "./helpers/txbuilder.ts";

let chain: TestChain;
const addr = (k: { viewPublic: Uint8Array; spendPublic: Uint8Array }) => ({ viewPublic: k.viewPublic, spendPublic: k.spendPublic });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}
const txCode = (tx: Tx | Uint8Array, view: ChainView = chain) => codeOf(validateTx(tx, view, chain.params));
const remine = (tx: Tx) => mine(tx, chain.params.txPowTarget);

/** A valid 1-in/2-out tx spending alice's owned output `i`. */
function payment(c: TestChain, i = 0, opts: Partial<Parameters<typeof buildTx>[1]> = {}) {
  const fee = opts.fee ?? c.params.minFee;
  const inp = c.owned[i] as Owned;
  return buildTx(c, {
    inputs: [inp],
    outputs: [
      { to: addr(c.bob), amount: 4n * BAI },
      { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee },
    ],
    fee,
    ...opts,
  });
}

/** The next block on `c`'s tip with `txs`; `mutate` runs before mining, so the PoW holds. */
async function nextBlock(c: TestChain, txs: Tx[], mutate?: (b: Block) => void): Promise<Block> {
  return c.nextBlock(txs, mutate === undefined ? {} : { mutate });
}
function blockCtx(c: TestChain) {
  return c.blockContext();
}
const blockCode = (c: TestChain, b: Block) => codeOf(validateBlock(b, blockCtx(c)));

/** Encodings that are not valid ristretto255 points: a field element ≥ p, and a negative s. */
const NON_CANONICAL_POINT = new Uint8Array(32).fill(0xff);
const NEGATIVE_POINT = (() => {
  const b = new Uint8Array(32);
  b[0] = 1;
  return b;
})();
const IDENTITY = new Uint8Array(32);

beforeAll(async () => {
  chain = await new TestChain().init();
});

describe("baseline", () => {
  it("a valid tx and a valid block are accepted, and the block applies", async () => {
    const c = await new TestChain().init();
    const { tx } = payment(c);
    const v = await validateTx(encodeTx(tx), c, c.params);
    expect(v.txid.length).toBe(32);
    const b = await nextBlock(c, [tx]);
    const vb = await validateBlock(b, blockCtx(c));
    await c.apply(vb);
    expect(c.height).toBe(1n);
    const cert = c.certify(b);
    verifyFinalityCertificate(cert, { chainId: c.params.chainId, height: b.header.height, blockHash: blockHash(b.header), validatorSet: c.validatorSet });
    expect(await c.mmr.root()).toEqual(b.header.outputRoot);
  });
});

describe("rejection scenarios (tx)", () => {
  it("01 ring smaller than 11 → TX_RING_TOO_SMALL", async () => {
    expect(await txCode(payment(chain, 0, { ringSize: 10 }).tx)).toBe("TX_RING_TOO_SMALL");
  });
  it("02 duplicated ring member → TX_RING_DUPLICATE_MEMBER", async () => {
    const tx = cloneTx(payment(chain).tx);
    const r = tx.inputs[0]!.ring;
    r[r.length - 1] = r[r.length - 2]!;
    expect(await txCode(remine(tx))).toBe("TX_RING_DUPLICATE_MEMBER");
  });
  it("03 ring members out of order → TX_RING_NOT_SORTED", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.inputs[0]!.ring.reverse();
    expect(await txCode(remine(tx))).toBe("TX_RING_NOT_SORTED");
  });
  it("04 ring member that does not exist → TX_RING_MEMBER_UNKNOWN (IGNORE)", async () => {
    const tx = cloneTx(payment(chain, 0, { decoys: [[1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]] }).tx);
    tx.inputs[0]!.ring[10] = 1_000_000n;
    const e = await validateTx(remine(tx), chain, chain.params).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConsensusError);
    expect((e as ConsensusError).code).toBe("TX_RING_MEMBER_UNKNOWN");
    expect((e as ConsensusError).action).toBe("IGNORE");
  });
  it("05 immature ring member (locked premine) → TX_RING_MEMBER_LOCKED", async () => {
    const decoys = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, chain.lockedIndex];
    expect(await txCode(payment(chain, 0, { decoys: [decoys] }).tx)).toBe("TX_RING_MEMBER_LOCKED");
  });
  it("06 missing range proof → TX_RANGE_PROOF_MISSING", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.rangeProof = new Uint8Array(0);
    expect(await txCode(remine(tx))).toBe("TX_RANGE_PROOF_MISSING");
  });
  it("07 mutated range proof bytes → TX_RANGE_PROOF_INVALID (after signing: TX_SIGNATURE_INVALID)", async () => {
    const flip = (p: Uint8Array) => {
      const q = p.slice();
      q[q.length - 40]! ^= 1;
      return q;
    };
    expect(await txCode(payment(chain, 0, { mutateProof: flip }).tx)).toBe("TX_RANGE_PROOF_INVALID");
    expect(await txCode(payment(chain, 0, { mutateProof: (p) => p.slice(0, p.length - 32) }).tx)).toBe("TX_RANGE_PROOF_INVALID");
    // the MLSAG message covers the proof: a relay that mutates it breaks the signatures first
    const tx = cloneTx(payment(chain).tx);
    tx.rangeProof = flip(tx.rangeProof);
    expect(await txCode(remine(tx))).toBe("TX_SIGNATURE_INVALID");
  });
  it("07b a valid proof for other amounts → TX_RANGE_PROOF_INVALID", async () => {
    expect(await txCode(payment(chain, 0, { proofAmounts: [4n * BAI, 5n * BAI] }).tx)).toBe("TX_RANGE_PROOF_INVALID");
  });
  it("08 negative output amount, balanced (real inflation attempt) → TX_RANGE_PROOF_INVALID", async () => {
    // outputs: bob gets input + 5 BAI, alice gets −(5 BAI + fee): balance holds in the group
    const inp = chain.owned[1]!;
    const fee = chain.params.minFee;
    const neg = 5n * BAI + fee;
    const H = generatorH();
    const le = (v: bigint) => {
      const b = new Uint8Array(32);
      for (let i = 0; i < 32; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
      return b;
    };
    const { tx } = buildTx(chain, {
      inputs: [inp],
      outputs: [
        { to: addr(chain.bob), amount: inp.amount + 5n * BAI },
        { to: addr(chain.alice), amount: 1n }, // placeholder amount, replaced below
      ],
      fee,
      proofAmounts: [inp.amount + 5n * BAI, 1n],
      commitmentOverride: (j, c, mask) => (j === 1 ? pointSub(scalarMultBase(mask), scalarMult(le(neg), H)) : c),
    });
    expect(await txCode(tx)).toBe("TX_RANGE_PROOF_INVALID");
  });
  it("09 outputs worth more than inputs → TX_UNBALANCED", async () => {
    const inp = chain.owned[0]!;
    const { tx } = buildTx(chain, { inputs: [inp], outputs: [{ to: addr(chain.bob), amount: inp.amount + BAI }] });
    expect(await txCode(tx)).toBe("TX_UNBALANCED");
  });
  it("10 2^64 overflow attempt (outputs wrap to the input mod 2^64) → TX_UNBALANCED", async () => {
    const inp = chain.owned[0]!;
    const fee = chain.params.minFee;
    const big = (1n << 64n) - 1n;
    const rest = inp.amount - fee + 1n; // big + rest ≡ inp − fee (mod 2^64)
    const { tx } = buildTx(chain, { inputs: [inp], outputs: [{ to: addr(chain.bob), amount: big }, { to: addr(chain.alice), amount: rest }], fee });
    expect(await txCode(tx)).toBe("TX_UNBALANCED");
  });
  it("11 fee changed after signing → TX_UNBALANCED", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.fee += 1n;
    expect(await txCode(remine(tx))).toBe("TX_UNBALANCED");
  });
  it("12 fee below the minimum → TX_FEE_TOO_LOW", async () => {
    expect(await txCode(payment(chain, 0, { fee: chain.params.minFee - 1n }).tx)).toBe("TX_FEE_TOO_LOW");
  });
  it("13 the same key image twice in one tx → TX_KEY_IMAGE_DUPLICATE", async () => {
    const inp = chain.owned[2]!;
    const a = payment(chain, 2).tx;
    const tx = cloneTx(a);
    tx.inputs.push(structuredClone(tx.inputs[0]!));
    tx.signatures.push(tx.signatures[0]!.slice());
    void inp;
    expect(await txCode(remine(tx))).toBe("TX_KEY_IMAGE_DUPLICATE");
  });
  it("14 an output added after signing → TX_SIGNATURE_INVALID", async () => {
    const { tx } = payment(chain, 0, { signOver: (t) => ({ ...t, outputs: t.outputs.slice(0, 1) }) });
    expect(await txCode(tx)).toBe("TX_SIGNATURE_INVALID");
  });
  it("15 an input removed after signing → TX_SIGNATURE_INVALID", async () => {
    const { tx } = payment(chain, 0, { signOver: (t) => ({ ...t, inputs: [...t.inputs, { ...t.inputs[0]!, keyImage: scalarMultBase(randomScalar()) }] }) });
    expect(await txCode(tx)).toBe("TX_SIGNATURE_INVALID");
  });
  it("16 an input dropped from a 2-input tx (naively) → TX_UNBALANCED", async () => {
    const { tx } = buildTx(chain, { inputs: [chain.owned[3]!, chain.owned[4]!], outputs: [{ to: addr(chain.bob), amount: 20n * BAI - chain.params.minFee }] });
    const t = cloneTx(tx);
    t.inputs.pop();
    t.signatures.pop();
    expect(await txCode(remine(t))).toBe("TX_UNBALANCED");
  });
  it("17 mutated signature challenge c0 → TX_SIGNATURE_INVALID", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.signatures[0]![0]! ^= 1;
    expect(await txCode(remine(tx))).toBe("TX_SIGNATURE_INVALID");
  });
  it("18 mutated signature response s → TX_SIGNATURE_INVALID", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.signatures[0]![32 + 64 * 5]! ^= 1;
    expect(await txCode(remine(tx))).toBe("TX_SIGNATURE_INVALID");
  });
  it("19 non-canonical scalar (≥ ℓ) in a signature → TX_NON_CANONICAL_SCALAR", async () => {
    const tx = cloneTx(payment(chain).tx);
    let v = GROUP_ORDER;
    for (let i = 0; i < 32; i++, v >>= 8n) tx.signatures[0]![32 + i] = Number(v & 0xffn);
    expect(await txCode(remine(tx))).toBe("TX_NON_CANONICAL_SCALAR");
  });
  it("20 a foreign key image (valid point) → TX_SIGNATURE_INVALID", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.inputs[0]!.keyImage = scalarMultBase(randomScalar());
    expect(await txCode(remine(tx))).toBe("TX_SIGNATURE_INVALID");
  });
  it("21 zero commitment (identity) as an output commitment → TX_IDENTITY_POINT", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.outputs[0]!.commitment = IDENTITY.slice();
    expect(await txCode(remine(tx))).toBe("TX_IDENTITY_POINT");
  });
  const fields: [string, (t: Tx, p: Uint8Array) => void][] = [
    ["inputs[0].keyImage", (t, p) => (t.inputs[0]!.keyImage = p)],
    ["inputs[0].pseudoOut", (t, p) => (t.inputs[0]!.pseudoOut = p)],
    ["outputs[0].oneTimeKey", (t, p) => (t.outputs[0]!.oneTimeKey = p)],
    ["outputs[1].commitment", (t, p) => (t.outputs[1]!.commitment = p)],
    ["txPublicKeys[0]", (t, p) => (t.txPublicKeys[0] = p)],
  ];
  it.each(fields)("22 non-canonical point in %s → TX_INVALID_POINT", async (name, set) => {
    for (const bad of [NON_CANONICAL_POINT, NEGATIVE_POINT]) {
      const tx = cloneTx(payment(chain).tx);
      set(tx, bad.slice());
      const e = await validateTx(remine(tx), chain, chain.params).catch((x: unknown) => x);
      expect((e as ConsensusError).code).toBe("TX_INVALID_POINT");
      expect((e as ConsensusError).reason).toContain(name);
    }
  });
  it.each(fields)("23 identity point in %s → TX_IDENTITY_POINT", async (name, set) => {
    const tx = cloneTx(payment(chain).tx);
    set(tx, IDENTITY.slice());
    const e = await validateTx(remine(tx), chain, chain.params).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_IDENTITY_POINT");
    expect((e as ConsensusError).reason).toContain(name);
  });
  it("24 oversized transaction → TX_OVERSIZED (before decoding)", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.rangeProof = new Uint8Array(chain.params.maxTxBytes);
    expect(await txCode(encodeTx(tx))).toBe("TX_OVERSIZED");
    expect(await txCode(new Uint8Array(chain.params.maxTxBytes + 1).fill(0xc1))).toBe("TX_OVERSIZED");
  });
  it("25 insufficient Tx-PoW → TX_POW_INSUFFICIENT", async () => {
    const tx = badNonce(payment(chain).tx, chain.params.txPowTarget);
    expect(await txCode(tx)).toBe("TX_POW_INSUFFICIENT");
  });
  it("26 a ring count beyond the remaining bytes → TX_MALFORMED naming the field (no allocation)", async () => {
    const bytes = encodeTx(payment(chain).tx);
    new DataView(bytes.buffer).setUint32(20, 70_000, true); // inputs[0] ring count (docs/protocol.md §10.1)
    const e = await validateTx(bytes, chain, chain.params).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_MALFORMED");
    expect((e as ConsensusError).reason).toMatch(/^inputs\[0\]\.ring: count 70000 exceeds remaining bytes/);
  });
  it("27 a transparent amount appended to a tx → TX_MALFORMED (privacy is mandatory: no field can carry it)", async () => {
    const bytes = encodeTx(payment(chain).tx);
    const withAmount = new Uint8Array(bytes.length + 8);
    withAmount.set(bytes);
    new DataView(withAmount.buffer).setBigUint64(bytes.length, 5n, true);
    expect(await txCode(withAmount)).toBe("TX_MALFORMED");
  });
  it("28 minting from nothing (no inputs) → TX_INPUT_COUNT", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.inputs = [];
    tx.signatures = [];
    expect(await txCode(remine(tx))).toBe("TX_INPUT_COUNT");
  });
  it("29 another chain's tx (replay) → TX_WRONG_CHAIN", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.chainId += 1;
    expect(await txCode(remine(tx))).toBe("TX_WRONG_CHAIN");
  });
  it("30 too many outputs (17) → TX_OUTPUT_COUNT", async () => {
    const tx = cloneTx(payment(chain).tx);
    while (tx.outputs.length < 17) tx.outputs.push({ ...structuredClone(tx.outputs[0]!), oneTimeKey: scalarMultBase(randomScalar()) });
    expect(await txCode(remine(tx))).toBe("TX_OUTPUT_COUNT");
  });
  it("31 a mask-1 coinbase commitment forged into a regular output does not pass balance → TX_UNBALANCED", async () => {
    const tx = cloneTx(payment(chain).tx);
    tx.outputs[0]!.commitment = scalarMultBase(SCALAR_ONE); // commit(0, 1)
    expect(await txCode(remine(tx))).toBe("TX_UNBALANCED");
  });
});

describe("rejection scenarios (block and chain)", () => {
  it("32 double spend across blocks → TX_KEY_IMAGE_SPENT (tx and block validation)", async () => {
    const c = await new TestChain().init();
    const first = payment(c, 0).tx;
    await c.apply(await validateBlock(await nextBlock(c, [first]), blockCtx(c)));
    const again = payment(c, 0).tx; // same output, new randomness: same key image
    expect(await txCode(again, c)).toBe("TX_KEY_IMAGE_SPENT");
    const e = await validateBlock(await nextBlock(c, [again]), blockCtx(c)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_KEY_IMAGE_SPENT");
    expect((e as ConsensusError).index).toBe(0);
    expect((e as ConsensusError).action).toBe("REJECT");
  });
  it("33 double spend in one block (two txs, one key image) → BLOCK_KEY_IMAGE_DUPLICATE", async () => {
    const c = await new TestChain().init();
    const a = payment(c, 0).tx;
    const b = payment(c, 0).tx;
    expect(await blockCode(c, await nextBlock(c, [a, b]))).toBe("BLOCK_KEY_IMAGE_DUPLICATE");
  });
  it("34 the same tx twice in a block → BLOCK_DUPLICATE_TX", async () => {
    const c = await new TestChain().init();
    const a = payment(c, 0).tx;
    expect(await blockCode(c, await nextBlock(c, [a, a]))).toBe("BLOCK_DUPLICATE_TX");
  });
  it("35 spending an immature coinbase output → TX_RING_MEMBER_LOCKED", async () => {
    const c = await new TestChain().init();
    const vb: ValidatedBlock = await validateBlock(await nextBlock(c, []), blockCtx(c));
    await c.apply(vb);
    const cbIndex = vb.newOutputs[0]!.globalIndex;
    expect(vb.newOutputs[0]!.unlockHeight).toBe(1n + c.params.coinbaseMaturity);
    const decoys = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, cbIndex];
    expect(await txCode(payment(c, 0, { decoys: [decoys] }).tx, c)).toBe("TX_RING_MEMBER_LOCKED");
  });
  it("36 coinbase paying more than reward + fees → BLOCK_COINBASE_AMOUNT", async () => {
    const c = await new TestChain().init();
    const b = await nextBlock(c, [payment(c).tx], (blk) => {
      blk.coinbase.outputs[0]!.amount += 1n;
      blk.header.txRoot = txRoot(blk.coinbase, blk.txs);
    });
    expect(await blockCode(c, b)).toBe("BLOCK_COINBASE_AMOUNT");
  });
  it("37 wrong output MMR root → BLOCK_OUTPUT_ROOT_MISMATCH; wrong size → BLOCK_OUTPUT_COUNT_MISMATCH", async () => {
    const c = await new TestChain().init();
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.outputRoot = new Uint8Array(32).fill(1))))).toBe("BLOCK_OUTPUT_ROOT_MISMATCH");
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.outputCount += 1n)))).toBe("BLOCK_OUTPUT_COUNT_MISMATCH");
  });
  it("38 tx root not matching (tx swapped after assembly) → BLOCK_TX_ROOT_MISMATCH", async () => {
    const c = await new TestChain().init();
    const other = payment(c, 1).tx;
    expect(await blockCode(c, await nextBlock(c, [payment(c, 0).tx], (b) => (b.txs[0] = other)))).toBe("BLOCK_TX_ROOT_MISMATCH");
  });
  it("39 a bad range proof inside a block batch → TX_RANGE_PROOF_INVALID naming the tx", async () => {
    const c = await new TestChain().init();
    const good = payment(c, 0).tx;
    const bad = payment(c, 1, { proofAmounts: [4n * BAI, 1n] }).tx;
    const e = await validateBlock(await nextBlock(c, [good, bad]), blockCtx(c)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_RANGE_PROOF_INVALID");
    expect((e as ConsensusError).index).toBe(1);
  });
  it("40 wrong parent / height / validator sets → BLOCK_BAD_PARENT, BLOCK_BAD_HEIGHT, BLOCK_VALIDATORS_HASH, BLOCK_NEXT_VALIDATORS_HASH", async () => {
    const c = await new TestChain().init();
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.parentHash = new Uint8Array(32))))).toBe("BLOCK_BAD_PARENT");
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.height = 5n)))).toBe("BLOCK_BAD_HEIGHT");
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.validatorsHash = new Uint8Array(32).fill(3))))).toBe("BLOCK_VALIDATORS_HASH");
    expect(await blockCode(c, await nextBlock(c, [], (b) => (b.header.nextValidatorsHash = new Uint8Array(32).fill(3))))).toBe("BLOCK_NEXT_VALIDATORS_HASH");
  });
  it("41 forged or foreign finality certificates → CERT_INVALID_SIGNATURE, CERT_UNKNOWN_VALIDATOR, CERT_WRONG_BLOCK", async () => {
    const c = await new TestChain().init();
    const b = await nextBlock(c, []);
    const cert = c.certify(b);
    const set = makeValidatorSet(c.genesis.validators);
    const exp = { chainId: c.params.chainId, height: b.header.height, blockHash: blockHash(b.header), validatorSet: set };
    const forged = structuredClone(cert);
    forged.votes[0]!.signature[5]! ^= 1;
    const code = (f: () => void) => {
      try {
        f();
        return "OK";
      } catch (e) {
        return (e as ConsensusError).code;
      }
    };
    expect(code(() => verifyFinalityCertificate(cert, exp))).toBe("OK");
    expect(code(() => verifyFinalityCertificate(forged, exp))).toBe("CERT_INVALID_SIGNATURE");
    const stranger = new Uint8Array(32).fill(7);
    const foreign = { ...cert, votes: [{ validator: ed25519PublicKey(stranger), signature: ed25519Sign(stranger, new Uint8Array(32)) }] };
    expect(code(() => verifyFinalityCertificate(foreign, exp))).toBe("CERT_UNKNOWN_VALIDATOR");
    expect(code(() => verifyFinalityCertificate({ ...cert, height: 2n }, exp))).toBe("CERT_WRONG_BLOCK");
    expect(code(() => verifyFinalityCertificate({ ...cert, votes: [] }, exp))).toBe("CERT_INSUFFICIENT_STAKE");
  });
  it("rejections store nothing", () => {
    expect(chain.height).toBe(0n);
    expect(chain.spent.size).toBe(0);
    expect(chain.outputs.length).toBe(49);
  });
});

export type { ConsensusErrorCode };

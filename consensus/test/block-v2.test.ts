/**
 * Header v2 and the new body (docs/protocol.md §5, §10.8; docs/consensus.md §4): PoW = block
 * hash, per-block retarget, the parent's certificate, unbonds, evidence, payouts, bond txs and
 * the staking hook — each rule with a real block that passes, and one defect that fails with its
 * code.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { commit, ed25519PublicKey, ed25519Sign, h32, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { ConsensusError } from "../src/errors.ts";
import type { Block, Evidence, Tx, Unbond, VoteMessage } from "../src/types.ts";
import { validateTx } from "../src/validation/tx.ts";
import { validateBlock } from "../src/validation/block.ts";
import { checkEvidence } from "../src/validation/body.ts";
import { encodeBlock, encodeTx } from "../src/encoding/wire.ts";
import { headerBytes } from "../src/encoding/canonical.ts";
import { SCALAR_ONE } from "../src/encoding/bytes.ts";
import { blockHash, certificateHash, evidenceRoot, stakingRoot, unbondMessage, voteMessage } from "../src/hashes.ts";
import { bigIntToTarget, meetsTarget, mineBlock, nextBlockTarget, powLevel, targetToBigInt } from "../src/pow.ts";
import { defaultParams, targetForBits } from "../src/params.ts";
import { BAI, TestChain, mineHeader, seed, type Owned } from "./helpers/chain.ts";
import { buildTx, mine } from "./helpers/txbuilder.ts";
import { headerArb } from "./helpers/arbitraries.ts";

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
const blockCode = (c: TestChain, b: Block | Uint8Array, over = {}) => codeOf(validateBlock(b, c.blockContext(over)));

function pay(c: TestChain, i: number, extra: Partial<Parameters<typeof buildTx>[1]> = {}): Tx {
  const inp = c.owned[i] as Owned;
  const fee = c.params.minFee;
  const bonded = extra.stake?.amount ?? 0n;
  return buildTx(c, { inputs: [inp], outputs: [{ to: addr(c.bob), amount: 4n * BAI }, { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee - bonded }], fee, ...extra }).tx;
}

/** An unbond of `amount` from the test validator, paid to bob (output index 0 of a fresh tx key). */
function unbond(c: TestChain, amount = 5n, signer = c.validatorSeed): Unbond {
  const r = randomScalar();
  const m = makeOutput(r, c.bob.viewPublic, c.bob.spendPublic, 0, amount);
  const u = { validator: ed25519PublicKey(c.validatorSeed), amount, oneTimeKey: m.oneTimeKey, viewTag: m.viewTag, txPublicKey: scalarMultBase(r) };
  return { ...u, signature: ed25519Sign(signer, unbondMessage(c.params.chainId, u)) };
}

function vote(c: TestChain, kind: "prevote" | "precommit", height: bigint, round: number, hash: Uint8Array, s = c.validatorSeed): VoteMessage {
  return { kind, chainId: c.params.chainId, height, round, blockHash: hash, validator: ed25519PublicKey(s), signature: ed25519Sign(s, voteMessage(kind, c.params.chainId, height, round, hash)) };
}
function duplicate(c: TestChain, height: bigint): Evidence {
  const x = vote(c, "prevote", height, 0, new Uint8Array(32).fill(1));
  const y = vote(c, "prevote", height, 0, new Uint8Array(32).fill(2));
  return { kind: "duplicate-vote", voteA: x, voteB: y };
}

let c1: TestChain; // a chain at height 1 (the certificate of block 1 is signed)
beforeAll(async () => {
  c1 = await new TestChain().init();
  await c1.apply(await validateBlock(await c1.nextBlock([]), c1.blockContext()));
});

describe("PoW: the block hash meets the header's blockTarget", () => {
  it("a mined block validates; the same block with a failing nonce → BLOCK_BAD_POW", async () => {
    const c = await new TestChain().init();
    const b = await c.nextBlock([]);
    expect(meetsTarget(blockHash(b.header), b.header.blockTarget)).toBe(true);
    expect(await blockCode(c, b)).toBe("OK");
    let n = b.header.powNonce + 1n;
    while (meetsTarget(blockHash({ ...b.header, powNonce: n }), b.header.blockTarget)) n++;
    expect(await blockCode(c, { ...b, header: { ...b.header, powNonce: n } })).toBe("BLOCK_BAD_POW");
  });

  it("mineBlock hashes exactly like blockHash (h32 over the 488 header bytes), chunk by chunk", () => {
    fc.assert(
      fc.property(headerArb, (h0) => {
        const h = { ...h0, blockTarget: targetForBits(4), powNonce: 0n };
        let found: typeof h | undefined;
        for (let start = 0n; found === undefined; start += 7n) found = mineBlock(h, { maxTries: 7, startNonce: start });
        const hash = h32("BAIOS/v1/block", headerBytes(found));
        expect(hash).toEqual(blockHash(found));
        expect(meetsTarget(hash, h.blockTarget)).toBe(true);
        // every nonce before the winner fails
        for (let n = 0n; n < found.powNonce; n++) expect(meetsTarget(blockHash({ ...h, powNonce: n }), h.blockTarget)).toBe(false);
      }),
      { numRuns: 20 },
    );
    expect(mineBlock({ ...c1.tip, blockTarget: new Uint8Array(32) }, { maxTries: 100 })).toBeUndefined();
  });

  it("powLevel = ⌊log₂(target / hash)⌋ capped at 63; −1 above the target", () => {
    const t = targetForBits(10);
    const T = targetToBigInt(t);
    expect(powLevel(bigIntToTarget(T), t)).toBe(0);
    expect(powLevel(bigIntToTarget(T / 2n), t)).toBe(1);
    expect(powLevel(bigIntToTarget(T / 2n + 1n), t)).toBe(0);
    expect(powLevel(bigIntToTarget(T + 1n), t)).toBe(-1);
    expect(powLevel(new Uint8Array(32), t)).toBe(63);
    expect(powLevel(bigIntToTarget(1n), t)).toBe(63);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: T }), (h) => {
        const l = powLevel(bigIntToTarget(h), t);
        expect(l).toBeGreaterThanOrEqual(0);
        if (l < 63) expect(h * (1n << BigInt(l)) <= T && h * (1n << BigInt(l + 1)) > T).toBe(true);
        else expect(h * (1n << 63n) <= T).toBe(true);
      }),
    );
  });
});

describe("retarget every block (docs/consensus.md §4.3)", () => {
  const p = defaultParams({ blockTimeMs: 1000, blockTargetMax: targetForBits(2) });
  const parent = (t: bigint, timeMs: bigint) => ({ ...c1.tip, height: 5n, blockTarget: bigIntToTarget(t), timeMs });

  it("keeps the target at Δ = T, scales by (7T + Δ)/8T, clamps Δ to [0, 4T] and the result to [1, blockTargetMax]", () => {
    const t = 1n << 200n;
    expect(targetToBigInt(nextBlockTarget(parent(t, 10_000n), 9_000n, p))).toBe(t);
    expect(targetToBigInt(nextBlockTarget(parent(t, 10_000n), 10_000n, p))).toBe((t * 7n) / 8n);
    expect(targetToBigInt(nextBlockTarget(parent(t, 10_000n), 12_000n, p))).toBe((t * 7n) / 8n); // negative Δ → 0
    expect(targetToBigInt(nextBlockTarget(parent(t, 10_000n), 0n, p))).toBe((t * 11n) / 8n); // Δ capped at 4T
    expect(targetToBigInt(nextBlockTarget(parent(1n, 10_000n), 10_000n, p))).toBe(1n); // never 0
    const max = targetToBigInt(p.blockTargetMax);
    expect(targetToBigInt(nextBlockTarget(parent(max, 10_000n), 0n, p))).toBe(max);
    // the child of genesis keeps genesis's target; a later block needs the grandparent time
    expect(nextBlockTarget(c1.tip.height === 1n ? { ...c1.tip, height: 0n } : c1.tip, undefined, p)).toEqual(c1.tip.blockTarget);
    expect(() => nextBlockTarget(parent(t, 1n), undefined, p)).toThrow(/grandparent/);
  });

  it("property: within [t/2, 2t] ∩ [1, max], non-decreasing in Δ", () => {
    const max = targetToBigInt(p.blockTargetMax);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max }), fc.bigInt({ min: -5_000n, max: 10_000n }), fc.bigInt({ min: 0n, max: 3_000n }), (t, d, e) => {
        const a = targetToBigInt(nextBlockTarget(parent(t, 100_000n), 100_000n - d, p));
        const b = targetToBigInt(nextBlockTarget(parent(t, 100_000n), 100_000n - d - e, p));
        expect(a >= 1n && a <= max && a >= t / 2n && a <= 2n * t).toBe(true);
        expect(b >= a).toBe(true);
      }),
    );
  });

  it("a header with another target → BLOCK_BAD_TARGET (even if its PoW meets it)", async () => {
    const c = await new TestChain().init();
    const b = await c.nextBlock([], { mutate: (x) => (x.header.blockTarget = targetForBits(1)) });
    expect(await blockCode(c, b)).toBe("BLOCK_BAD_TARGET");
  });
});

describe("the parent's finality certificate", () => {
  it("block 1 carries genesis's empty-vote certificate; a vote in it → BLOCK_LAST_CERTIFICATE_MISMATCH", async () => {
    const c = await new TestChain().init();
    const b = await c.nextBlock([]);
    expect(b.lastCertificate.votes).toEqual([]);
    expect(b.lastCertificate.blockHash).toEqual(blockHash(c.tip));
    const forged = { ...c.tipCertificate, votes: [{ validator: new Uint8Array(32), signature: new Uint8Array(64) }] };
    const b2 = await c.nextBlock([], { mutate: (x) => { x.lastCertificate = forged; x.header.lastCertificateHash = certificateHash(forged); } });
    expect(await blockCode(c, b2)).toBe("BLOCK_LAST_CERTIFICATE_MISMATCH");
  });

  it("at height 2 the certificate is verified against the parent's set: forged signature → CERT_INVALID_SIGNATURE; another block's → MISMATCH; header hash off → MISMATCH", async () => {
    expect(await blockCode(c1, await c1.nextBlock([]))).toBe("OK");
    const forged = structuredClone(c1.tipCertificate);
    forged.votes[0]!.signature[3]! ^= 1;
    const withCert = (cert: typeof forged) => c1.nextBlock([], { mutate: (x) => { x.lastCertificate = cert; x.header.lastCertificateHash = certificateHash(cert); } });
    const e = await validateBlock(await withCert(forged), c1.blockContext()).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("CERT_INVALID_SIGNATURE");
    expect((e as ConsensusError).reason).toMatch(/^lastCertificate: /);
    expect(await blockCode(c1, await withCert({ ...c1.tipCertificate, blockHash: new Uint8Array(32).fill(9) }))).toBe("BLOCK_LAST_CERTIFICATE_MISMATCH");
    expect(await blockCode(c1, await withCert({ ...c1.tipCertificate, votes: [] }))).toBe("CERT_INSUFFICIENT_STAKE");
    expect(await blockCode(c1, await c1.nextBlock([], { mutate: (x) => (x.header.lastCertificateHash = new Uint8Array(32)) }))).toBe("BLOCK_LAST_CERTIFICATE_MISMATCH");
  });
});

describe("unbonds, evidence and their roots", () => {
  it("a signed unbond is accepted; its one-time key is reserved; stakingRoot commits to it", async () => {
    const u = unbond(c1);
    const b = await c1.nextBlock([], { unbonds: [u] });
    expect(b.header.stakingRoot).toEqual(stakingRoot([u]));
    const v = await validateBlock(encodeBlock(b), c1.blockContext());
    expect(v.reservedOneTimeKeys).toEqual([u.oneTimeKey]);
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [u], mutate: (x) => (x.header.stakingRoot = stakingRoot([])) }))).toBe("BLOCK_STAKING_ROOT_MISMATCH");
  });

  it("unbond defects → BLOCK_UNBOND_INVALID (signature by another key, amount 0, bad key), BLOCK_ONE_TIME_KEY_DUPLICATE (repeated / on chain)", async () => {
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [unbond(c1, 5n, seed(3))] }))).toBe("BLOCK_UNBOND_INVALID");
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [unbond(c1, 0n)] }))).toBe("BLOCK_UNBOND_INVALID");
    const badKey = { ...unbond(c1), oneTimeKey: new Uint8Array(32).fill(0xff) };
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [badKey] }))).toBe("BLOCK_UNBOND_INVALID");
    const u = unbond(c1);
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [u, u] }))).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
    const onChain = c1.outputs[0]!.oneTimeKey;
    const uu = { ...u, oneTimeKey: onChain };
    const signed = { ...uu, signature: ed25519Sign(c1.validatorSeed, unbondMessage(c1.params.chainId, uu)) };
    expect(await blockCode(c1, await c1.nextBlock([], { unbonds: [signed] }))).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
  });

  it("duplicate-vote evidence is accepted; evidenceRoot commits to it; defects → BLOCK_EVIDENCE_INVALID", async () => {
    const ev = duplicate(c1, 1n);
    const b = await c1.nextBlock([], { evidence: [ev] });
    expect(b.header.evidenceRoot).toEqual(evidenceRoot([ev]));
    expect(await blockCode(c1, encodeBlock(b))).toBe("OK");
    expect(await blockCode(c1, await c1.nextBlock([], { evidence: [ev], mutate: (x) => (x.header.evidenceRoot = evidenceRoot([])) }))).toBe("BLOCK_EVIDENCE_ROOT_MISMATCH");
    if (ev.kind !== "duplicate-vote") throw new Error("unreachable");
    const bad: Evidence[] = [
      { ...ev, voteA: ev.voteB, voteB: ev.voteA }, // not canonical order
      { ...ev, voteB: ev.voteA }, // same vote twice
      { ...ev, voteB: vote(c1, "precommit", 1n, 0, new Uint8Array(32).fill(2)) }, // two kinds
      { ...ev, voteB: vote(c1, "prevote", 1n, 1, new Uint8Array(32).fill(2)) }, // two rounds
      { ...ev, voteB: vote(c1, "prevote", 1n, 0, new Uint8Array(32).fill(2), seed(3)) }, // two validators
      { ...ev, voteB: { ...ev.voteB, signature: ev.voteA.signature } }, // bad signature
      duplicate(c1, 3n), // above the block height
    ];
    for (const x of bad) expect(await blockCode(c1, await c1.nextBlock([], { evidence: [x] }))).toBe("BLOCK_EVIDENCE_INVALID");
    expect(await blockCode(c1, await c1.nextBlock([], { evidence: [ev, ev] }))).toBe("BLOCK_EVIDENCE_INVALID");
    // too old: height − vote height > unbondingDelay
    const ctx = { chainId: c1.params.chainId, height: 1n + c1.params.unbondingDelay, maxAge: c1.params.unbondingDelay, maxBlockBytes: c1.params.maxBlockBytes };
    expect(() => checkEvidence(ev, ctx)).not.toThrow();
    expect(() => checkEvidence(ev, { ...ctx, height: ctx.height + 1n })).toThrow(/more than/);
  });

  it("invalid-attestation evidence carries the attested block; a hash or height mismatch or a nil vote → BLOCK_EVIDENCE_INVALID", async () => {
    const attested = await c1.nextBlock([]);
    const bytes = encodeBlock(attested);
    const v = vote(c1, "precommit", 2n, 0, blockHash(attested.header));
    const ev: Evidence = { kind: "invalid-attestation", vote: v, block: bytes };
    const ctx = { chainId: c1.params.chainId, height: 2n, maxAge: 10n, maxBlockBytes: c1.params.maxBlockBytes };
    expect(() => checkEvidence(ev, ctx)).not.toThrow();
    expect(await blockCode(c1, await c1.nextBlock([], { evidence: [ev] }))).toBe("OK");
    expect(await blockCode(c1, await c1.nextBlock([], { evidence: [{ ...ev, vote: vote(c1, "precommit", 1n, 0, blockHash(attested.header)) }] }))).toBe("BLOCK_EVIDENCE_INVALID"); // height mismatch
    expect(() => checkEvidence({ ...ev, block: bytes.subarray(1) }, ctx)).toThrow(/block: BLOCK_MALFORMED/);
    expect(() => checkEvidence({ ...ev, vote: vote(c1, "precommit", 2n, 0, new Uint8Array(32).fill(4)) }, ctx)).toThrow(/block hash != vote.blockHash/);
    expect(() => checkEvidence({ ...ev, vote: vote(c1, "precommit", 2n, 0, new Uint8Array(32)) }, ctx)).toThrow(/nil/);
  });
});

describe("payouts and the staking hook", () => {
  it("payouts due at the height follow the coinbase outputs in the MMR (commit(amount, 1), unlock h + maturity)", async () => {
    const m = makeOutput(randomScalar(), c1.bob.viewPublic, c1.bob.spendPublic, 0, 7n * BAI);
    const payouts = [{ oneTimeKey: m.oneTimeKey, viewTag: m.viewTag, amount: 7n * BAI, txPublicKey: scalarMultBase(randomScalar()) }];
    const tx = pay(c1, 0);
    const b = await c1.nextBlock([tx], { payouts });
    const v = await validateBlock(b, c1.blockContext({ payouts }));
    expect(v.newOutputs.length).toBe(1 + 1 + 2);
    expect(v.newOutputs[1]).toEqual({ globalIndex: c1.tip.outputCount + 1n, oneTimeKey: m.oneTimeKey, commitment: commit(7n * BAI, SCALAR_ONE), unlockHeight: 2n + c1.params.coinbaseMaturity });
    expect(v.newOutputs[2]!.oneTimeKey).toEqual(tx.outputs[0]!.oneTimeKey);
    // a block that leaves a due payout out (or pays one not due) has the wrong output root
    expect(await blockCode(c1, await c1.nextBlock([]), { payouts })).toBe("BLOCK_OUTPUT_COUNT_MISMATCH");
    expect(await blockCode(c1, b)).toBe("BLOCK_OUTPUT_COUNT_MISMATCH");
    // a payout key repeated by the block's coinbase
    const r = randomScalar();
    const cbKey = makeOutput(r, c1.alice.viewPublic, c1.alice.spendPublic, 0, 1n).oneTimeKey;
    const clash = [{ ...payouts[0]!, oneTimeKey: cbKey }];
    expect(await blockCode(c1, await c1.nextBlock([], { payouts: clash, coinbaseSecret: r }), { payouts: clash })).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
  });

  it("checkStaking sees the decoded block and its rejection is the block's", async () => {
    const seen: bigint[] = [];
    const ok = await blockCode(c1, await c1.nextBlock([]), { checkStaking: (b: Block) => void seen.push(b.header.height) });
    expect(ok).toBe("OK");
    expect(seen).toEqual([2n]);
    const e = await validateBlock(await c1.nextBlock([]), c1.blockContext({ checkStaking: () => { throw new ConsensusError("BLOCK_UNBOND_INVALID", "not bonded"); } })).catch((x: unknown) => x);
    expect((e as ConsensusError).reason).toBe("not bonded");
  });
});

describe("bond transactions (tx version 2)", () => {
  it("a bond balances with (fee + amount)·H, carries the validator's consent, and goes into a block", async () => {
    const c = await new TestChain().init();
    const tx = pay(c, 0, { stake: { validatorSeed: c.validatorSeed, amount: 2n * BAI } });
    expect(tx.version).toBe(2);
    expect(await codeOf(validateTx(encodeTx(tx), c, c.params))).toBe("OK");
    const b = await c.nextBlock([tx]);
    expect(await blockCode(c, encodeBlock(b))).toBe("OK");
  });

  it("defects: outputs not reduced by the stake → TX_UNBALANCED; consent by another key or over another tx → TX_STAKE_SIGNATURE_INVALID", async () => {
    const c = await new TestChain().init();
    const inp = c.owned[0]!;
    const fee = c.params.minFee;
    const unbalanced = buildTx(c, { inputs: [inp], outputs: [{ to: addr(c.bob), amount: 4n * BAI }, { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee }], fee, stake: { validatorSeed: c.validatorSeed, amount: BAI } }).tx;
    expect(await codeOf(validateTx(unbalanced, c, c.params))).toBe("TX_UNBALANCED");
    const rebuilt = buildTx(c, { inputs: [inp], outputs: [{ to: addr(c.bob), amount: 4n * BAI }, { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee - BAI }], fee, stake: { validatorSeed: c.validatorSeed, amount: BAI, consentOver: (t) => ({ ...t, fee: t.fee + 1n }) } }).tx;
    expect(await codeOf(validateTx(rebuilt, c, c.params))).toBe("TX_STAKE_SIGNATURE_INVALID");
    // consent signed by another key than the named validator
    const other = pay(c, 2, { stake: { validatorSeed: seed(5), amount: BAI } });
    const claimed = buildTx(c, { inputs: [c.owned[3]!], outputs: [{ to: addr(c.bob), amount: 4n * BAI }, { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee - BAI }], fee, stake: { validatorSeed: c.validatorSeed, amount: BAI } }).tx;
    expect(await codeOf(validateTx(other, c, c.params))).toBe("OK"); // a validator may consent for itself
    const swapped = mine({ ...claimed, stake: { ...claimed.stake!, validatorSignature: other.stake!.validatorSignature } }, c.params.txPowTarget);
    expect(await codeOf(validateTx(swapped, c, c.params))).toBe("TX_STAKE_SIGNATURE_INVALID"); // checked before the MLSAGs
    const e = await validateBlock(await c.nextBlock([pay(c, 1), rebuilt]), c.blockContext()).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_STAKE_SIGNATURE_INVALID");
    expect((e as ConsensusError).index).toBe(1);
  });
});

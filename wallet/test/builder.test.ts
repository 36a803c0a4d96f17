import { describe, expect, it } from "vitest";
import { commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, oneTimeSecret, randomScalar, scalarMultBase } from "@baios/crypto";
import { decodeTx, defaultParams, txId, validateTx, type ChainView, type OutputRecord } from "@baios/consensus";
import type { TxJson } from "@baios/node";
import { buildTx, type BuildInput } from "../src/builder.ts";
import { keysFromSeed, addressOf } from "../src/keys.ts";
import { checkTxKeyAgainst } from "../src/txkey.ts";
import { scanBlock } from "../src/scanner.ts";
import { emptyState } from "../src/state.ts";
import { bytesToHex } from "../src/hex.ts";

const EASY = new Uint8Array(32).fill(0xff);
const params = defaultParams({ txPowTarget: EASY });
const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const alice = keysFromSeed(seed(1));
const bob = keysFromSeed(seed(2));

/** An in-memory chain of `n` outputs; alice owns the ones at `mine` (with amounts). */
function fakeChain(n: number, mine: Map<number, bigint>) {
  const records: OutputRecord[] = [];
  const owned = new Map<number, { amount: bigint; mask: Uint8Array; x: Uint8Array; P: Uint8Array }>();
  for (let g = 0; g < n; g++) {
    const r = randomScalar();
    const amount = mine.get(g);
    if (amount !== undefined) {
      const o = makeOutput(r, alice.viewPublic, alice.spendPublic, 0, amount);
      const x = oneTimeSecret(alice.viewSecret, alice.spendSecret, scalarMultBase(r), 0);
      owned.set(g, { amount, mask: o.mask, x, P: o.oneTimeKey });
      records.push({ globalIndex: BigInt(g), oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight: 0n });
    } else {
      const o = makeOutput(r, bob.viewPublic, bob.spendPublic, 0, 1000n + BigInt(g));
      records.push({ globalIndex: BigInt(g), oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight: 0n });
    }
  }
  const view: ChainView = {
    height: 10n,
    getOutputs: (idx) => idx.map((i) => records[Number(i)]),
    isKeyImageSpent: () => false,
    areOneTimeKeysUsed: (keys) => keys.map(() => false),
  };
  const input = (g: number, ring: number[]): BuildInput => {
    const o = owned.get(g)!;
    return {
      globalIndex: g,
      amount: o.amount,
      mask: o.mask,
      oneTimeSecret: o.x,
      keyImage: keyImage(o.x, o.P),
      ring: ring.map((i) => ({ globalIndex: i, oneTimeKey: records[i]!.oneTimeKey, commitment: records[i]!.commitment })),
    };
  };
  return { view, input, records };
}

const txJsonOf = (tx: ReturnType<typeof decodeTx>): TxJson => ({
  txid: bytesToHex(txId(tx)),
  version: tx.version,
  chainId: tx.chainId,
  fee: tx.fee.toString(),
  inputs: tx.inputs.map((i) => ({ ring: i.ring.map(Number), keyImage: bytesToHex(i.keyImage), pseudoOut: bytesToHex(i.pseudoOut) })),
  outputs: tx.outputs.map((o) => ({ oneTimeKey: bytesToHex(o.oneTimeKey), commitment: bytesToHex(o.commitment), viewTag: o.viewTag, encryptedAmount: bytesToHex(o.encryptedAmount) })),
  txPublicKeys: tx.txPublicKeys.map(bytesToHex),
  rangeProof: bytesToHex(tx.rangeProof),
  signatures: tx.signatures.map(bytesToHex),
  powNonce: tx.powNonce.toString(),
});

describe("transaction builder", () => {
  it("builds a 2-input, 2-destination tx that consensus validation accepts", async () => {
    const chain = fakeChain(30, new Map([[4, 5_000_000n], [17, 3_000_000n]]));
    const ringA = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20];
    const ringB = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21];
    const built = await buildTx({
      chainId: params.chainId,
      fee: params.minFee,
      inputs: [chain.input(4, ringA), chain.input(17, ringB)],
      destinations: [
        { viewPublic: bob.viewPublic, spendPublic: bob.spendPublic, amount: 2_000_000n },
        { viewPublic: bob.viewPublic, spendPublic: bob.spendPublic, amount: 1_000_000n },
      ],
      change: { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic },
      txPowTarget: params.txPowTarget,
    });
    const v = await validateTx(built.bytes, chain.view, params);
    expect(bytesToHex(v.txid)).toBe(bytesToHex(built.txid));
    expect(built.change).toBe(8_000_000n - 3_000_000n - params.minFee);
    expect(built.tx.outputs).toHaveLength(3);

    // the receivers find their outputs (view tags, amounts), the sender's change comes back
    const tx = decodeTx(built.bytes);
    const json = txJsonOf(tx);
    const block = { height: 11, hash: "00", timeMs: 1, coinbase: { height: 11, txPublicKey: bytesToHex(scalarMultBase(randomScalar())), outputs: [] }, txs: [{ txid: json.txid, fee: json.fee, txPublicKeys: json.txPublicKeys, keyImages: json.inputs.map((i) => i.keyImage), outputs: json.outputs.map((o, k) => ({ ...o, globalIndex: 30 + k })) }] };
    const bobState = emptyState("devnet", { viewSecret: bob.viewSecret, viewPublic: bob.viewPublic, spendPublic: bob.spendPublic });
    scanBlock(bobState, { viewSecret: bob.viewSecret, spendPublic: bob.spendPublic }, block);
    expect(bobState.outputs.map((o) => o.amount).sort()).toEqual([1_000_000n, 2_000_000n]);
    const aliceState = emptyState("devnet", { viewSecret: alice.viewSecret, viewPublic: alice.viewPublic, spendPublic: alice.spendPublic });
    scanBlock(aliceState, { viewSecret: alice.viewSecret, spendPublic: alice.spendPublic, spendSecret: alice.spendSecret }, block);
    expect(aliceState.outputs.map((o) => o.amount)).toEqual([built.change]);
    expect(commit(aliceState.outputs[0]!.amount, aliceState.outputs[0]!.mask)).toEqual(aliceState.outputs[0]!.commitment);

    // tx-key proof: r proves 3 000 000 to bob, nothing to a third party
    const r = bytesToHex(built.txSecret);
    const proof = checkTxKeyAgainst(json, r, addressOf(bob, "devnet"));
    expect(proof.reduce((s, o) => s + o.amount, 0n)).toBe(3_000_000n);
    expect(checkTxKeyAgainst(json, r, addressOf(keysFromSeed(seed(3)), "devnet"))).toEqual([]);
    expect(() => checkTxKeyAgainst(json, bytesToHex(randomScalar()), addressOf(bob, "devnet"))).toThrow(/does not belong/);
  });

  it("builds a bond (tx version 2) that consensus accepts: the stake leaves the change, the validator's consent is checked", async () => {
    const chain = fakeChain(12, new Map([[5, 9_000_000n]]));
    const vSeed = seed(9);
    const base = {
      chainId: params.chainId,
      fee: params.minFee,
      inputs: [chain.input(5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])],
      destinations: [],
      change: { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic },
      txPowTarget: params.txPowTarget,
    };
    const built = await buildTx({ ...base, stake: { validator: ed25519PublicKey(vSeed), amount: 4_000_000n, consent: (m) => ed25519Sign(vSeed, m) } });
    expect(built.tx.version).toBe(2);
    expect(built.change).toBe(9_000_000n - 4_000_000n - params.minFee);
    await validateTx(built.bytes, chain.view, params);
    // consent by another key than the named validator
    const forged = await buildTx({ ...base, stake: { validator: ed25519PublicKey(vSeed), amount: 4_000_000n, consent: (m) => ed25519Sign(seed(8), m) } });
    await expect(validateTx(forged.bytes, chain.view, params)).rejects.toThrow(/TX_STAKE_SIGNATURE_INVALID/);
    await expect(buildTx({ ...base, stake: { validator: ed25519PublicKey(vSeed), amount: 9_000_000n, consent: (m) => ed25519Sign(vSeed, m) } })).rejects.toThrow(/do not cover/);
  });

  it("is rejected by consensus when tampered with (signature binds the outputs)", async () => {
    const chain = fakeChain(12, new Map([[5, 9_000_000n]]));
    const built = await buildTx({
      chainId: params.chainId,
      fee: params.minFee,
      inputs: [chain.input(5, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])],
      destinations: [{ viewPublic: bob.viewPublic, spendPublic: bob.spendPublic, amount: 1_000_000n }],
      change: { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic },
      txPowTarget: params.txPowTarget,
    });
    await validateTx(built.bytes, chain.view, params);
    const bad = structuredClone(built.tx);
    bad.fee += 1n;
    await expect(validateTx(bad, chain.view, params)).rejects.toThrow();
    const badRing = structuredClone(built.tx);
    badRing.inputs[0]!.ring[0] = 11n;
    badRing.inputs[0]!.ring.sort((a, b) => (a < b ? -1 : 1));
    await expect(validateTx(badRing, chain.view, params)).rejects.toThrow();
  });

  it("mines the Tx-PoW in bounded chunks with progress, and refuses overspending", async () => {
    const chain = fakeChain(11, new Map([[0, 2_000_000n]]));
    const hard = defaultParams({ txPowTarget: (() => { const t = new Uint8Array(32).fill(0xff); t[0] = 0x0f; return t; })() });
    const seen: number[] = [];
    const built = await buildTx({
      chainId: hard.chainId,
      fee: hard.minFee,
      inputs: [chain.input(0, Array.from({ length: 11 }, (_x, i) => i))],
      destinations: [{ viewPublic: bob.viewPublic, spendPublic: bob.spendPublic, amount: 1n }],
      change: { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic },
      txPowTarget: hard.txPowTarget,
      powChunk: 2,
      onPowProgress: (p) => seen.push(p.hashes),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(built.powHashes);
    await validateTx(built.bytes, chain.view, hard);
    await expect(
      buildTx({
        chainId: hard.chainId,
        fee: hard.minFee,
        inputs: [chain.input(0, Array.from({ length: 11 }, (_x, i) => i))],
        destinations: [{ viewPublic: bob.viewPublic, spendPublic: bob.spendPublic, amount: 2_000_000n }],
        change: { viewPublic: alice.viewPublic, spendPublic: alice.spendPublic },
        txPowTarget: hard.txPowTarget,
      }),
    ).rejects.toThrow(/do not cover/);
  });
});

/**
 * Issue 6, "the wallet must not trust its node": a real node behind a tampering proxy. A node
 * that invents incoming funds (bad tx root, bad certificate, bad header link, a forged validator
 * set or genesis, a forged tx scan view) makes the scan fail with a typed NodeTrustError and
 * credits nothing; ring size, fee and Tx-PoW target are bounded by consensus constants.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { commit, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { blockHash, certificateFromVotes, coinbaseHash, merkleRoot, signVote, txLeafHash } from "@baios/consensus";
import type { BlocksRangeResult, ParamsResult, ScanBlockJson, TxResult } from "@baios/node";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { anchorChain } from "../src/scanner.ts";
import { NodeTrustError, headerFromJson, verifyScanBlock, type ScanCursor, DEFAULT_FEE_CAP, MIN_FEE, type NodeTrustErrorCode } from "../src/trust.ts";
import { ONE_SCALAR } from "../src/derive.ts";
import { bytesToHex, hexToBytes } from "../src/hex.ts";
import { BAI, startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";
import { DEVNET_VALIDATOR_SEED } from "@baios/node";

let hn: HostileNode;
const alice = () => Wallet.restore(devnetMnemonic(0), "devnet");
const ATTACKER_SEED = new Uint8Array(32).fill(0x66);

beforeAll(async () => {
  hn = await startHostileNode();
});
afterAll(async () => {
  await hn?.stop();
});

/** Expects `p` to reject with a NodeTrustError of `code`. */
async function rejectsWith(p: Promise<unknown>, code: NodeTrustErrorCode): Promise<NodeTrustError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected NodeTrustError ${code}`).toBeInstanceOf(NodeTrustError);
  expect((e as NodeTrustError).code).toBe(code);
  return e as NodeTrustError;
}

/** Tamper each block of `get_blocks_range` with `f`. */
const onBlocks = (f: (b: ScanBlockJson) => void) => (method: string, _p: Record<string, unknown>, r: unknown) => {
  if (method === "get_blocks_range") for (const b of (r as BlocksRangeResult).blocks) f(b);
  return r;
};

/** A coinbase paying `amount` to alice (attacker-chosen key R), as a node would invent it. */
function inventedCoinbase(b: ScanBlockJson, amount: bigint): void {
  const a = alice().state;
  const r = randomScalar();
  const o = makeOutput(r, a.viewPublic, a.spendPublic, 0, amount);
  const first = b.coinbase.outputs[0]!;
  b.coinbase.txPublicKey = bytesToHex(scalarMultBase(r));
  b.coinbase.outputs[0] = { ...first, oneTimeKey: bytesToHex(o.oneTimeKey), viewTag: o.viewTag, amount: amount.toString(), commitment: bytesToHex(commit(amount, ONE_SCALAR)), unlockHeight: b.height };
}

/** Re-hashes a changed header and signs a certificate for it with `seed`: a fully consistent forged block. */
function reseal(b: ScanBlockJson, seed: Uint8Array): void {
  const h = headerFromJson(b.header);
  const hash = blockHash(h);
  b.hash = b.header.hash = bytesToHex(hash);
  const cert = certificateFromVotes(h.height, 0, hash, [signVote(seed, "precommit", h.chainId, h.height, 0, hash)]);
  b.certificate = { height: Number(cert.height), round: 0, blockHash: bytesToHex(hash), votes: cert.votes.map((v) => ({ validator: bytesToHex(v.validator), signature: bytesToHex(v.signature) })) };
}

describe("scanning does not trust the node", () => {
  it("an honest node: alice finds her premine; the genesis and validator set are pinned", async () => {
    hn.tamper = undefined;
    const w = alice();
    await w.refresh(hn.client);
    expect((await w.balance()).spendable).toBe(12_000n * BAI);
    expect(w.state.genesisHash).toMatch(/^[0-9a-f]{64}$/);
    expect(w.state.validatorsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(w.state.scannedHash).toBe((await hn.client.status()).tipHash);
  });

  it("invented coinbase funds: the tx root does not match, nothing is credited", async () => {
    hn.tamper = onBlocks((b) => {
      if (b.height === 2) inventedCoinbase(b, 5_000n * BAI);
    });
    const w = alice();
    await rejectsWith(w.refresh(hn.client), "BAD_TX_ROOT");
    expect(w.state.outputs).toEqual([]);
    expect(w.state.scannedHeight).toBe(-1);
  });

  it("invented funds in a re-hashed header signed by a key outside the validator set: bad certificate", async () => {
    hn.tamper = onBlocks((b) => {
      if (b.height !== 2) return;
      inventedCoinbase(b, 5_000n * BAI);
      // a header consistent with the forged coinbase (txRoot recomputed), re-hashed and signed
      const cb = { height: BigInt(b.coinbase.height), txPublicKey: hexToBytes(b.coinbase.txPublicKey), outputs: b.coinbase.outputs.map((o) => ({ oneTimeKey: hexToBytes(o.oneTimeKey), viewTag: o.viewTag, amount: BigInt(o.amount), unlockHeight: BigInt(o.unlockHeight) })) };
      const leaves = [coinbaseHash(cb), ...b.txs.map((t) => txLeafHash(hexToBytes(t.txid), BigInt(t.powNonce)))];
      b.header.txRoot = bytesToHex(merkleRoot(leaves));
      reseal(b, ATTACKER_SEED);
    });
    const w = alice();
    await rejectsWith(w.refresh(hn.client), "BAD_CERTIFICATE");
    expect(w.state.outputs).toEqual([]);
  });

  it("a header that hashes but does not link to its parent: bad link (even with a valid certificate)", async () => {
    hn.tamper = onBlocks((b) => {
      if (b.height !== 2) return;
      b.header.parentHash = "11".repeat(32);
      reseal(b, DEVNET_VALIDATOR_SEED); // signed by the real validator: only the link is wrong
    });
    await rejectsWith(alice().refresh(hn.client), "BAD_LINK");
    // a header edited without re-hashing
    hn.tamper = onBlocks((b) => {
      if (b.height === 1) b.header.timeMs += 1;
    });
    await rejectsWith(alice().refresh(hn.client), "BAD_HEADER");
  });

  it("a validator set the node made up does not hash to the genesis header's validatorsHash", async () => {
    hn.tamper = (method, _p, r) => {
      if (method === "get_validators") return { validators: [{ publicKey: bytesToHex(signVote(ATTACKER_SEED, "precommit", 0, 0n, 0, new Uint8Array(32)).validator), stake: "1" }], hash: "00".repeat(32) };
      return r;
    };
    await rejectsWith(alice().refresh(hn.client), "VALIDATORS_MISMATCH");
  });

  it("a mainnet wallet has no genesis to trust on first use: it refuses any node until the mainnet hash is pinned in the build", async () => {
    hn.tamper = undefined;
    const w = Wallet.restore(devnetMnemonic(0), "mainnet");
    await rejectsWith(w.refresh(hn.client), "GENESIS_UNPINNED");
    expect(w.state.genesisHash).toBeUndefined();
  });

  it("another genesis than the pinned one is refused", async () => {
    hn.tamper = undefined;
    const w = alice();
    await w.refresh(hn.client);
    w.state.genesisHash = "ab".repeat(32); // as if pinned on another chain
    await rejectsWith(w.refresh(hn.client), "GENESIS_MISMATCH");
  });

  it("a forged output in a real transaction's scan view: the tx bytes disagree, nothing is credited", async () => {
    hn.tamper = undefined;
    const a = alice();
    const dave = Wallet.restore(devnetMnemonic(3), "devnet");
    await a.transfer(hn.client, { destinations: [{ address: dave.address, amount: 7n * BAI }] });
    await hn.node.produceBlock();
    const tipHeight = (await hn.client.status()).height;
    const eve = Wallet.restore(devnetMnemonic(4), "devnet");
    hn.tamper = onBlocks((b) => {
      if (b.height !== tipHeight || b.txs.length === 0) return;
      const tx = b.txs[0]!;
      const r = randomScalar();
      const o = makeOutput(r, eve.state.viewPublic, eve.state.spendPublic, 0, 1_000_000n * BAI);
      tx.txPublicKeys = [bytesToHex(scalarMultBase(r))];
      tx.outputs[0] = { ...tx.outputs[0]!, oneTimeKey: bytesToHex(o.oneTimeKey), commitment: bytesToHex(o.commitment), viewTag: o.viewTag, encryptedAmount: bytesToHex(o.encryptedAmount) };
    });
    await rejectsWith(eve.refresh(hn.client), "BAD_TX");
    expect(eve.state.outputs).toEqual([]);
    // honest again: dave finds his 7 BAI, eve nothing
    hn.tamper = undefined;
    await eve.refresh(hn.client);
    expect(eve.state.outputs).toEqual([]);
    await dave.refresh(hn.client);
    expect((await dave.balance()).spendable).toBe(7n * BAI);
  });
});

describe("transfers do not take the node's parameters on faith", () => {
  const params = (over: Partial<ParamsResult>) => (method: string, _p: Record<string, unknown>, r: unknown) => (method === "get_params" ? { ...(r as ParamsResult), ...over } : r);

  it("a node saying minRingSize 1 does not shrink rings below 11", async () => {
    hn.tamper = params({ minRingSize: 1, maxRingSize: 1 });
    const a = alice();
    const bob = Wallet.restore(devnetMnemonic(5), "devnet");
    const r = await a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] });
    expect(r.ringSize).toBe(11);
    hn.tamper = undefined;
    const tx = (await hn.client.getTx(r.txid)) as TxResult;
    expect(tx.tx.inputs.every((i) => i.ring.length === 11)).toBe(true);
    await hn.node.produceBlock();
  });

  it("a node asking for a fee above the cap stops the transfer unless maxFee confirms it; a zero fee is raised to the consensus minimum", async () => {
    const a = alice();
    const bob = Wallet.restore(devnetMnemonic(5), "devnet");
    const greedy = (100n * MIN_FEE).toString();
    hn.tamper = params({ fee: greedy });
    const before = (await hn.client.getMempool()).count;
    await rejectsWith(a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] }), "FEE_ABOVE_CAP");
    expect(a.state.sent).toEqual([]);
    expect((await hn.client.getMempool()).count).toBe(before);
    const ok = await a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }], maxFee: 1000n * MIN_FEE });
    expect(ok.fee).toBe(100n * MIN_FEE);
    expect(DEFAULT_FEE_CAP).toBe(10n * MIN_FEE);
    await hn.node.produceBlock();

    hn.tamper = params({ fee: "0", minFee: "0" });
    const cheap = await a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] });
    expect(cheap.fee).toBe(MIN_FEE);
    await hn.node.produceBlock();
  });

  it("an impossible Tx-PoW target or another chain id is refused instead of mined forever", async () => {
    const a = alice();
    const bob = Wallet.restore(devnetMnemonic(5), "devnet");
    hn.tamper = params({ txPowTarget: "00".repeat(32) });
    await rejectsWith(a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] }), "BAD_PARAMS");
    hn.tamper = params({ chainId: 1 });
    await rejectsWith(a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] }), "BAD_PARAMS");
    hn.tamper = undefined;
  });
});

describe("ring members are checked against the verified output MMR", () => {
  it("a decoy with a forged key (the node would learn the real input from it) stops the transfer before signing", async () => {
    const a = alice();
    const bob = Wallet.restore(devnetMnemonic(5), "devnet");
    await a.refresh(hn.client);
    const mine = new Set(a.state.outputs.map((o) => o.globalIndex));
    hn.tamper = (method, _p, r) => {
      if (method !== "get_outputs") return r;
      const res = r as { outputs: ({ globalIndex: number; oneTimeKey: string } | null)[] };
      if (res.outputs.length > 16) return r; // the locked-output sweep, not a ring
      const decoy = res.outputs.find((m) => m !== null && !mine.has(m.globalIndex));
      if (decoy) decoy.oneTimeKey = bytesToHex(scalarMultBase(randomScalar()));
      return r;
    };
    const before = (await hn.client.getMempool()).count;
    await rejectsWith(a.transfer(hn.client, { destinations: [{ address: bob.address, amount: 1n * BAI }] }), "BAD_OUTPUT");
    hn.tamper = undefined;
    expect((await hn.client.getMempool()).count).toBe(before);
    expect(a.state.sent.filter((s) => s.height === undefined)).toEqual([]);
  });
});

describe("block verification is total", () => {
  it("property: any edit of a served block is either harmless or a NodeTrustError, never another exception", async () => {
    hn.tamper = undefined;
    const w = alice();
    const anchor = await anchorChain(hn.client, w.state);
    const { blocks } = await hn.client.getBlocksRange(0, (await hn.client.status()).height);
    expect(blocks.some((b) => b.txs.length > 0)).toBe(true);
    // honest blocks verify
    let c: ScanCursor = { height: -1, hash: new Uint8Array(32), outputs: 0 };
    const cursors: ScanCursor[] = [];
    for (const b of blocks) {
      cursors.push(c);
      c = verifyScanBlock(anchor, c, b);
    }
    const paths = (v: unknown, pre: (string | number)[] = []): (string | number)[][] =>
      v !== null && typeof v === "object" ? [pre, ...Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => paths(x, [...pre, Array.isArray(v) ? Number(k) : k]))] : [pre];
    fc.assert(
      fc.property(fc.nat(blocks.length - 1), fc.nat(), fc.anything(), (bi, pi, value) => {
        const b = structuredClone(blocks[bi]!) as unknown as Record<string, unknown>;
        const all = paths(b).filter((p) => p.length > 0);
        const path = all[pi % all.length]!;
        let o = b as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
        o[path[path.length - 1]!] = value;
        try {
          verifyScanBlock(anchor, cursors[bi]!, b as unknown as ScanBlockJson);
        } catch (e) {
          if (!(e instanceof NodeTrustError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
    // integers past a field's encoded width (u32 version/chainId/round) are refused, not a RangeError
    for (const edit of [(b: ScanBlockJson) => (b.header.version = 2 ** 32), (b: ScanBlockJson) => (b.header.chainId = 2 ** 32), (b: ScanBlockJson) => (b.certificate.round = 2 ** 32)]) {
      const b = structuredClone(blocks[1]!);
      edit(b);
      expect(() => verifyScanBlock(anchor, cursors[1]!, b)).toThrow(NodeTrustError);
    }
  });
});

/**
 * Chain-wide rules of issue 6, as scenarios with real signed transactions and blocks:
 * one-time keys unique across the chain (the burning bug), the block interval (timestamps),
 * and the genesis floors. Each scenario would pass as "OK" on the code before the rule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ed25519PublicKey, randomScalar } from "@baios/crypto";
import { targetToBigInt } from "../src/pow.ts";
import { ConsensusError } from "../src/errors.ts";
import type { Block, Tx } from "../src/types.ts";
import type { Address } from "../src/coinbase.ts";
import { validateTx } from "../src/validation/tx.ts";
import { minChildTimeMs, validateBlock, type BlockContext } from "../src/validation/block.ts";
import { encodeTx } from "../src/encoding/wire.ts";
import { genesisToFile, genesisTxSecret, parseGenesis, standardPremine, type Genesis } from "../src/genesis.ts";
import { DEFAULT_PARAMS, DEVNET_CHAIN_ID, GENESIS_FLOORS, MAX_BLOCK_TXS, defaultParams, type ChainParams } from "../src/params.ts";
import { BAI, TestChain, seed, type Owned } from "./helpers/chain.ts";
import { buildTx } from "./helpers/txbuilder.ts";

const addr = (k: { viewPublic: Uint8Array; spendPublic: Uint8Array }): Address => ({ viewPublic: k.viewPublic, spendPublic: k.spendPublic });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
}

/** A valid 1-in/2-out tx spending alice's owned output `i`; output 0 pays bob 4 BAI with tx secret `r`. */
function pay(c: TestChain, i: number, r?: Uint8Array): Tx {
  const inp = c.owned[i] as Owned;
  const fee = c.params.minFee;
  return buildTx(c, {
    inputs: [inp],
    outputs: [
      { to: addr(c.bob), amount: 4n * BAI },
      { to: addr(c.alice), amount: inp.amount - 4n * BAI - fee },
    ],
    fee,
    ...(r === undefined ? {} : { txSecret: r }),
  }).tx;
}

interface NextOpts {
  timeMs?: bigint;
  coinbaseSecret?: Uint8Array;
  rewardTo?: Address;
}
async function nextBlock(c: TestChain, txs: Tx[], o: NextOpts = {}): Promise<Block> {
  return c.nextBlock(txs, { timeMs: o.timeMs ?? minChildTimeMs(c.tip), ...(o.coinbaseSecret === undefined ? {} : { coinbaseSecret: o.coinbaseSecret }), ...(o.rewardTo === undefined ? {} : { rewardTo: o.rewardTo }) });
}
function ctx(c: TestChain, nowMs?: bigint): BlockContext {
  return c.blockContext(nowMs === undefined ? {} : { nowMs });
}
const blockCode = (c: TestChain, b: Block, nowMs?: bigint) => codeOf(validateBlock(b, ctx(c, nowMs)));

describe("burning bug: a one-time key exists once on the whole chain", () => {
  it("50 a second output to an on-chain one-time key (tx secret reused across blocks) → TX_ONE_TIME_KEY_EXISTS in tx and block validation", async () => {
    const c = await new TestChain().init();
    const r = randomScalar();
    const first = pay(c, 0, r);
    await c.apply(await validateBlock(await nextBlock(c, [first]), ctx(c)));
    const second = pay(c, 1, r); // other input, same r → same one-time key for bob's output 0
    expect(second.outputs[0]!.oneTimeKey).toEqual(first.outputs[0]!.oneTimeKey);
    const e = await validateTx(encodeTx(second), c, c.params).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("TX_ONE_TIME_KEY_EXISTS");
    expect((e as ConsensusError).reason).toContain("outputs[0].oneTimeKey");
    expect((e as ConsensusError).action).toBe("REJECT");
    const be = await validateBlock(await nextBlock(c, [second]), ctx(c)).catch((x: unknown) => x);
    expect((be as ConsensusError).code).toBe("TX_ONE_TIME_KEY_EXISTS");
    expect((be as ConsensusError).index).toBe(0);
    expect((be as ConsensusError).reason).toMatch(/^txs\[0\]/);
  });

  it("51 two txs of one block with the same one-time key (each valid alone) → BLOCK_ONE_TIME_KEY_DUPLICATE", async () => {
    const c = await new TestChain().init();
    const r = randomScalar();
    const a = pay(c, 0, r);
    const b = pay(c, 1, r);
    expect(await codeOf(validateTx(a, c, c.params))).toBe("OK");
    expect(await codeOf(validateTx(b, c, c.params))).toBe("OK");
    const e = await validateBlock(await nextBlock(c, [a, b]), ctx(c)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
    expect((e as ConsensusError).reason).toContain("txs[1].outputs[0]");
    expect(c.height).toBe(0n);
  });

  it("52 a coinbase output and a tx output with the same one-time key → BLOCK_ONE_TIME_KEY_DUPLICATE", async () => {
    const c = await new TestChain().init();
    const r = randomScalar();
    const tx = pay(c, 0, r); // output 0 → bob with r
    const b = await nextBlock(c, [tx], { coinbaseSecret: r, rewardTo: addr(c.bob) }); // coinbase output 0 → bob with r
    expect(b.coinbase.outputs[0]!.oneTimeKey).toEqual(tx.outputs[0]!.oneTimeKey);
    const e = await validateBlock(b, ctx(c)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
    expect((e as ConsensusError).reason).toContain("coinbase.outputs[0]");
  });

  it("53 a coinbase repeating an on-chain one-time key (coinbase secret reused) → BLOCK_ONE_TIME_KEY_DUPLICATE", async () => {
    const c = await new TestChain().init();
    const r = randomScalar();
    await c.apply(await validateBlock(await nextBlock(c, [], { coinbaseSecret: r }), ctx(c)));
    const e = await validateBlock(await nextBlock(c, [], { coinbaseSecret: r }), ctx(c)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
    expect((e as ConsensusError).reason).toContain("already exists on chain");
  });

  it("54 burning a premine output: a tx made with the public genesis tx secret → TX_ONE_TIME_KEY_EXISTS", async () => {
    const c = await new TestChain().init();
    const inp = c.owned[0]!;
    const fee = c.params.minFee;
    // output 0 to alice with the genesis secret has the key of premine output 0 (alice's)
    const tx = buildTx(c, { inputs: [inp], outputs: [{ to: addr(c.alice), amount: inp.amount - fee }], fee, txSecret: genesisTxSecret(c.params.chainId) }).tx;
    expect(tx.outputs[0]!.oneTimeKey).toEqual(c.outputs[0]!.oneTimeKey);
    expect(await codeOf(validateTx(tx, c, c.params))).toBe("TX_ONE_TIME_KEY_EXISTS");
  });

  it("55 fresh one-time keys are accepted, and the rule stores nothing on rejection", async () => {
    const c = await new TestChain().init();
    const v = await validateBlock(await nextBlock(c, [pay(c, 0), pay(c, 1)]), ctx(c));
    await c.apply(v);
    expect(c.height).toBe(1n);
    const before = c.outputs.length;
    const r = randomScalar();
    await c.apply(await validateBlock(await nextBlock(c, [pay(c, 2, r)]), ctx(c)));
    expect(await blockCode(c, await nextBlock(c, [pay(c, 3, r)]))).toBe("TX_ONE_TIME_KEY_EXISTS");
    expect(c.outputs.length).toBe(before + 3); // one coinbase + two outputs of the accepted block
  });
});

describe("block time (strictly after the parent, not too far ahead of the clock)", () => {
  it("56 a block at or before its parent's time → BLOCK_BAD_TIME; parent + 1 ms is valid", async () => {
    const c = await new TestChain().init();
    const t0 = c.tip.timeMs;
    expect(minChildTimeMs(c.tip)).toBe(t0 + 1n);
    expect(await blockCode(c, await nextBlock(c, [], { timeMs: t0 }))).toBe("BLOCK_BAD_TIME");
    expect(await blockCode(c, await nextBlock(c, [], { timeMs: t0 - 1n }))).toBe("BLOCK_BAD_TIME");
    expect(await blockCode(c, await nextBlock(c, [], { timeMs: t0 + 1n }))).toBe("OK");
  });

  it("58 a block more than maxFutureBlockTimeMs ahead of the local clock → BLOCK_FUTURE_TIME (IGNORE)", async () => {
    const c = await new TestChain().init();
    const t = minChildTimeMs(c.tip) + 5_000n;
    const now = t - BigInt(c.params.maxFutureBlockTimeMs) - 1n;
    const e = await validateBlock(await nextBlock(c, [], { timeMs: t }), ctx(c, now)).catch((x: unknown) => x);
    expect((e as ConsensusError).code).toBe("BLOCK_FUTURE_TIME");
    expect((e as ConsensusError).action).toBe("IGNORE");
    expect(await blockCode(c, await nextBlock(c, [], { timeMs: t }), now + 1n)).toBe("OK");
  });

  it("58b property: a child at parent + d is valid iff d ≥ 1 ms", async () => {
    const c = await new TestChain({ blockTimeMs: 3_000 }).init();
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -2n, max: 6_000n }), async (d) => {
        const code = await blockCode(c, await nextBlock(c, [], { timeMs: c.tip.timeMs + d }));
        expect(code).toBe(d >= 1n ? "OK" : "BLOCK_BAD_TIME");
      }),
      { numRuns: 30 },
    );
  });

  it("59 blocks faster than blockTimeMs make the next target harder, so minting faster costs more work", async () => {
    const c = await new TestChain({ blockTimeMs: 1_000 }).init();
    const targets: bigint[] = [targetToBigInt(c.tip.blockTarget)];
    for (let i = 0; i < 4; i++) {
      // the fastest valid miner: 1 ms after its parent each time
      await c.apply(await validateBlock(await nextBlock(c, []), ctx(c)));
      targets.push(targetToBigInt(c.tip.blockTarget));
    }
    // block 1 keeps genesis's target; each later one is 7/8·(1 + 1/7000) of its parent's (Δ = 1 ms)
    expect(targets[1]).toBe(targets[0]);
    for (let i = 2; i < targets.length; i++) expect(targets[i]! < targets[i - 1]!).toBe(true);
    expect(targets[4]! * 2n < targets[0]!).toBe(false); // one step is at most 1/8 harder
  });
});

describe("genesis floors (whitepaper: ring 11, fee 0.001 BAI, maturity 60, stake 10 000 BAI, 1 024 txs/block)", () => {
  const alice = { viewPublic: new TestChain().alice.viewPublic, spendPublic: new TestChain().alice.spendPublic };
  const vkey = ed25519PublicKey(seed(77));
  const mainnet = (p: Partial<ChainParams> = {}, stake = GENESIS_FLOORS.validatorStake): Genesis => ({
    chainName: "baios-mainnet",
    timeMs: 1_767_225_600_000n,
    params: defaultParams(p),
    validators: [{ publicKey: vkey, stake }],
    premine: standardPremine(alice, alice),
  });
  const parse = (g: Genesis): string => {
    try {
      parseGenesis(JSON.stringify(genesisToFile(g)));
      return "OK";
    } catch (e) {
      return `${(e as ConsensusError).code}: ${(e as ConsensusError).reason}`;
    }
  };
  const easy = new Uint8Array(32).fill(0xff);

  it("60 the default (mainnet) parameters meet every floor; maxBlockTxs is 1 024", () => {
    expect(DEFAULT_PARAMS.maxBlockTxs).toBe(1024);
    expect(MAX_BLOCK_TXS).toBe(1024);
    expect(parse(mainnet())).toBe("OK");
  });

  it.each<[string, Partial<ChainParams>, bigint | undefined, RegExp]>([
    ["ring size 1", { minRingSize: 1, maxRingSize: 16 }, undefined, /minRingSize 1 is below the floor 11/],
    ["ring size 10", { minRingSize: 10 }, undefined, /minRingSize 10/],
    ["fee 0", { minFee: 0n }, undefined, /minFee 0 is below the floor 100000/],
    ["coinbase maturity 0", { coinbaseMaturity: 0n }, undefined, /coinbaseMaturity 0 is below the floor 60/],
    ["coinbase maturity 59", { coinbaseMaturity: 59n }, undefined, /coinbaseMaturity 59/],
    ["validator stake 1 unit", {}, 1n, /stake 1 is below the minimum 1000000000000/],
    ["validator stake 9 999.99999999 BAI", {}, GENESIS_FLOORS.validatorStake - 1n, /stake/],
    ["maxBlockTxs 2 000", { maxBlockTxs: 2000 }, undefined, /maxBlockTxs 2000 is above the ceiling 1024/],
    ["block time 1 s", { blockTimeMs: 1000 }, undefined, /blockTimeMs 1000 must be 10000/],
    ["an easier Tx-PoW target", { txPowTarget: easy }, undefined, /txPowTarget/],
    ["an easier block target ceiling", { blockTargetMax: easy, blockTarget: easy }, undefined, /blockTargetMax is easier than the ceiling/],
    ["a block target above its ceiling", { blockTarget: easy }, undefined, /blockTarget is easier than params.blockTargetMax/],
    ["a zero block target", { blockTarget: new Uint8Array(32) }, undefined, /blockTarget must be ≥ 1/],
    ["minStake 1", { minStake: 1n }, undefined, /minStake 1 is below the floor 1000000000000/],
    ["unbondingDelay 100", { unbondingDelay: 100n }, undefined, /unbondingDelay 100 is below the floor 8640/],
    ["epochLength 0", { epochLength: 0n }, undefined, /epochLength must be ≥ 1/],
    ["maxValidators 683", { maxValidators: 683 }, undefined, /maxValidators 683 must be in 1..=682/],
    ["downtime threshold 1001‰", { downtimeThresholdPermille: 1001 }, undefined, /downtimeThresholdPermille 1001/],
  ])("61 non-devnet genesis with %s → GENESIS_INVALID naming it", (_name, p, stake, reason) => {
    const r = parse(mainnet(p, stake));
    expect(r).toMatch(/^GENESIS_INVALID: /);
    expect(r).toMatch(reason);
  });

  const devnet = (p: Partial<ChainParams>, stake: bigint, flag: "chainId" | "flag"): Genesis => {
    const g = mainnet(flag === "chainId" ? { chainId: DEVNET_CHAIN_ID, ...p } : { chainId: 0x7e57, ...p }, stake);
    if (flag === "flag") g.devnet = true;
    return g;
  };

  it.each(["chainId", "flag"] as const)("62 a devnet (by %s) may relax stake, maturity, block time and Tx-PoW target", (how) => {
    expect(parse(devnet({ coinbaseMaturity: 1n, blockTimeMs: 10, txPowTarget: easy, blockTarget: easy, blockTargetMax: easy, minStake: 1n, unbondingDelay: 1n }, 1n, how))).toBe("OK");
    expect(parse(devnet({ minStake: 0n }, 1n, how))).toMatch(/minStake 0 is below the floor 1 atomic units \(devnet\)/);
    expect(parse(devnet({ coinbaseMaturity: 0n }, 1n, how))).toMatch(/coinbaseMaturity 0 is below the floor 1 blocks \(devnet\)/);
    expect(parse(devnet({ blockTimeMs: 9 }, 1n, how))).toMatch(/blockTimeMs 9 is below the floor 10/);
  });

  it.each(["chainId", "flag"] as const)("63 a devnet (by %s) may not relax ring size, fee or maxBlockTxs", (how) => {
    expect(parse(devnet({ minRingSize: 2 }, 1n, how))).toMatch(/GENESIS_INVALID: params.minRingSize 2/);
    expect(parse(devnet({ minFee: 0n }, 1n, how))).toMatch(/GENESIS_INVALID: params.minFee 0/);
    expect(parse(devnet({ maxBlockTxs: 1025 }, 1n, how))).toMatch(/GENESIS_INVALID: params.maxBlockTxs 1025/);
  });

  it("64 the devnet flag round-trips and must be literally true", () => {
    const g = devnet({ txPowTarget: easy }, 1n, "flag");
    const file = genesisToFile(g);
    expect(file.devnet).toBe(true);
    expect(parseGenesis(JSON.stringify(file)).devnet).toBe(true);
    expect(genesisToFile(mainnet())).not.toHaveProperty("devnet");
    expect(parse({ ...mainnet(), devnet: false })).toBe("OK"); // false is not written
    expect(() => parseGenesis({ ...genesisToFile(mainnet()), devnet: "yes" })).toThrow(/devnet: expected true/);
  });
});

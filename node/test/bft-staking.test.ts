/**
 * Issue 8, staking changes the validator set at the epoch boundary on every node (in one process
 * on MemoryP2P: 4 genesis validators and a 5th validator node whose key is not in the genesis
 * set, so it starts as an observer). A real RingCT bond transaction (version 2, public stake field
 * consented by the 5th key) bonds 100 atomic units to the 5th key; after the next epoch boundary
 * (docs/consensus.md §5.1) every node's staking state holds the 5-member set (byte-identical
 * staking records at every height) and the 5th validator's precommits appear in finality
 * certificates. Then the 5th validator's signed unbond request goes through the node's unbond
 * pool (`NodeConsensus.submitUnbond`) into a block, every node queues it identically, and after
 * the unbonding delay it is paid out.
 */
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { ed25519PublicKey, ed25519Sign, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { devnetGenesis, equalBytes, stakingStateHash, toHex, unbondMessage, type Unbond } from "@baios/consensus";
import { fromGenesis } from "../src/genesis.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { bondTx } from "./helpers/bond.ts";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, PREMINE_OUTPUTS, WALLET, testConfig, tmpDir } from "./helpers/fixture.ts";

const until = async (f: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};


describe("BFT: a bond changes the validator set at the epoch boundary on every node; an unbond is queued and paid", () => {
  it("5th validator joins at the boundary and signs certificates; its unbond applies identically everywhere", async () => {
    const seeds = [1, 2, 3, 4, 5].map((i) => new Uint8Array(32).fill(0x60 + i));
    const fifth = seeds[4]!;
    const fifthKey = ed25519PublicKey(fifth);
    const EPOCH = 8n;
    const genesis = await fromGenesis(
      devnetGenesis({
        wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
        validators: seeds.slice(0, 4).map((s) => ({ publicKey: ed25519PublicKey(s), stake: 100n })),
        params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 300, epochLength: EPOCH, unbondingDelay: 3n },
      }),
    );
    const chainId = genesis.params.chainId;
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    const k5 = toHex(fifthKey);
    try {
      for (const [i, s] of seeds.entries()) {
        nodes.push(
          await startNode(testConfig(tmpDir(), { validatorKey: Buffer.from(s).toString("hex"), mineHashRate: 3_000 }), {
            genesis,
            p2p: new MemoryP2P(hub, `v${i}`),
            syncIntervalMs: 1000,
            bftTimeouts: { proposeBaseMs: 1000, prevoteBaseMs: 300, precommitBaseMs: 300 },
          }),
        );
      }
      for (const n of nodes) for (const m of nodes) if (n !== m) await n.net!.p2p.dial(`/memory/${m.net!.p2p.peerId}`).catch(() => undefined);
      await until(() => nodes.every((n) => n.chain.tip.height >= 1), 30_000, "first block");

      // bond 100 to the 5th key (sent to every node so whichever miner wins the height carries it)
      const bond = bondTx(genesis, 0, 100n, fifth);
      for (const n of nodes) await n.submitTx(bond).catch(() => undefined);
      await until(() => nodes.every((n) => n.consensus.executor.stakingState.validators.get(k5)?.bonded === 100n), 30_000, "bond applied everywhere");
      const bondHeight = nodes[0]!.consensus.executor.stakingState.height;
      const boundary = (bondHeight / EPOCH + 1n) * EPOCH - 1n + (bondHeight % EPOCH === EPOCH - 1n ? EPOCH : 0n);
      // before the boundary the 5th key is only a candidate
      expect(nodes[0]!.consensus.executor.stakingState.validators.get(k5)?.status).toBe("candidate");

      await until(() => nodes.every((n) => BigInt(n.chain.tip.height) >= boundary + 3n), 40_000, `blocks past the epoch boundary ${boundary}`);
      for (const n of nodes) {
        const s = await n.chain.store.getStaking(Number(boundary));
        expect(s).toBeDefined();
        const st = n.consensus.executor.stakingState;
        expect(st.validators.get(k5)?.status).toBe("active");
        expect(st.nextValidatorSet.validators.length).toBe(5);
        expect(st.nextValidatorSet.validators.some((v) => equalBytes(v.publicKey, fifthKey))).toBe(true);
      }
      // byte-identical staking records everywhere from the bond to the boundary and beyond
      for (let x = Number(bondHeight) - 1; x <= Number(boundary) + 3; x++) {
        const recs = await Promise.all(nodes.map((n) => n.chain.store.getStaking(x)));
        for (const r of recs) expect(Buffer.from(r!).equals(Buffer.from(recs[0]!))).toBe(true);
      }
      // the header at the boundary announces the new set; the 5th key's precommits are in certificates after it
      const hb = (await nodes[0]!.chain.header(Number(boundary)))!;
      expect(equalBytes(hb.nextValidatorsHash, hb.validatorsHash)).toBe(false);
      await until(
        async () => {
          const top = nodes[0]!.chain.tip.height;
          for (let x = Number(boundary) + 1; x <= top; x++) {
            const cert = await nodes[0]!.chain.certificate(x);
            const body = await nodes[0]!.chain.block(x);
            if (cert?.votes.some((v) => equalBytes(v.validator, fifthKey)) || body?.lastCertificate.votes.some((v) => equalBytes(v.validator, fifthKey))) return true;
          }
          return false;
        },
        20_000,
        "a certificate with the 5th validator's precommit",
      );

      // unbond 40 of the 5th validator's stake, paid to a one-time key of PAYOUT
      const r = randomScalar();
      const out = makeOutput(r, PAYOUT.viewPublic, PAYOUT.spendPublic, 0, 40n);
      const req: Omit<Unbond, "signature"> = { validator: fifthKey, amount: 40n, oneTimeKey: out.oneTimeKey, viewTag: out.viewTag, txPublicKey: scalarMultBase(r) };
      const unbond: Unbond = { ...req, signature: ed25519Sign(fifth, unbondMessage(chainId, req)) };
      // refused: a bad signature, more than bonded
      expect(() => nodes[0]!.consensus.submitUnbond({ ...unbond, signature: new Uint8Array(64) })).toThrow(/BLOCK_UNBOND_INVALID/);
      const tooMuch: Omit<Unbond, "signature"> = { ...req, amount: 101n };
      expect(() => nodes[0]!.consensus.submitUnbond({ ...tooMuch, signature: ed25519Sign(fifth, unbondMessage(chainId, tooMuch)) })).toThrow(/STAKE_UNBOND_EXCEEDS_BONDED/);
      for (const n of nodes) expect(n.consensus.submitUnbond(unbond)).toBe(true);
      await until(() => nodes.every((n) => n.consensus.executor.stakingState.validators.get(k5)?.bonded === 60n), 30_000, "unbond applied everywhere");
      const unbondHeight = nodes[0]!.consensus.executor.stakingState.height;
      for (const n of nodes) {
        const q = n.consensus.executor.stakingState.unbonding;
        expect(q.length).toBe(1);
        expect(q[0]!.matureHeight).toBe(unbondHeight + 3n);
      }
      // paid out after the delay: the queue empties, the payout's one-time key is an output on every node
      await until(() => nodes.every((n) => n.consensus.executor.stakingState.unbonding.length === 0), 30_000, "payout");
      const h = Math.min(...nodes.map((n) => n.chain.tip.height));
      const recs = await Promise.all(nodes.map((n) => n.chain.store.getStaking(h)));
      for (const x of recs) expect(Buffer.from(x!).equals(Buffer.from(recs[0]!))).toBe(true);
      for (const n of nodes) expect(n.consensus.unbonds.size).toBe(0);
      for (const n of nodes) expect(await n.chain.areOneTimeKeysUsed([out.oneTimeKey])).toEqual([true]);
      const hashes = nodes.map((n) => toHex(stakingStateHash(n.consensus.executor.stakingState)));
      console.log(`staking: bond at ${bondHeight}, boundary ${boundary}, unbond at ${unbondHeight}, staking hash ${hashes[0]!.slice(0, 16)}… at ${h}`);
    } finally {
      for (const n of nodes) await n.stop();
    }
  }, 120_000);
});

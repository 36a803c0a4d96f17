/**
 * Issue 8, Byzantine equivocation end to end (in one process on MemoryP2P: three honest
 * validator nodes with the real node stack, and a Byzantine fourth validator that is not a node
 * but a bare p2p peer holding its seed). The Byzantine key signs two different prevotes for the
 * same (height, round) and gossips both on the `vote` topic. Every honest node must turn them into
 * duplicate-vote evidence (engine → evidence pool), a miner must include the evidence in a
 * finalized block, and every honest node must apply the same slash: the offender is `banned`
 * with nothing left bonded, and the staking state hashes (docs/consensus.md §5.5) agree at every
 * height.
 */
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { ed25519PublicKey, ed25519Sign } from "@baios/crypto";
import { devnetGenesis, encodeVoteMessage, equalBytes, stakingStateHash, toHex, voteMessage, type Evidence, type SignedVote } from "@baios/consensus";
import { fromGenesis } from "../src/genesis.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { EASY_TARGET, PREMINE_AMOUNT, PREMINE_OUTPUTS, WALLET, testConfig, tmpDir } from "./helpers/fixture.ts";

const until = async (f: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("BFT: a validator that signs two prevotes at one (height, round) is slashed on every node", () => {
  it("evidence reaches every honest node, a block includes it, every node bans the offender identically", async () => {
    const seeds = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(0x40 + i));
    const byz = seeds[3]!;
    const byzKey = ed25519PublicKey(byz);
    const genesis = await fromGenesis(
      devnetGenesis({
        wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
        validators: seeds.map((s) => ({ publicKey: ed25519PublicKey(s), stake: 100n })),
        params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 300, epochLength: 1_000_000n },
      }),
    );
    const chainId = genesis.params.chainId;
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    const received = new Map<number, Evidence[]>();
    const bad = new MemoryP2P(hub, "byzantine");
    try {
      for (const [i, s] of seeds.slice(0, 3).entries()) {
        const n = await startNode(testConfig(tmpDir(), { validatorKey: Buffer.from(s).toString("hex"), mineHashRate: 3_000 }), {
          genesis,
          p2p: new MemoryP2P(hub, `v${i}`),
          syncIntervalMs: 1000,
          bftTimeouts: { proposeBaseMs: 1000, prevoteBaseMs: 300, precommitBaseMs: 300 },
        });
        // record what reaches each node's evidence pool (from its engine or from gossip)
        const pool = n.consensus.evidence;
        const add = pool.add.bind(pool);
        received.set(i, []);
        pool.add = (e) => {
          received.get(i)!.push(e);
          return add(e);
        };
        nodes.push(n);
      }
      for (const name of ["vote", "proposal", "candidate", "evidence"]) bad.registerTopic({ name, maxBytes: 1 << 22, validate: async () => "IGNORE" });
      await bad.start();
      const peers = [...nodes.map((n) => n.net!.p2p), bad];
      for (const a of peers) for (const b of peers) if (a !== b) await a.dial(`/memory/${b.peerId}`).catch(() => undefined);
      await until(() => nodes.every((n) => n.chain.tip.height >= 2), 40_000, "first blocks (3 of 4 validators)");

      // the Byzantine validator: two prevotes for one (height, round), different block hashes
      const vote = (height: bigint, round: number, hash: Uint8Array): Uint8Array => {
        const v: SignedVote = { kind: "prevote", height, round, blockHash: hash, validator: byzKey, signature: ed25519Sign(byz, voteMessage("prevote", chainId, height, round, hash)) };
        const out = new Uint8Array(149);
        out.set(encodeVoteMessage({ ...v, chainId }));
        return out;
      };
      let relay = 0;
      const equivocate = async (): Promise<void> => {
        const h = BigInt(nodes[0]!.chain.tip.height) + 1n;
        for (const x of [vote(h, 0, new Uint8Array(32).fill(0xaa)), vote(h, 0, new Uint8Array(32))]) {
          new DataView(x.buffer).setUint32(145, relay++, true);
          await bad.publish("vote", x);
        }
      };
      const banned = (n: NodeHandle): boolean => n.consensus.executor.stakingState.validators.get(toHex(byzKey))?.status === "banned";
      await equivocate();
      await until(
        async () => {
          if (nodes.every(banned)) return true;
          if (nodes.some((n, i) => received.get(i)!.length === 0)) await equivocate(); // the height moved on before the votes arrived
          return false;
        },
        30_000,
        "offender banned on every node",
      );

      // every honest node got duplicate-vote evidence naming the offender, canonical and verifiable
      for (const [, evs] of received) {
        const dv = evs.filter((e) => e.kind === "duplicate-vote");
        expect(dv.length).toBeGreaterThan(0);
        for (const e of dv) if (e.kind === "duplicate-vote") expect(equalBytes(e.voteA.validator, byzKey)).toBe(true);
      }
      // exactly one finalized block carries it, the same on every node
      const tip = Math.min(...nodes.map((n) => n.chain.tip.height));
      await until(() => nodes.every((n) => n.chain.tip.height >= tip + 1), 20_000, "one more block after the slash");
      const h = tip + 1;
      const withEvidence: number[] = [];
      for (let x = 1; x <= h; x++) if ((await nodes[0]!.chain.block(x))!.evidence.length > 0) withEvidence.push(x);
      expect(withEvidence.length).toBe(1);
      const slashHeight = withEvidence[0]!;
      // the same staking state (byte-identical records) at every height on every node
      for (let x = slashHeight - 1; x <= h; x++) {
        const recs = await Promise.all(nodes.map((n) => n.chain.store.getStaking(x)));
        for (const r of recs) expect(Buffer.from(r!).equals(Buffer.from(recs[0]!))).toBe(true);
      }
      const states = nodes.map((n) => n.consensus.executor.stakingState);
      const hashes = states.map((s) => toHex(stakingStateHash(s)));
      if (states.every((s) => s.height === states[0]!.height)) for (const x of hashes) expect(x).toBe(hashes[0]);
      for (const s of states) {
        const rec = s.validators.get(toHex(byzKey))!;
        expect(rec.status).toBe("banned");
        expect(rec.bonded).toBe(0n);
        expect(s.burnedTotal).toBe(100n);
        expect(s.nextValidatorSet.validators.some((v) => equalBytes(v.publicKey, byzKey))).toBe(false);
        expect(s.nextValidatorSet.validators.length).toBe(3);
      }
      // the chain keeps finalizing with the 3 honest validators
      await until(() => nodes.every((n) => n.chain.tip.height >= h + 2), 20_000, "finality after the slash");
      console.log(`equivocation: evidence in block ${slashHeight}, agreed staking state up to ${h}`);
    } finally {
      await bad.stop().catch(() => undefined);
      for (const n of nodes) await n.stop();
    }
  }, 90_000);
});

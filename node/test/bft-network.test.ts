import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis, equalBytes, verifyFinalityCertificate, blockHash } from "@baios/consensus";
import { fromGenesis } from "../src/genesis.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { EASY_TARGET, PREMINE_AMOUNT, PREMINE_OUTPUTS, WALLET, testConfig, tmpDir } from "./helpers/fixture.ts";

const PREMINE_WALLETS = Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT }));

const until = async (f: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("BFT finality with 4 validators (MemoryP2P, one process)", () => {
  it("candidates are mined, proposed, voted and finalized by > 2/3 of stake; every node holds the same chain; a full node follows", async () => {
    const seeds = [1, 2, 3, 4].map((i) => new Uint8Array(32).fill(i));
    const genesis = await fromGenesis(
      devnetGenesis({
        wallets: PREMINE_WALLETS,
        validators: seeds.map((s) => ({ publicKey: ed25519PublicKey(s), stake: 100n })),
        params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 500 },
      }),
    );
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    try {
      for (const [i, s] of seeds.entries()) {
        nodes.push(await startNode(testConfig(tmpDir(), { validatorKey: Buffer.from(s).toString("hex"), mineHashRate: 5_000 }), { genesis, p2p: new MemoryP2P(hub, `v${i}`), syncIntervalMs: 1000, bftTimeouts: { proposeBaseMs: 1500, prevoteBaseMs: 300, precommitBaseMs: 300 } }));
      }
      const full = await startNode(testConfig(tmpDir(), { validator: false, payout: undefined }), { genesis, p2p: new MemoryP2P(hub, "full"), syncIntervalMs: 1000 });
      nodes.push(full);
      for (const n of nodes) for (const m of nodes) if (n !== m) await n.net!.p2p.dial(`/memory/${m.net!.p2p.peerId}`).catch(() => undefined);
      await until(() => nodes.every((n) => n.chain.tip.height >= 4), 60_000);
      const h = Math.min(...nodes.map((n) => n.chain.tip.height));
      const hashes = await Promise.all(nodes.map(async (n) => blockHash((await n.chain.header(h))!)));
      for (const x of hashes) expect(equalBytes(x, hashes[0]!)).toBe(true);
      const cert = (await nodes[0]!.chain.certificate(h))!;
      const set = nodes[0]!.consensus.executor.stakingState.validatorSet;
      expect(() => verifyFinalityCertificate(cert, { chainId: genesis.params.chainId, height: BigInt(h), blockHash: hashes[0]!, validatorSet: set })).not.toThrow();
      expect(cert.votes.length).toBeGreaterThanOrEqual(3);
    } finally {
      for (const n of nodes) await n.stop();
    }
  }, 120_000);
});

/**
 * Scanning against a pruned node (issue 9, docs/pruning.md): a wallet that must scan from genesis
 * gets "this node has pruned blocks below T; scan against an archive node" (the node's PRUNED
 * error, `data.tail`), not a bare NOT_FOUND; against an archive node of the same chain it finds
 * its premine outputs. Real nodes, real HTTP; D = unbondingDelay 1 + epochLength 1 = 2 blocks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, NodeRpcClient, RPC_ERRORS, RpcError, defaultConfig, fromGenesis, startNode, type NodeHandle } from "@baios/node";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { bytesToHex } from "../src/hex.ts";

describe("scanning against a pruned node", () => {
  it("says the node has pruned blocks below its tail and to scan against an archive node; the archive node serves the scan", async () => {
    const a = Wallet.restore(devnetMnemonic(0), "devnet").state;
    const payout = Wallet.restore(devnetMnemonic(9), "devnet").state;
    const genesis = await fromGenesis(
      devnetGenesis({
        wallets: Array.from({ length: 4 }, () => ({ address: { viewPublic: a.viewPublic, spendPublic: a.spendPublic }, amount: 10n ** 9n })),
        validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: 1n }],
        params: { txPowTarget: new Uint8Array(32).fill(0xff), coinbaseMaturity: 2n, unbondingDelay: 1n, epochLength: 1n },
      }),
    );
    const dirs = [mkdtempSync(join(tmpdir(), "baios-scan-pruned-")), mkdtempSync(join(tmpdir(), "baios-scan-archive-"))];
    const base = { ...defaultConfig(), rpcPort: 0, logLevel: "silent" as const, workers: 0, syncWrites: false };
    const validator = { validator: true, validatorKey: bytesToHex(DEVNET_VALIDATOR_SEED), payout: { viewPublic: bytesToHex(payout.viewPublic), spendPublic: bytesToHex(payout.spendPublic) } };
    const nodes: NodeHandle[] = [];
    try {
      const pruned = await startNode({ ...base, ...validator, dataDir: dirs[0]!, mode: "pruned" }, { genesis, manualBlocks: true });
      nodes.push(pruned);
      const archive = await startNode({ ...base, dataDir: dirs[1]!, mode: "archive" }, { genesis, manualBlocks: true });
      nodes.push(archive);
      for (let i = 0; i < 6; i++) {
        await pruned.produceBlock();
        const h = pruned.chain.tip.height;
        await archive.importBlock((await pruned.chain.store.getBlock(h))!, (await pruned.chain.store.getCertificate(h))!);
      }
      await pruned.pruner!.settled();
      const tail = pruned.chain.store.tail;
      expect(tail).toBe(4);

      const w = Wallet.restore(devnetMnemonic(0), "devnet");
      const e = await w.refresh(new NodeRpcClient(pruned.rpcUrl, { token: pruned.rpcToken })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RpcError);
      expect((e as RpcError).code).toBe(RPC_ERRORS.PRUNED);
      expect((e as RpcError).message).toContain(`this node has pruned blocks below ${tail}; scan against an archive node`);
      expect(w.state.scannedHeight).toBe(-1);

      const fresh = Wallet.restore(devnetMnemonic(0), "devnet");
      const stats = await fresh.refresh(new NodeRpcClient(archive.rpcUrl, { token: archive.rpcToken }));
      expect(stats.found).toBe(4);
      expect(fresh.state.scannedHeight).toBe(6);
    } finally {
      for (const n of nodes.reverse()) await n.stop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);
});

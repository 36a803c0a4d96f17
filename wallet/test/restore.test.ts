/**
 * Against a real node (in-process, real HTTP JSON-RPC, manual block production): transfers,
 * balances, history, and "restore from seed + rescan gives the same balance and history".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeRpcClient, type NodeHandle } from "@baios/node";
import { startWalletTestNode } from "./helpers/devnode.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { checkTxKey } from "../src/txkey.ts";
import { startWalletRpc } from "../src/rpc.ts";
import { bytesToHex } from "../src/hex.ts";

const BAI = 100_000_000n;
let node: NodeHandle;
let client: NodeRpcClient;
let dir: string;
const alice = () => Wallet.restore(devnetMnemonic(0), "devnet");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "baios-wallet-test-"));
  node = await startWalletTestNode({ dataDir: dir, premineOutputs: 12, premineAmount: 1000n * BAI });
  client = new NodeRpcClient(node.rpcUrl, { token: node.rpcToken });
  for (let i = 0; i < 3; i++) await node.produceBlock();
});

afterAll(async () => {
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("wallet against a real node", () => {
  it("transfers, sees balances, proves payment, and a restored wallet rescans to the same state", async () => {
    const a = alice();
    const { wallet: carol, mnemonic: carolWords } = Wallet.create("devnet");
    await a.refresh(client);
    expect((await a.balance(client)).spendable).toBe(12_000n * BAI);

    const r1 = await a.transfer(client, { destinations: [{ address: carol.address, amount: 250n * BAI }] });
    // while in the mempool: carol sees it pending, alice's inputs are reserved
    await carol.refresh(client);
    expect(await carol.balance(client)).toMatchObject({ spendable: 0n, pending: 250n * BAI });
    await node.produceBlock();
    await carol.refresh(client);
    expect(await carol.balance(client)).toMatchObject({ spendable: 250n * BAI, pending: 0n });

    // carol spends part of what she received back to alice (2 destinations incl. herself)
    const r2 = await carol.transfer(client, { destinations: [{ address: a.address, amount: 100n * BAI }] });
    await node.produceBlock();
    await a.refresh(client);
    await carol.refresh(client);
    const carolBal = await carol.balance(client);
    expect(carolBal.spendable + carolBal.pending).toBe(150n * BAI - r2.fee);
    const aBal = await a.balance(client);
    expect(aBal.spendable + aBal.pending).toBe(12_000n * BAI - 250n * BAI - r1.fee + 100n * BAI);

    // history
    const h = carol.history();
    expect(h.map((e) => [e.direction, e.amount])).toEqual([
      ["in", 250n * BAI],
      ["out", 100n * BAI],
    ]);

    // payment proof
    const proof = await checkTxKey(client, r1.txid, a.txKey(r1.txid), carol.address, "devnet");
    expect(proof.received).toBe(250n * BAI);
    expect(proof.status).toBe("confirmed");

    // restore from seed + rescan: same balance and history
    for (const [orig, words] of [
      [carol, carolWords],
      [a, devnetMnemonic(0)],
    ] as const) {
      const restored = Wallet.restore(words, "devnet");
      await restored.refresh(client);
      expect(await restored.balance(client)).toEqual(await orig.balance(client));
      const strip = (w: Wallet) => w.history().map(({ destinations: _d, ...rest }) => rest);
      expect(strip(restored)).toEqual(strip(orig));
      await restored.rescan(client);
      expect(strip(restored)).toEqual(strip(orig));
      // the same restore with the per-output work on 2 worker threads finds exactly the same
      const onWorkers = Wallet.restore(words, "devnet");
      await onWorkers.refresh(client, undefined, { scanWorkers: 2 });
      expect(await onWorkers.balance(client)).toEqual(await orig.balance(client));
      expect(strip(onWorkers)).toEqual(strip(orig));
      expect(onWorkers.state.outputs).toEqual(restored.state.outputs);
    }

    // a view-only wallet sees carol's incoming funds but not her spend
    const vo = Wallet.fromViewKey(carol.viewKey());
    await vo.refresh(client);
    expect((await vo.balance(client)).spendable).toBeGreaterThanOrEqual(250n * BAI);
    await expect(vo.transfer(client, { destinations: [{ address: a.address, amount: 1n }] })).rejects.toThrow(/view-only/);
  });

  it("serves the wallet JSON-RPC", async () => {
    const a = alice();
    const srv = await startWalletRpc(a, client);
    try {
      const call = async (method: string, params: unknown = {}) => {
        const res = await fetch(srv.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${srv.token}` }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
        return ((await res.json()) as { result: Record<string, unknown> }).result;
      };
      expect((await call("get_address")).address).toBe(a.address);
      const b = await call("get_balance");
      expect(BigInt(b["spendable"] as string)).toBeGreaterThan(0n);
      const t = await call("get_transfers");
      expect((t["transfers"] as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await srv.close();
    }
  });
});

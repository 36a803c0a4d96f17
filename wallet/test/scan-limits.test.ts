/**
 * A node whose response budget (docs/node.md §Limits) is smaller than the wallet's default scan
 * span: the scanner halves its `get_blocks_range` span on LIMIT_EXCEEDED instead of failing, and
 * still finds every output. Real node, real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeRpcClient, RPC_ERRORS, RpcError, type NodeHandle } from "@baios/node";
import { BAI, startWalletTestNode } from "./helpers/devnode.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";

const MAX_RESPONSE = 9_000; // genesis (12 outputs) fits alone; 10 blocks do not
let node: NodeHandle;
let client: NodeRpcClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "baios-scan-limits-"));
  node = await startWalletTestNode({ dataDir: dir, premineOutputs: 12, premineAmount: 10n * BAI, rpcLimits: { maxResponseBytes: MAX_RESPONSE } });
  client = new NodeRpcClient(node.rpcUrl, { token: node.rpcToken });
  for (let i = 0; i < 12; i++) await node.produceBlock();
});

afterAll(async () => {
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("scanning under the node's response budget", () => {
  it("the full default span is refused by this node", async () => {
    const e = await client.getBlocksRange(0, 12).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe(RPC_ERRORS.LIMIT_EXCEEDED);
  });

  it("the wallet shrinks its span and finds all 12 genesis outputs", async () => {
    const w = Wallet.restore(devnetMnemonic(0), "devnet");
    await w.refresh(client);
    expect(w.state.scannedHeight).toBe(node.chain.tip.height);
    expect((await w.balance(client)).spendable).toBe(120n * BAI);
  });
});

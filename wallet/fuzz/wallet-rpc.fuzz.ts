/**
 * Fuzz target: the wallet's JSON-RPC server (`baios wallet rpc`, docs/wallet.md §8,
 * docs/fuzzing.md) over real HTTP on 127.0.0.1, in front of a funded devnet wallet whose file is
 * on disk and a real node. Requests as for the node target (node/fuzz/http.ts): single calls and
 * batches of every wallet method with plausible and hostile params (real addresses, amounts,
 * fees, txids, destinations lists; random JSON; prototype keys), JSON edits, nulls (`null`,
 * `[null]`), deep nesting, non-JSON, huge bodies; valid token, Host and Content-Type in most cases
 * and one of them wrong or odd in the rest; other HTTP methods and paths now and then. Some cases
 * are real transfers.
 * Oracle: every request gets a complete, well-formed HTTP answer (no reset, no 5xx but 503, JSON
 * that parses, JSON-RPC 2.0 shape on 200), never -32603 (INTERNAL_ERROR is a bug by docs/wallet.md
 * §8); no crash, hang or unhandled rejection in the process;
 * after the run `get_address` still answers and the wallet file still opens.
 * Run: `node wallet/fuzz/wallet-rpc.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED, defaultConfig, fromGenesis, startNode, type NodeHandle } from "@baios/node";
import { bump, runFuzzTarget } from "../../consensus/fuzz/harness.ts";
import { ClientRefused, checkAnswer, closeAgent, errorCodes, httpCaseArb, okMethods, send, type HttpCase, type RpcVocabulary, type Target } from "../../node/fuzz/http.ts";
import { bytesToHex } from "../src/hex.ts";
import { devnetMnemonic } from "../src/keys.ts";
import { startWalletRpc, walletRpcMethods, type WalletRpcHandle } from "../src/rpc.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT } from "../src/walletfile.ts";

const BAI = 100_000_000n;
const PASSWORD = "fuzz";
const INTERNAL_ERROR = -32603;

interface Ctx {
  node: NodeHandle;
  wallet: Wallet;
  srv: WalletRpcHandle;
  dir: string;
  walletPath: string;
  target: Target;
  vocab: RpcVocabulary;
}

await runFuzzTarget<{ cases: HttpCase[] }, Ctx>({
  name: "wallet-rpc",
  setup: async () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-fuzz-wallet-rpc-"));
    const alice = Wallet.restore(devnetMnemonic(0), "devnet");
    const bob = Wallet.restore(devnetMnemonic(1), "devnet");
    const payout = Wallet.restore(devnetMnemonic(9), "devnet").state;
    const a = alice.state;
    const genesis = devnetGenesis({
      wallets: Array.from({ length: 30 }, () => ({ address: { viewPublic: a.viewPublic, spendPublic: a.spendPublic }, amount: 1000n * BAI })),
      validators: [{ publicKey: ed25519PublicKey(DEVNET_VALIDATOR_SEED), stake: 10_000n * BAI }],
      params: { txPowTarget: new Uint8Array(32).fill(0xff), coinbaseMaturity: 2n },
    });
    const node = await startNode(
      {
        ...defaultConfig(),
        dataDir: join(dir, "node"),
        rpcPort: 0,
        logLevel: "silent",
        workers: 0,
        syncWrites: false,
        validator: true,
        validatorKey: bytesToHex(DEVNET_VALIDATOR_SEED),
        payout: { viewPublic: bytesToHex(payout.viewPublic), spendPublic: bytesToHex(payout.spendPublic) },
      },
      { genesis: await fromGenesis(genesis) },
    );
    const walletPath = join(dir, "alice.json");
    alice.saveAs(walletPath, PASSWORD, TEST_SCRYPT);
    await alice.refresh(node.client);
    const tokenFile = join(dir, "alice.json.rpc-token");
    const srv = await startWalletRpc(alice, node.client, { host: "127.0.0.1", port: 0, tokenFile } as Parameters<typeof startWalletRpc>[2]);
    const file = (srv as { tokenFile?: string }).tokenFile ?? tokenFile;
    const token = (srv as { token?: string }).token ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : undefined);
    const url = new URL(srv.url);
    const target: Target = { host: url.hostname, port: Number(url.port), token };
    const methods = Object.keys(walletRpcMethods(alice, node.client));
    const dest = (address: string, amount: string): unknown => ({ address, amount });
    const goodValues: unknown[] = [
      bob.address, alice.address, "1", "0", "-1", "100000000", "1000", "99999999999999999999", "1e9", "0x10", 1, 0, -1, null, "", "bai1xyz",
      [dest(bob.address, "100000000")], [dest(bob.address, "1")], [dest(alice.address, "250000000"), dest(bob.address, "1000")],
      [dest("not-an-address", "1")], [dest(bob.address, "0")], [dest(bob.address, "-5")], Array.from({ length: 40 }, () => dest(bob.address, "1")), [null], [{}],
      "00".repeat(32), "zz", "100000", "1000000000000",
    ];
    const paramKeys = ["destinations", "address", "amount", "fee", "txid", "priority", "ringSize"];
    const call = (method: string, params?: unknown): unknown => ({ jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) });
    const validRequests = [
      call("transfer", { destinations: [dest(bob.address, "100000000")] }),
      call("transfer", { destinations: [dest(bob.address, "1000"), dest(alice.address, "5000")], fee: "200000" }),
      call("get_balance"),
      call("get_transfers"),
      call("get_tx_key", { txid: "00".repeat(32) }),
      call("refresh"),
    ];
    return { node, wallet: alice, srv, dir, walletPath, target, vocab: { methods, paramKeys, goodValues, validRequests } };
  },
  arbitrary: (c) => fc.record({ cases: fc.array(httpCaseArb(c.target, c.vocab), { minLength: 1, maxLength: 3 }) }),
  check: async ({ cases }, c, stats) => {
    await Promise.all(
      cases.map(async (hc) => {
        let answer;
        try {
          answer = await send(c.target, hc, 60_000);
        } catch (e) {
          if (e instanceof ClientRefused) {
            stats.skipped++;
            return;
          }
          throw new Error(`${hc.label}: no well-formed HTTP answer: ${(e as Error).message}`);
        }
        let parsed: unknown;
        try {
          parsed = checkAnswer(answer, hc, ["/", "/rpc", "/json_rpc"]);
        } catch (e) {
          throw new Error(`${hc.label}: ${(e as Error).message}`);
        }
        const codes = errorCodes(parsed);
        if (codes.includes(INTERNAL_ERROR)) throw new Error(`${hc.label}: -32603 internal error (a bug, docs/wallet.md §8): ${answer.body.toString("utf8").slice(0, 300)}`);
        bump(stats, `http_${answer.status}`);
        for (const code of codes) bump(stats, `rpc_${code}`);
        for (const m of okMethods(hc, parsed)) bump(stats, `ok_${m}`);
      }),
    );
  },
  after: async (c) => {
    const hc: HttpCase = {
      method: "POST",
      path: "/",
      headers: { host: `127.0.0.1:${c.target.port}`, "content-type": "application/json", ...(c.target.token === undefined ? {} : { authorization: `Bearer ${c.target.token}` }) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "get_address" }),
      label: "after",
    };
    const a = await send(c.target, hc, 10_000);
    const r = checkAnswer(a, hc) as { result?: { address?: string } };
    if (r?.result?.address !== c.wallet.address) throw new Error(`get_address did not answer after the run: ${a.status} ${a.body.toString("utf8").slice(0, 200)}`);
    if (typeof (await c.node.client.status()).height !== "number") throw new Error("node status did not answer");
  },
  teardown: async (c) => {
    closeAgent();
    await c.srv.close();
    (c.wallet as { close?: () => void }).close?.();
    // the file written by the RPC's saves still opens
    Wallet.open(c.walletPath, PASSWORD, TEST_SCRYPT);
    await c.node.stop();
    rmSync(c.dir, { recursive: true, force: true });
  },
  caseTimeoutMs: 120_000,
});

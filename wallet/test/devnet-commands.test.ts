/**
 * Issue 12, "the devnet prints exactly the command lines that work against it": `baios devnet
 * --keep` (1 node) is run as a subprocess; its printed export line and every non-interactive
 * printed command (balance, history) are then run as printed by bash, and must succeed; the
 * mnemonics it prints restore the same addresses.
 *
 * Issue 10, "the web page verifies a real proof from a devnet node in Chromium": against the same
 * kept devnet node, `baios light` (a real process) serves the light-client page; headless Chromium
 * opens it, the page verifies the head from the devnet genesis and the MMR proof of the newest
 * output in the browser.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "@baios/crypto/testing/browser";
import { NodeRpcClient } from "@baios/api/node";
import { Wallet } from "../src/wallet.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const pids: number[] = [];
afterAll(() => {
  for (const p of pids) {
    try {
      process.kill(p, "SIGTERM");
    } catch {
      // already gone
    }
  }
});

/** The kept devnet of the first test: its data dir and stdout (the light page test reuses the node). */
let kept: { dir: string; stdout: string } | undefined;

describe("baios devnet --keep prints working command lines", () => {
  it("each printed balance/history line runs as printed; the printed mnemonics are the wallets'", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-devnet-lines-"));
    const r = spawnSync(process.execPath, [BIN, "devnet", "--keep", "--nodes", "1", "-q", "--data-dir", dir], { encoding: "utf8", env: { ...process.env, BAIOS_CONFIG: "" }, timeout: 300_000 });
    for (const m of r.stdout.matchAll(/\(stop: kill (\d+)\)/g)) pids.push(Number(m[1]));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    kept = { dir, stdout: r.stdout };
    const block = r.stdout.split("try (copy line by line")[1]!.split("\n").slice(1).map((l) => l.trim()).filter((l) => l !== "");
    const exportLine = block[0]!;
    expect(exportLine).toMatch(/^export BAIOS_NETWORK=devnet BAIOS_RPC_URL=http:\/\/127\.0\.0\.1:\d+ BAIOS_RPC_TOKEN_FILE=\S+ BAIOS_WALLET_PASSWORD=devnet$/);
    const runnable = block.slice(1).filter((l) => / wallet (balance|history) /.test(l));
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    for (const line of runnable) {
      // a shell that names another network still runs the lines against the devnet (the export sets it)
      const x = spawnSync("bash", ["-c", `${exportLine}; ${line}`], { encoding: "utf8", timeout: 60_000, env: { ...process.env, BAIOS_NETWORK: "mainnet" } });
      expect(x.status, `${line}\n${x.stderr}`).toBe(0);
      expect(x.stdout).toMatch(/spendable|date \(UTC\)/);
    }
    // the printed mnemonics restore the printed wallets
    const mn = [...r.stdout.matchAll(/^ {2}(alice|bob|carol) +((?:[a-z]+ ){23}[a-z]+)$/gm)];
    expect(mn).toHaveLength(3);
    for (const [, name, words] of mn) {
      const w = Wallet.open(join(dir, "wallets", `${name}.json`), "devnet");
      expect(Wallet.restore(words!, "devnet").address).toBe(w.address);
      w.close();
    }
  }, 320_000);

  it("baios light serves the page; Chromium verifies the devnet node's head and a real output's MMR proof in the page", async () => {
    expect(kept, "the devnet of the first test is running").toBeDefined();
    const { dir, stdout } = kept!;
    const rpc = /JSON-RPC +(http:\/\/127\.0\.0\.1:\d+) +\(node0/.exec(stdout)?.[1];
    const cookie = /rpc cookie +(\S+)/.exec(stdout)?.[1];
    expect(rpc, stdout).toBeDefined();
    expect(cookie, stdout).toBeDefined();
    const status = await new NodeRpcClient(rpc!, { tokenFile: cookie! }).status();
    expect(status.outputCount).toBeGreaterThan(1);
    const light = spawn(process.execPath, [BIN, "light", "--genesis", join(dir, "genesis.json"), "--rpc", rpc!, "--rpc-token-file", cookie!, "--port", "0"], { env: { ...process.env, BAIOS_CONFIG: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    light.stdout.on("data", (b: Buffer) => (text += b.toString()));
    light.stderr.on("data", (b: Buffer) => (text += b.toString()));
    const browser = await launchChromium();
    try {
      const url = await new Promise<string>((ok, fail) => {
        const t = setInterval(() => {
          const m = /light client page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
          if (m) ok(m[1]!);
          else if (light.exitCode !== null) fail(new Error(`baios light exited ${light.exitCode}: ${text}`));
        }, 100);
        t.unref();
        setTimeout(() => fail(new Error(`baios light printed no URL in 120 s: ${text}`)), 120_000).unref();
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
      await page.goto(url);
      await page.waitForSelector("body[data-state=verified]", { timeout: 60_000 });
      expect(Number(await page.getAttribute("body", "data-height"))).toBeGreaterThanOrEqual(1);
      // the newest output of the devnet's chain (a transfer's or a coinbase's), proven in the browser
      const index = status.outputCount - 1;
      await page.fill("#output-ref", String(index));
      await page.click("#prove");
      await page.waitForSelector("#proof-result[data-state=ok], #proof-result[data-state=rejected], #proof-result[data-state=error]", { timeout: 30_000 });
      const result = await page.textContent("#proof-result");
      expect(await page.getAttribute("#proof-result", "data-state"), result ?? "").toBe("ok");
      expect(result).toContain(`output ${index}`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      light.kill("SIGTERM");
    }
  }, 200_000);
});

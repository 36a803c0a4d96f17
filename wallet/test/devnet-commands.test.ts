/**
 * Issue 12, "the devnet prints exactly the command lines that work against it": `baios devnet
 * --keep` (1 node) is run as a subprocess; its printed export line and every non-interactive
 * printed command (balance, history) are then run as printed by bash, and must succeed; the
 * mnemonics it prints restore the same addresses.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

describe("baios devnet --keep prints working command lines", () => {
  it("each printed balance/history line runs as printed; the printed mnemonics are the wallets'", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-devnet-lines-"));
    const r = spawnSync(process.execPath, [BIN, "devnet", "--keep", "--nodes", "1", "-q", "--data-dir", dir], { encoding: "utf8", env: { ...process.env, BAIOS_CONFIG: "" }, timeout: 300_000 });
    for (const m of r.stdout.matchAll(/\(stop: kill (\d+)\)/g)) pids.push(Number(m[1]));
    expect(r.status, r.stdout + r.stderr).toBe(0);
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
});

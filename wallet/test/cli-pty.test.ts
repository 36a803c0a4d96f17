/**
 * Issue 12, the interactive parts in a real pseudo-terminal (tmux): the hidden password prompt
 * (@inquirer/password) ends cleanly on Ctrl-C and Ctrl-D (`cancelled`, status 130, no stack
 * trace); the mnemonic prompt shows the words and names a wrong one; `baios wallet open` keeps
 * the wallet unlocked, answers balance/address/history, and Ctrl-D saves and releases the lock.
 * Skipped only when tmux is not installed (the reason is printed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pWaitFor from "p-wait-for";
import { devnetMnemonic } from "../src/keys.ts";
import { Wallet } from "../src/wallet.ts";
import { TEST_SCRYPT } from "../src/walletfile.ts";
import { startHostileNode, type HostileNode } from "./helpers/hostile-node.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;
if (!HAVE_TMUX) console.warn("cli-pty.test.ts skipped: tmux is not installed (apt-get install tmux)");
const SESSION = `baios-pty-${process.pid}`;
let hn: HostileNode;
let dir: string;

const tmux = (...args: string[]): string => execFileSync("tmux", args, { encoding: "utf8" });
const screen = (): string => tmux("capture-pane", "-t", SESSION, "-p", "-S", "-200");
const keys = (...k: string[]): void => void tmux("send-keys", "-t", SESSION, ...k);
const waitFor = (re: RegExp, ms = 30_000): Promise<void> =>
  pWaitFor(() => re.test(screen()), { interval: 100, timeout: { milliseconds: ms, message: new Error(`timed out waiting for ${re}; screen:\n${screen()}`) } });
/** Runs `command` in the pane (a shell), after clearing it. */
const run = (command: string): void => {
  keys("clear", "Enter");
  keys(command, "Enter");
};

beforeAll(async () => {
  if (!HAVE_TMUX) return;
  hn = await startHostileNode();
  dir = mkdtempSync(join(tmpdir(), "baios-pty-"));
  tmux("new-session", "-d", "-s", SESSION, "-x", "220", "-y", "50", "bash --norc --noprofile");
  keys(`export PS1='$ ' BAIOS_CONFIG= BAIOS_RPC_URL=${hn.proxyUrl}; unset BAIOS_WALLET_PASSWORD`, "Enter");
}, 120_000);
afterAll(async () => {
  if (!HAVE_TMUX) return;
  spawnSync("tmux", ["kill-session", "-t", SESSION]);
  await hn?.stop();
});

describe.skipIf(!HAVE_TMUX)("interactive prompts in a pseudo-terminal", () => {
  it("Ctrl-C and Ctrl-D at the password prompt end cleanly (cancelled, status 130)", async () => {
    const path = join(dir, "prompt.json");
    const w = Wallet.restore(devnetMnemonic(0), "devnet");
    w.saveAs(path, "s3cret-Word", TEST_SCRYPT);
    w.close();
    for (const key of ["C-c", "C-d"]) {
      run(`${process.execPath} ${BIN} wallet address --wallet ${path}; echo "status=$?"`);
      await waitFor(/wallet password/);
      keys(key);
      await waitFor(/status=\d+/);
      const s = screen();
      expect(s).toMatch(/cancelled\s+status=130/);
      expect(s).not.toMatch(/at .*\.(ts|js):\d+|Warning|Error/);
    }
    // and the right password answers
    run(`${process.execPath} ${BIN} wallet address --wallet ${path}; echo "status=$?"`);
    await waitFor(/wallet password/);
    keys("s3cret-Word", "Enter");
    await waitFor(/status=\d+/);
    expect(screen()).toContain(Wallet.restore(devnetMnemonic(0), "devnet").address);
    expect(screen()).not.toContain("s3cret"); // not echoed
  }, 60_000);

  it("the mnemonic is shown as typed and a wrong word is named", async () => {
    const words = devnetMnemonic(4).split(" ");
    const wrong = [...words];
    wrong[6] = "notaword";
    run(`${process.execPath} ${BIN} wallet restore --wallet ${join(dir, "m.json")}; echo "status=$?"`);
    await waitFor(/24 words/);
    keys(wrong.join(" "), "Enter");
    await waitFor(/word 7 "notaword"/);
    expect(screen()).toContain(wrong.slice(0, 8).join(" ")); // visible
    keys(words.join(" "), "Enter");
    await waitFor(/wallet password/);
    keys("pw", "Enter");
    await waitFor(/repeat password/);
    keys("pw", "Enter");
    await waitFor(/status=0/);
    expect(screen()).toContain(Wallet.restore(devnetMnemonic(4), "devnet").address);
  }, 60_000);

  it("`baios wallet open`: a shell on an unlocked wallet; Ctrl-D saves and releases the lock", async () => {
    const path = join(dir, "shell.json");
    const w = Wallet.restore(devnetMnemonic(0), "devnet");
    w.saveAs(path, "pw", TEST_SCRYPT);
    w.close();
    writeFileSync(join(dir, "shell.pw"), "pw\n");
    run(`${process.execPath} ${BIN} wallet open --wallet ${path} --password-file ${join(dir, "shell.pw")} -q --refresh-ms 1000; echo "status=$?"`);
    await waitFor(/^baios>/m);
    expect(existsSync(`${path}.lock`)).toBe(true);
    keys("balance", "Enter");
    await waitFor(/spendable \S+ BAI/);
    keys("address", "Enter");
    await waitFor(new RegExp(w.address));
    keys("transfer nope 1", "Enter");
    await waitFor(/error: bad address nope/);
    keys("history", "Enter");
    await waitFor(/date \(UTC\)/);
    await sleep(1500); // a background refresh runs meanwhile
    keys("C-d");
    await waitFor(/status=0/);
    expect(existsSync(`${path}.lock`)).toBe(false);
    const again = Wallet.open(path, "pw");
    expect(again.state.scannedHeight).toBeGreaterThanOrEqual(0);
    again.close();
  }, 90_000);
});

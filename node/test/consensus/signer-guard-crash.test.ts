/**
 * Double-sign guard crash test with real processes: a child signs ever higher positions in a loop
 * through the guard (fsync'ed state file) and is killed with SIGKILL at a random instant, ≥ 20
 * times. After each kill the state file must open (never corrupt) and must never be behind a
 * signature the child printed before it died; across all runs, no (height, round, step) may have
 * two different signatures (the child signs with fresh random bytes, so a re-sign would show),
 * and a restarted child's re-sign of the recorded position returns the recorded signature.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SignerGuard, VALIDATOR_STATE_FILE, compareHrs, type HeightRoundStep, type SignStep } from "../../src/consensus/signer-guard.ts";

const CHILD = fileURLToPath(new URL("./helpers/sign-child.ts", import.meta.url));
const KILLS = 22;

interface Signed extends HeightRoundStep {
  sig: string;
}

function runChild(path: string, killAfterMs: number): Promise<{ signed: Signed[]; bugs: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path, "loop"], { stdio: ["ignore", "pipe", "pipe"] });
    let buf = "";
    let stderr = "";
    const signed: Signed[] = [];
    const bugs: string[] = [];
    const timer = setTimeout(() => reject(new Error(`child never became ready: ${stderr}`)), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).split(" ");
        buf = buf.slice(i + 1);
        if (line[0] === "READY") {
          clearTimeout(timer);
          setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        } else if (line[0] === "S") signed.push({ height: BigInt(line[1]!), round: Number(line[2]), step: Number(line[3]) as SignStep, sig: line[4]! });
        else if (line[0] === "BUG") bugs.push(line.join(" "));
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ signed, bugs, stderr });
    });
  });
}

describe("double-sign guard under kill -9", () => {
  it(`the record is never behind a released signature (${KILLS} kills)`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), "baios-guard-crash-")), VALIDATOR_STATE_FILE);
    const sigOf = new Map<string, string>();
    let total = 0;
    let maxReleased: Signed | undefined;
    for (let k = 0; k < KILLS; k++) {
      const { signed, bugs } = await runChild(path, 5 + Math.floor(Math.random() * 150));
      expect(bugs).toEqual([]);
      total += signed.length;
      for (const s of signed) {
        const key = `${s.height}/${s.round}/${s.step}`;
        const prev = sigOf.get(key);
        if (prev !== undefined) expect(s.sig, `two signatures for ${key}`).toBe(prev);
        sigOf.set(key, s.sig);
        if (maxReleased === undefined || compareHrs(s, maxReleased) > 0) maxReleased = s;
      }
      const g = await SignerGuard.open(path); // never STATE_CORRUPT: the lock is stale, the file whole
      try {
        const last = g.last;
        if (maxReleased !== undefined) {
          expect(last, "a signature was released but no record exists").toBeDefined();
          expect(compareHrs(last!, maxReleased)).toBeGreaterThanOrEqual(0);
          if (compareHrs(last!, maxReleased) === 0) expect(Buffer.from(last!.signature!).toString("hex")).toBe(maxReleased.sig);
        }
      } finally {
        await g.close();
      }
    }
    // the kills hit the loop at work, not only at start-up
    expect(total).toBeGreaterThan(KILLS * 2);
  }, 60_000);
});

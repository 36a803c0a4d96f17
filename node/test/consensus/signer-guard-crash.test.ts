/**
 * Double-sign guard crash test with real processes: a child signs ever higher positions in a loop
 * through the guard (fsync'ed state file) and is killed with SIGKILL at a random instant, ≥ 20
 * times. After each kill the state file must open (never corrupt) and must never be behind a
 * signature the child printed before it died; across all runs, no (height, round, step) may have
 * two different signatures (the child signs with fresh random bytes, so a re-sign would show),
 * and a restarted child's re-sign of the recorded position returns the recorded signature.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runUntilKilled } from "../helpers/kill-child.ts";
import { SignerGuard, VALIDATOR_STATE_FILE, compareHrs, type HeightRoundStep, type SignStep } from "../../src/consensus/signer-guard.ts";

const CHILD = fileURLToPath(new URL("./helpers/sign-child.ts", import.meta.url));
const KILLS = 22;

interface Signed extends HeightRoundStep {
  sig: string;
}

async function runChild(path: string, killAfterMs: number): Promise<{ signed: Signed[]; bugs: string[]; stderr: string }> {
  const { lines, stderr } = await runUntilKilled(CHILD, [path, "loop"], killAfterMs);
  return {
    signed: lines.filter((l) => l[0] === "S").map((l) => ({ height: BigInt(l[1]!), round: Number(l[2]), step: Number(l[3]) as SignStep, sig: l[4]! })),
    bugs: lines.filter((l) => l[0] === "BUG").map((l) => l.join(" ")),
    stderr,
  };
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

/**
 * Consensus WAL crash test with real processes: a child appends records (some 256 KiB – 1 MiB,
 * so a SIGKILL can land inside a multi-page write) and END_HEIGHT markers with rotations in a
 * loop, and is killed with SIGKILL at a random instant, ≥ 20 times. After each kill the WAL must
 * open without error (a torn tail is cut), replay exactly the contiguous records of height
 * `lastEndHeight + 1`, with intact payloads, and hold every record and marker the child reported
 * appended (a killed process loses no completed write; power loss, which only the fsync'ed
 * records survive, is not simulated here).
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConsensusWal, WAL_FILE } from "../../src/consensus/wal.ts";
import { parsePayload } from "./helpers/wal-payload.ts";
import { runUntilKilled } from "../helpers/kill-child.ts";

const CHILD = fileURLToPath(new URL("./helpers/wal-child.ts", import.meta.url));
const KILLS = 22;

async function runChild(path: string, killAfterMs: number): Promise<{ appended: [bigint, number][]; ended: bigint[]; bugs: string[] }> {
  const { lines } = await runUntilKilled(CHILD, [path], killAfterMs);
  return {
    appended: lines.filter((l) => l[0] === "A").map((l) => [BigInt(l[1]!), Number(l[2])]),
    ended: lines.filter((l) => l[0] === "E").map((l) => BigInt(l[1]!)),
    bugs: lines.filter((l) => l[0] === "BUG").map((l) => l.join(" ")),
  };
}

describe("consensus WAL under kill -9", () => {
  it(`opens, repairs and replays exactly the current height after every kill (${KILLS} kills)`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), "baios-wal-crash-")), WAL_FILE);
    let maxEnded = 0n;
    let appendsSeen = 0;
    let torn = 0;
    for (let k = 0; k < KILLS; k++) {
      const { appended, ended, bugs } = await runChild(path, 5 + Math.floor(Math.random() * 200));
      expect(bugs).toEqual([]);
      appendsSeen += appended.length;
      for (const h of ended) if (h > maxEnded) maxEnded = h;
      const wal = await ConsensusWal.open(path);
      try {
        if (wal.recovered.truncatedBytes > 0) torn++;
        const lastEnd = wal.lastEndHeight ?? 0n;
        // every reported marker is there; at most one more (completed but not yet reported)
        expect(lastEnd >= maxEnded).toBe(true);
        expect(lastEnd <= maxEnded + 1n).toBe(true);
        maxEnded = lastEnd;
        const replayed: number[] = [];
        for await (const r of wal.replay()) {
          const p = parsePayload(r.payload);
          expect(p, "payload damaged").toBeDefined();
          expect(p!.h).toBe(lastEnd + 1n);
          replayed.push(p!.i);
        }
        expect(replayed).toEqual(replayed.map((_, i) => i));
        // every record reported appended after the last marker is replayed
        for (const [h, i] of appended) if (h > lastEnd) expect(i < replayed.length && h === lastEnd + 1n, `record ${h}/${i} lost`).toBe(true);
        expect(statSync(path).size).toBe(wal.size);
      } finally {
        await wal.close();
      }
    }
    expect(maxEnded > 0n).toBe(true);
    expect(appendsSeen).toBeGreaterThan(KILLS);
    console.info(`WAL crash test: ${appendsSeen} appends, last END_HEIGHT ${maxEnded}, torn tails repaired: ${torn}/${KILLS}`);
  }, 60_000);
});

/**
 * (c) Kill -9 during pruning (issue 9): a child process runs a pruned validator node (D = 5,
 * W = 14) committing a block every 15 ms, each commit followed by a pruning batch, all fsync'ed;
 * it is killed with SIGKILL at a random instant after its first pruning step, ≥ 20 times. After each kill the database is
 * reopened: start-up checks pass (tip, heads, output-MMR root = the tip's outputRoot, key-image
 * set root = its keyImageRoot), the tails never move down and are at least the last tails the
 * child reported, every body from the tail to the tip is there and none below it, the `S`/`U`
 * records likewise from the state tail, and every block the child reported committed is there
 * with the same hash (its header, certificate and output count even when its body is pruned).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blockHash, fromHex, headerLeafHash, leafIndexToPos0, toHex } from "@baios/consensus";
import { nodeCascadeParams } from "../src/cascade-store.ts";
import { Chain } from "../src/chain.ts";
import { Store } from "../src/store/store.ts";
import { tmpDir } from "./helpers/fixture.ts";
import { TEST_BODY_DEPTH, TEST_STATE_DEPTH, pruneTestGenesis } from "./helpers/prune-genesis.ts";

const CHILD = fileURLToPath(new URL("./helpers/prune-crash-child.ts", import.meta.url));
const KILLS = 22;

interface ChildRun {
  ready: { height: number; tail: number; stateTail: number };
  committed: Map<number, string>;
  lastTails: { tail: number; stateTail: number };
  steps: number;
  killed: boolean;
}

function runChild(dataDir: string, killAfterMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const run: ChildRun = { ready: { height: -1, tail: -1, stateTail: -1 }, committed: new Map(), lastTails: { tail: -1, stateTail: -1 }, steps: 0, killed: false };
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      let i: number;
      while ((i = out.indexOf("\n")) >= 0) {
        const [tag, a, b, c] = out.slice(0, i).split(" ");
        out = out.slice(i + 1);
        if (tag === "READY") {
          run.ready = { height: Number(a), tail: Number(b), stateTail: Number(c) };
          run.lastTails = { tail: Number(b), stateTail: Number(c) };
        } else if (tag === "C") {
          run.committed.set(Number(a), b ?? "");
        } else if (tag === "T") {
          // the kill is armed at the first pruning step of this run (not its first commit: on a loaded
          // machine a run could end before pruning started); from then on commits and pruning batches alternate
          if (run.steps === 0) {
            setTimeout(() => {
              run.killed = child.kill("SIGKILL");
            }, killAfterMs);
          }
          run.lastTails = { tail: Number(a), stateTail: Number(b) };
          run.steps++;
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(run);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
    setTimeout(() => child.kill("SIGKILL"), 20_000);
  });
}

describe("kill -9 during pruning", () => {
  it(`survives ${KILLS} SIGKILLs of a pruning node: consistent heads, tails monotone, roots equal to the tip header's`, { timeout: 180_000 }, async () => {
    const genesis = await pruneTestGenesis({ blockTimeMs: 15 });
    const dir = tmpDir("baios-prune-crash-");
    let prev = { tail: 0, stateTail: 0, height: 0 };
    let steps = 0;
    let movedKills = 0;
    for (let k = 0; k < KILLS; k++) {
      const r = await runChild(dir, Math.floor(Math.random() * 400));
      expect(r.killed).toBe(true);
      // the child started from what the previous one left
      expect(r.ready.tail).toBeGreaterThanOrEqual(prev.tail);
      expect(r.ready.height).toBeGreaterThanOrEqual(prev.height);
      const store = await Store.open(join(dir, "chain"), { sync: false });
      try {
        // start-up checks: tip, heads (body at tail, none below), MMR and key-image set roots vs the tip header
        // opening checks the heads and the cascade (written in the commit batches): tip − D exactly
        const chain = await Chain.open(store, genesis.block, genesis.certificate, { cascade: nodeCascadeParams(genesis.params) });
        expect(chain.cascade!.tipHeight).toBe(Math.max(-1, chain.tip.height - TEST_BODY_DEPTH));
        const tip = chain.tip.height;
        const { tail, stateTail, bodyHead } = store.heads;
        expect(bodyHead).toBe(tip);
        // tails only move up, and what the child reported (after an fsync'ed batch) is durable
        expect(tail).toBeGreaterThanOrEqual(prev.tail);
        expect(stateTail).toBeGreaterThanOrEqual(prev.stateTail);
        expect(tail).toBeGreaterThanOrEqual(r.lastTails.tail);
        expect(stateTail).toBeGreaterThanOrEqual(r.lastTails.stateTail);
        // never deeper than the windows allow
        expect(tail).toBeLessThanOrEqual(Math.max(0, tip - TEST_BODY_DEPTH));
        expect(stateTail).toBeLessThanOrEqual(Math.max(0, tip - TEST_STATE_DEPTH));
        for (let h = 0; h <= tip; h++) {
          expect((await store.getBlock(h)) !== undefined, `body ${h} (tail ${tail})`).toBe(h >= tail);
          expect((await store.getBlockTxids(h)) !== undefined, `txids ${h} (tail ${tail})`).toBe(h >= tail);
          expect((await store.getSuperParents(h)) !== undefined, `U ${h} (state tail ${stateTail})`).toBe(h >= stateTail);
          // headers go with S/U (below the state tail), certificates with the bodies; genesis stays
          expect((await store.getHeader(h)) !== undefined, `header ${h} (state tail ${stateTail})`).toBe(h === 0 || h >= stateTail);
          expect((await store.getCertificate(h)) !== undefined, `certificate ${h} (tail ${tail})`).toBe(h === 0 || h >= tail);
          expect(await store.getCumulativeOutputs(h), `g ${h}`).toBeDefined();
        }
        // every committed block is still proven by the header MMR (its leaf), the stored ones by their header too
        for (const [h, hash] of r.committed) {
          expect(toHex((await chain.headerMmr.backend.get(leafIndexToPos0(BigInt(h))))!)).toBe(toHex(headerLeafHash(BigInt(h), fromHex(hash))));
          if (h >= stateTail) expect(toHex(blockHash((await chain.header(h))!))).toBe(hash);
        }
        if (tail > prev.tail) movedKills++;
        steps += r.steps;
        prev = { tail, stateTail, height: tip };
      } finally {
        await store.close();
      }
    }
    // the kills fell while the node was pruning (every run pruned before its kill), and the tail followed the tip
    expect(steps).toBeGreaterThanOrEqual(KILLS);
    expect(movedKills).toBeGreaterThan(KILLS / 2);
    expect(prev.tail).toBeGreaterThan(0);
  });
});

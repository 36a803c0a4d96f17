/**
 * Crash recovery: a real child process runs a validator node on a real classic-level database
 * producing a block every 15 ms (fsync'ed batches); it is killed with SIGKILL at a random
 * instant, ≥ 20 times. After each kill the database is reopened and must be consistent (tip
 * verification), must hold every block the child reported committed (same hash), and its state
 * (output set, key images, MMR root) must equal that of a reference node that never crashed and
 * applied the same finalized blocks (validated and committed through its own executor; blocks
 * are not reproducible — the miner's coinbase tx key and PoW nonce are random).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blockHash, equalBytes, makeValidatorSet, toHex, verifyFinalityCertificate } from "@baios/consensus";
import { Chain } from "../src/chain.ts";
import { Store } from "../src/store/store.ts";
import { outputKey, prefixRange, P_KEYIMAGE } from "../src/store/keys.ts";
import { testGenesis, tmpDir } from "./helpers/fixture.ts";
import { openPipeline } from "./helpers/pipeline.ts";

const CHILD = fileURLToPath(new URL("./helpers/crash-child.ts", import.meta.url));
const KILLS = 22;

/** Digest of the output set (records 0..count-1), the key-image set, and the MMR root. */
async function stateOf(chain: Chain): Promise<{ height: number; outputs: string; keyImages: string; root: string }> {
  const store = chain.store;
  const h = createHash("sha256");
  let n = 0;
  for await (const [k, v] of store.db.iterator({ gte: outputKey(0), lt: outputKey(Number.MAX_SAFE_INTEGER) })) {
    expect(Buffer.compare(Buffer.from(k), Buffer.from(outputKey(n)))).toBe(0);
    h.update(v.subarray(0, 64)); // key and commitment (the height/unlock fields are checked by the count and root)
    n++;
  }
  expect(n).toBe(chain.tip.outputs);
  const ki = createHash("sha256");
  for await (const k of store.db.keys(prefixRange(P_KEYIMAGE))) ki.update(k);
  const root = await chain.mmr.root();
  expect(equalBytes(root, chain.tipHeader.outputRoot)).toBe(true);
  return { height: chain.tip.height, outputs: h.digest("hex"), keyImages: ki.digest("hex"), root: Buffer.from(root).toString("hex") };
}

function runChild(dataDir: string, killAfterMs: number): Promise<{ ready: number; lastCommitted: number; committed: Map<number, string>; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let ready = -1;
    let lastCommitted = -1;
    const committed = new Map<number, string>();
    let killed = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      let i: number;
      while ((i = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        const [tag, h, hash] = line.split(" ");
        if (tag === "READY") {
          ready = Number(h);
          setTimeout(() => {
            killed = child.kill("SIGKILL");
          }, killAfterMs);
        } else if (tag === "C") {
          lastCommitted = Number(h);
          committed.set(lastCommitted, hash ?? "");
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve({ ready, lastCommitted, committed, killed });
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
    setTimeout(() => child.kill("SIGKILL"), 20_000);
  });
}

describe("crash recovery (kill -9 during block commits)", () => {
  it(`survives ${KILLS} SIGKILLs with state equal to a node that never crashed`, { timeout: 150_000 }, async () => {
    const genesis = await testGenesis({ blockTimeMs: 15 }); // as crash-child.ts
    const set = makeValidatorSet(genesis.validators);
    // the reference node: same genesis, never crashes; validates and commits the blocks the crashed node finalized
    const refStore = await Store.open(join(tmpDir("baios-ref-"), "chain"), { sync: false });
    const ref = await Chain.open(refStore, genesis.block, genesis.certificate);
    const refExecutor = (await openPipeline(ref, genesis)).executor;
    const refStates = new Map<number, Awaited<ReturnType<typeof stateOf>>>();
    const refAt = async (height: number, from: Chain) => {
      while (ref.tip.height < height) {
        const h = ref.tip.height + 1;
        const block = (await from.block(h))!;
        const cert = (await from.certificate(h))!;
        verifyFinalityCertificate(cert, { chainId: genesis.params.chainId, height: BigInt(h), blockHash: blockHash(block.header), validatorSet: set });
        await refExecutor.validateBlock(block);
        await refExecutor.commitBlock(block, cert);
      }
      if (!refStates.has(height)) {
        expect(ref.tip.height).toBe(height);
        refStates.set(height, await stateOf(ref));
      }
      return refStates.get(height)!;
    };

    const dir = tmpDir("baios-crash-");
    let prevHeight = -1;
    let advancedKills = 0;
    for (let k = 0; k < KILLS; k++) {
      const killAfter = 30 + Math.floor(Math.random() * 400);
      const r = await runChild(dir, killAfter);
      expect(r.killed).toBe(true);
      expect(r.ready).toBeGreaterThanOrEqual(prevHeight); // restart sees everything from before
      // reopen the database the child was killed on
      const store = await Store.open(join(dir, "chain"), { sync: false });
      const chain = await Chain.open(store, genesis.block, genesis.certificate); // verifies tip, MMR root vs header
      const tip = chain.tip.height;
      expect(tip).toBeGreaterThanOrEqual(r.lastCommitted); // no committed (finalized) block lost
      for (const [h, hash] of r.committed) expect(toHex(blockHash((await chain.header(h))!))).toBe(hash); // the very blocks it reported
      if (tip > r.ready) advancedKills++;
      const got = await stateOf(chain);
      // compare with the reference before the next child continues from here
      const want = await refAt(tip, chain);
      expect(got).toEqual(want);
      for (let h = Math.max(1, tip - 3); h <= tip; h++) {
        const header = (await chain.header(h))!;
        expect(equalBytes(blockHash(header), blockHash((await ref.header(h))!))).toBe(true); // history below the old tip never changes
        verifyFinalityCertificate((await chain.certificate(h))!, { chainId: genesis.params.chainId, height: BigInt(h), blockHash: blockHash(header), validatorSet: set });
      }
      await store.close();
      prevHeight = tip;
      if (process.env["CRASH_DEBUG"]) console.log(`kill ${k}: after ${killAfter}ms ready=${r.ready} reported=${r.lastCommitted} tip=${tip}`);
    }
    expect(advancedKills).toBeGreaterThanOrEqual(KILLS / 2); // the kills really hit a running producer
    await refStore.close();
  });
});

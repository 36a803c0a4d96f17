/**
 * Crash recovery: a real child process runs a validator node on a real classic-level database
 * producing a block every 15 ms (fsync'ed batches); it is killed with SIGKILL at a random
 * instant, ≥ 20 times. After each kill the database is reopened and must be consistent (tip
 * verification), must hold every block the child reported committed, and its state (output set,
 * key images, MMR root) must equal that of a reference node that never crashed, at the same height.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SingleValidatorEngine, equalBytes } from "@baios/consensus";
import { Chain } from "../src/chain.ts";
import { Mempool } from "../src/mempool.ts";
import { BlockProducer } from "../src/producer.ts";
import { Store } from "../src/store/store.ts";
import { outputKey, prefixRange, P_KEYIMAGE } from "../src/store/keys.ts";
import { PAYOUT, VALIDATOR_SEED, testGenesis, tmpDir } from "./helpers/fixture.ts";

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

function runChild(dataDir: string, killAfterMs: number): Promise<{ ready: number; lastCommitted: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let ready = -1;
    let lastCommitted = -1;
    let killed = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      let i: number;
      while ((i = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        const [tag, h] = line.split(" ");
        if (tag === "READY") {
          ready = Number(h);
          setTimeout(() => {
            killed = child.kill("SIGKILL");
          }, killAfterMs);
        } else if (tag === "C") lastCommitted = Number(h);
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve({ ready, lastCommitted, killed });
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
    setTimeout(() => child.kill("SIGKILL"), 20_000);
  });
}

describe("crash recovery (kill -9 during block commits)", () => {
  it(`survives ${KILLS} SIGKILLs with state equal to a node that never crashed`, { timeout: 150_000 }, async () => {
    const genesis = await testGenesis({ blockTimeMs: 15 }); // as crash-child.ts
    // the reference node: same genesis and validator, never crashes, built on demand
    const refStore = await Store.open(join(tmpDir("baios-ref-"), "chain"), { sync: false });
    const ref = await Chain.open(refStore, genesis.block, genesis.certificate);
    const payout = { viewPublic: PAYOUT.viewPublic, spendPublic: PAYOUT.spendPublic };
    const engine = new SingleValidatorEngine({ params: genesis.params, seed: VALIDATOR_SEED, validators: genesis.validators, rewardTo: payout });
    const refProducer = new BlockProducer({ chain: ref, mempool: new Mempool({ maxBytes: 1e6, maxTxs: 10 }), params: genesis.params, engine, validatorSeed: VALIDATOR_SEED, payout, emptyBlocks: true });
    const refStates = new Map<number, Awaited<ReturnType<typeof stateOf>>>();
    const refAt = async (height: number) => {
      while (ref.tip.height < height) await refProducer.produceOne();
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
      if (tip > r.ready) advancedKills++;
      const got = await stateOf(chain);
      // compare with the reference before the next child continues from here
      const want = await refAt(tip);
      expect(got).toEqual(want);
      for (let h = Math.max(1, tip - 3); h <= tip; h++) {
        const cert = await chain.certificate(h);
        engine.verifyCertificate(cert!, (await chain.header(h))!);
      }
      await store.close();
      prevHeight = tip;
      if (process.env["CRASH_DEBUG"]) console.log(`kill ${k}: after ${killAfter}ms ready=${r.ready} reported=${r.lastCommitted} tip=${tip}`);
    }
    expect(advancedKills).toBeGreaterThanOrEqual(KILLS / 2); // the kills really hit a running producer
    await refStore.close();
  });
});

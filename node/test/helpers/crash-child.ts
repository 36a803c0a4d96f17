/**
 * Child process for the crash-recovery test: runs a validator node on `argv[2]` with fast
 * blocks (its miner and the BFT driver, one validator) and fsync'ed batches, printing
 * `READY <height>` once open and `C <height> <block hash hex>` after each committed block (i.e.
 * after its batch is durable). The parent kills it with SIGKILL.
 *
 * Short BFT timeouts: a kill between signing a proposal and committing it leaves the restarted
 * validator unable to re-propose another block in that round (double-sign guard) while the
 * proposed candidate's bytes are gone, so it needs the round's timeouts to move to the next
 * round; with the default 3 s + 1 s + 1 s that takes longer than a child lives here.
 */
import { startNode } from "../../src/node.ts";
import { testConfig, testGenesis } from "./fixture.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: crash-child.ts <dataDir>");
const node = await startNode(testConfig(dataDir, { syncWrites: true, workers: 0 }), {
  genesis: await testGenesis({ blockTimeMs: 15 }),
  bftTimeouts: { proposeBaseMs: 100, proposeDeltaMs: 20, prevoteBaseMs: 50, prevoteDeltaMs: 10, precommitBaseMs: 50, precommitDeltaMs: 10 },
});
node.chain.listeners.add((b) => process.stdout.write(`C ${b.height} ${Buffer.from(b.hash).toString("hex")}\n`));
process.stdout.write(`READY ${node.chain.tip.height}\n`);

/**
 * Child process of prune-crash.test.ts: a pruned validator node (`--mode pruned`, D = 5, W = 14,
 * helpers/prune-genesis.ts) on `argv[2]` producing a block every 15 ms with fsync'ed batches,
 * so that every commit is followed by a pruning step. Prints `READY <height> <tail> <stateTail>`
 * once open, `C <height> <hash hex>` after each committed block and `T <tail> <stateTail>` after
 * each pruning batch (both durable when printed). Submits one spend of the next unspent premine
 * output, so bodies carry transactions. The parent kills it with SIGKILL.
 */
import { startNode } from "../../src/node.ts";
import { buildTx, testConfig } from "./fixture.ts";
import { pruneTestGenesis } from "./prune-genesis.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: prune-crash-child.ts <dataDir>");
const genesis = await pruneTestGenesis({ blockTimeMs: 15 });
const node = await startNode(testConfig(dataDir, { mode: "pruned", syncWrites: true, workers: 0 }), {
  genesis,
  bftTimeouts: { proposeBaseMs: 100, proposeDeltaMs: 20, prevoteBaseMs: 50, prevoteDeltaMs: 10, precommitBaseMs: 50, precommitDeltaMs: 10 },
});
const pruner = node.pruner;
if (pruner === undefined) throw new Error("expected a pruned node");
node.chain.listeners.add((b) => process.stdout.write(`C ${b.height} ${Buffer.from(b.hash).toString("hex")}\n`));
pruner.onStep = (h) => process.stdout.write(`T ${h.tail} ${h.stateTail}\n`);
const { tail, stateTail } = node.chain.store.heads;
process.stdout.write(`READY ${node.chain.tip.height} ${tail} ${stateTail}\n`);
const next = node.chain.tip.keyImages;
if (next < 24) await node.submitTx(buildTx(genesis, next, { salt: next }).bytes).catch(() => undefined);

/**
 * Child process for the crash-recovery test: runs a validator node on `argv[2]` with fast
 * blocks and fsync'ed batches, printing `READY <height>` once open and `C <height>` after each
 * committed block (i.e. after its batch is durable). The parent kills it with SIGKILL.
 */
import { startNode } from "../../src/node.ts";
import { testConfig, testGenesis } from "./fixture.ts";

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error("usage: crash-child.ts <dataDir>");
const node = await startNode(testConfig(dataDir, { syncWrites: true, workers: 0 }), { genesis: await testGenesis({ blockTimeMs: 15 }) });
node.chain.listeners.add((b) => process.stdout.write(`C ${b.height}\n`));
process.stdout.write(`READY ${node.chain.tip.height}\n`);

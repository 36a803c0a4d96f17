/**
 * Child process of the fast-sync kill -9 test: verifies a downloaded snapshot (`snapshot.bin`,
 * written by the parent: state, cascade, window of headers with certificates, block H; with the
 * set chain `setchain.json`) and writes the store into `<dataDir>/chain` in batches of 8 operations,
 * printing `B <ops written>` after each durable batch and `DONE` after the rename. The parent
 * kills it with SIGKILL at a random batch.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nodeCascadeParams } from "../../src/cascade-store.ts";
import { installSnapshot } from "../../src/sync/fast-sync.ts";
import { genesisSetChainHead, verifySetChainSteps } from "../../src/sync/set-chain.ts";
import { fastSyncGenesis } from "./fast-sync-genesis.ts";

const [dataDir, files] = process.argv.slice(2);
if (dataDir === undefined || files === undefined) throw new Error("usage: fast-sync-child.ts <dataDir> <filesDir>");
const genesis = await fastSyncGenesis();
await installSnapshot(
  {
    chainDir: join(dataDir, "chain"),
    chainId: genesis.params.chainId,
    genesis: genesis.block,
    genesisCertificate: genesis.certificate,
    genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity,
    cascadeParams: nodeCascadeParams(genesis.params),
    // the set chain from genesis to the window base, as the parent got it from the source (`setchain.json`)
    setChain: async () => verifySetChainSteps(genesisSetChainHead(genesis.block.header, genesis.validators), JSON.parse(readFileSync(join(files, "setchain.json"), "utf8")).steps, genesis.params.chainId),
    batchOps: 8,
    onBatch: async (n) => {
      process.stdout.write(`B ${n}\n`);
      await new Promise((r) => setTimeout(r, 2));
    },
  },
  readFileSync(join(files, "snapshot.bin")),
);
process.stdout.write("DONE\n");

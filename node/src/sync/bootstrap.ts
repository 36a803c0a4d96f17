/**
 * `baios node --fast-sync` (docs/sync.md §6): before the chain store is opened, a node whose data
 * directory has no chain yet bootstraps it from its peers' latest snapshot (fast-sync.ts) instead
 * of replaying every block; a leftover staging directory of a fast sync that crashed is deleted
 * first. Every committed block is BFT-final, so the snapshot height needs no safety margin
 * against reorganisation: H is the serving peer's latest snapshot (at most
 * SNAPSHOT_REBUILD_BLOCKS behind its tip); the node then syncs H + 1 … normally.
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createP2P, type P2P } from "@baios/p2p";
import type { CascadeParams } from "@baios/consensus";
import type { NodeConfig } from "../config-options.ts";
import type { NodeGenesis } from "../genesis.ts";
import type { Logger } from "../log.ts";
import { fastSync, registerClientProtocols, type FastSyncResult } from "./fast-sync.ts";
import { discardStaging } from "./snapshot-write.ts";

/** How long to wait for a first peer (ms). */
const PEER_WAIT_MS = 30_000;

/**
 * Deletes a crashed fast sync's staging directory; when `config.fastSync` is set and the chain
 * directory does not exist, fast-syncs it from the bootstrap peers (a dial-only libp2p node with
 * the node's peer key, or `p2p` when given — tests pass a MemoryP2P already dialled, unstarted is fine),
 * checking the peer's cascade with `cascadeParams` (the chain's levels, K and D).
 * @returns the fast sync's result, or undefined when none ran
 * @throws FastSyncError / Error when no peer served a snapshot that verifies
 */
export async function maybeFastSync(config: NodeConfig, genesis: NodeGenesis, log: Logger, p2p: P2P | undefined, cascadeParams: CascadeParams): Promise<FastSyncResult | undefined> {
  const chainDir = join(config.dataDir, "chain");
  if (discardStaging(chainDir)) log.warn({ chainDir }, "deleted the staging directory of an interrupted fast sync");
  if (!config.fastSync || existsSync(chainDir)) return undefined;
  const net = p2p ?? (await createP2P({ chainId: genesis.params.chainId, dataDir: config.dataDir, listen: [], bootstrap: config.bootstrap, limits: { maxConnections: config.maxPeers } }));
  registerClientProtocols(net, genesis.params.maxBlockBytes);
  try {
    await net.start();
    const end = Date.now() + PEER_WAIT_MS;
    while (net.peers().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const r = await fastSync({ p2p: net, chainDir, chainId: genesis.params.chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity, cascadeParams, blockTargetMax: genesis.params.blockTargetMax });
    log.info({ height: r.height, peer: r.peer, snapshotBytes: r.snapshotBytes, ...r.timings }, "fast sync: state verified against the certified header and written");
    return r;
  } finally {
    await net.stop().catch(() => undefined);
  }
}

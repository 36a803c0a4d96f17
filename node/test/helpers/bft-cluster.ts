/**
 * A BFT cluster of real `baios node` processes on loopback libp2p for the issue-8 process tests
 * (node/test/bft-*.test.ts): a genesis file with N validators of equal stake, validators spawned
 * with short BFT timeouts (`--bft-timeout-*-ms`), and an in-test libp2p observer that records
 * every vote gossiped on the `vote` topic so a test can look for a double sign.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519PublicKey } from "@baios/crypto";
import { blockHash, decodeBlock, decodeVoteMessage, devnetGenesis, genesisToFile, toHex, type Block, type ChainParams } from "@baios/consensus";
import { createP2P, type P2P } from "@baios/p2p";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, PREMINE_OUTPUTS, WALLET } from "./fixture.ts";
import { startNodeProc, type NodeProc } from "./procs.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Validator seeds 0x11.., 0x12.., … (32 bytes each). */
export const clusterSeeds = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => new Uint8Array(32).fill(0x11 + i));

/**
 * Writes `<dir>/genesis.json` with `seeds.length` validators of stake 100 each; returns its path
 * and chain id. `params` overrides the devnet parameters (default here: one long epoch, so
 * downtime never jails a validator during a test).
 */
export function writeClusterGenesis(dir: string, seeds: readonly Uint8Array[], blockTimeMs: number, params: Partial<ChainParams> = {}): { path: string; chainId: number } {
  const g = devnetGenesis({
    wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
    validators: seeds.map((s) => ({ publicKey: ed25519PublicKey(s), stake: 100n })),
    params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs, epochLength: 1_000_000n, ...params },
  });
  const path = join(dir, "genesis.json");
  writeFileSync(path, JSON.stringify(genesisToFile(g), null, 2));
  return { path, chainId: g.params.chainId };
}

/** Short BFT timeouts for loopback (ms). */
export const FAST_BFT = ["--bft-timeout-propose-ms", "1000", "--bft-timeout-prevote-ms", "300", "--bft-timeout-precommit-ms", "300"];

/** Spawns a validator (seed given) or a full node (seed undefined). */
export function startMember(o: { dataDir: string; genesisPath: string; seed: Uint8Array | undefined; bootstrap: string[]; rpcPort?: number; p2pPort?: number; hashRate?: number }): Promise<NodeProc> {
  const extra = [...FAST_BFT, "--log-level", "debug"];
  if (o.seed !== undefined) extra.push("--validator", "--validator-key", hex(o.seed), "--payout", `${hex(PAYOUT.viewPublic)}:${hex(PAYOUT.spendPublic)}`, "--mine-hash-rate", String(o.hashRate ?? 2000));
  return startNodeProc({ dataDir: o.dataDir, genesisPath: o.genesisPath, validator: false, bootstrap: o.bootstrap, extra, ...(o.rpcPort === undefined ? {} : { rpcPort: o.rpcPort }), ...(o.p2pPort === undefined ? {} : { p2pPort: o.p2pPort }) });
}

/** A fresh temporary directory. */
export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** One vote seen on the wire. */
export interface SeenVote {
  validator: string;
  kind: string;
  height: bigint;
  round: number;
  blockHash: string;
}

/**
 * An in-test libp2p peer subscribed to `vote` (and the other consensus topics, so it stays in
 * their meshes) that records every vote it receives. `conflicts()` lists each
 * (validator, kind, height, round) seen with more than one block hash: a double sign.
 */
export async function startVoteObserver(chainId: number, bootstrap: string[]): Promise<{ p2p: P2P; votes: SeenVote[]; conflicts(): string[]; stop(): Promise<void> }> {
  const votes: SeenVote[] = [];
  const p2p = await createP2P({ chainId, dataDir: tmp("baios-observer-"), listen: ["/ip4/127.0.0.1/tcp/0"], bootstrap });
  p2p.registerTopic({
    name: "vote",
    maxBytes: 149,
    validate: async (bytes) => {
      try {
        const v = decodeVoteMessage(bytes.subarray(0, 145));
        votes.push({ validator: toHex(v.validator), kind: v.kind, height: v.height, round: v.round, blockHash: toHex(v.blockHash) });
      } catch {
        return "REJECT";
      }
      return "ACCEPT";
    },
  });
  for (const name of ["candidate", "proposal", "evidence"]) p2p.registerTopic({ name, maxBytes: 4 << 20, validate: async () => "IGNORE" });
  await p2p.start();
  return {
    p2p,
    votes,
    conflicts() {
      const by = new Map<string, Set<string>>();
      for (const v of votes) {
        const k = `${v.validator}:${v.kind}:${v.height}:${v.round}`;
        const s = by.get(k) ?? new Set<string>();
        s.add(v.blockHash);
        by.set(k, s);
      }
      return [...by].filter(([, s]) => s.size > 1).map(([k, s]) => `${k} → ${[...s].join(",")}`);
    },
    stop: () => p2p.stop(),
  };
}

/** The decoded block at `height` from a node (wire bytes via `get_block` hex). */
export async function blockAt(p: NodeProc, height: number): Promise<{ block: Block; hash: string }> {
  const r = await p.client.getBlock({ height }, "hex");
  const block = decodeBlock(Uint8Array.from(Buffer.from(r.hex!, "hex")), 1 << 30);
  return { block, hash: toHex(blockHash(block.header)) };
}

/** The tip height of a node (throws when it does not answer). */
export async function heightOf(p: NodeProc): Promise<number> {
  return (await p.client.status()).height;
}

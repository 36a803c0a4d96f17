/**
 * Assembles the node's consensus side (docs/consensus.md §6): executor (staking state), candidate
 * pool, evidence pool, the gossip topics, the candidate miner and, once the network is up, the
 * BFT driver with the double-sign guard and the WAL for a validator. `startNode` calls
 * {@link createConsensus} before the p2p node starts (the topics must be registered first) and
 * {@link NodeConsensus.start} after.
 * @module
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ed25519PublicKey } from "@baios/crypto";
import { TendermintEngine, decodeBlock, type BftTimeouts, type ChainParams, type FinalityCertificate, type Unbond, type Validator, type Verifier } from "@baios/consensus";
import type { Chain } from "../chain.ts";
import type { Logger } from "../log.ts";
import type { Mempool } from "../mempool.ts";
import type { NodeMetrics } from "../metrics.ts";
import { CandidatePool } from "./candidates.ts";
import { BftDriver, type ConsensusPublisher } from "./driver.ts";
import { EvidencePool } from "./evidence-pool.ts";
import { ChainExecutor } from "./executor.ts";
import { CandidateMiner } from "./miner.ts";
import { SignerGuard, VALIDATOR_STATE_FILE } from "./signer-guard.ts";
import { admitCandidate, consensusProtocols, consensusTopics, fetchCandidate } from "./topics.ts";
import { UnbondPool } from "./unbond-pool.ts";
import { UnbondRelay } from "./unbond-gossip.ts";
import { ConsensusWal, WAL_FILE } from "./wal.ts";
import { writeFileDurable } from "./durable-file.ts";

/** The block of this validator's last signed proposal (`<dataDir>/own-proposal.bin`, block wire bytes; driver.ts `ownProposalStore`). */
export const OWN_PROPOSAL_FILE = "own-proposal.bin";
import type { P2P, ProtocolSpec, TopicSpec } from "@baios/p2p";

/** Inputs of {@link createConsensus}. */
export interface ConsensusSetupOptions {
  params: ChainParams;
  genesisValidators: readonly Validator[];
  chain: Chain;
  mempool: Mempool;
  /** Block lane of the worker pool. */
  verifier: Verifier;
  dataDir: string;
  /** The validator's 32-byte seed, when this node validates. */
  validatorSeed?: Uint8Array;
  /** Coinbase payout of the miner; no miner without it. */
  payout?: { viewPublic: Uint8Array; spendPublic: Uint8Array };
  mine: boolean;
  mineHashRate: number;
  emptyBlocks: boolean;
  timeouts?: Partial<BftTimeouts>;
  metrics?: NodeMetrics;
  log: Logger;
}

/** The node's consensus side. */
export interface NodeConsensus {
  executor: ChainExecutor;
  candidates: CandidatePool;
  evidence: EvidencePool;
  /** Signed unbond requests waiting for this node's miner (unbond-pool.ts). */
  unbonds: UnbondPool;
  /** Gossip of unbond requests (`unbond` topic, unbond-gossip.ts). */
  unbondRelay: UnbondRelay;
  /**
   * Admits a signed unbond request to the pool and gossips it on the `unbond` topic, so every
   * validator's miner sees it (unbond-gossip.ts).
   * @returns false when already pooled (then it is not sent again)
   * @throws ConsensusError `BLOCK_UNBOND_INVALID`, `STAKE_*` (unbond-pool.ts)
   */
  submitUnbond(u: Unbond): boolean;
  /** Register these on the p2p node before it starts. */
  topics: TopicSpec[];
  /** The local validator key (32 bytes), if any. */
  localKey: Uint8Array | undefined;
  miner: CandidateMiner | undefined;
  driver: BftDriver | undefined;
  /** Starts the driver (and the miner unless `manual`); `publish` sends on a topic (no-op without a network). */
  start(publish: ConsensusPublisher, opts: { manual?: boolean; p2p?: P2P }): Promise<void>;
  /** Register these request protocols on the p2p node before it starts (`candidate`). */
  protocols: ProtocolSpec[];
  /** Mines one candidate now (no rate limit) and waits until the chain commits a block above the current tip. */
  produceBlock(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** See the module docs. */
export async function createConsensus(o: ConsensusSetupOptions): Promise<NodeConsensus> {
  const executor = await ChainExecutor.open({ params: o.params, chain: o.chain, mempool: o.mempool, genesisValidators: o.genesisValidators, verifier: o.verifier, log: o.log.child({ mod: "executor" }) });
  const candidates = new CandidatePool();
  candidates.setTip(BigInt(o.chain.tip.height));
  const evidence = new EvidencePool();
  const unbonds = new UnbondPool();
  const unbondRelay = new UnbondRelay({ pool: unbonds, state: () => executor.stakingState, chainId: o.params.chainId, ...(o.metrics === undefined ? {} : { registry: o.metrics.registry }), log: o.log.child({ mod: "unbond" }) });
  let driver: BftDriver | undefined;
  const topicDeps = { params: o.params, chain: o.chain, executor, candidates, evidence, driver: () => driver, log: o.log };
  const topics = [...consensusTopics(topicDeps), unbondRelay.topic()];
  const protocols = consensusProtocols(topicDeps);
  const localKey = o.validatorSeed === undefined ? undefined : ed25519PublicKey(o.validatorSeed);
  let publisher: ConsensusPublisher | undefined;
  const miner =
    o.payout === undefined || !o.mine
      ? undefined
      : new CandidateMiner({
          params: o.params,
          chain: o.chain,
          mempool: o.mempool,
          executor,
          payout: o.payout,
          hashesPerSecond: o.mineHashRate,
          emptyBlocks: o.emptyBlocks,
          lastCertificate: (tip) => {
            const c = driver === undefined ? undefined : lastCertOf(driver, tip);
            return c;
          },
          pending: () => ({ unbonds: unbonds.pending(executor.stakingState), evidence: evidence.pending(executor.stakingState, o.params.unbondingDelay) }),
          onCandidate: (c) => {
            void admitCandidate({ params: o.params, chain: o.chain, executor, candidates, evidence, driver: () => driver }, c.block, c.bytes)
              .then((v) => {
                if (v === "ACCEPT" && publisher !== undefined) void publishCandidate(c.bytes);
              })
              .catch((e: unknown) => o.log.warn({ err: e instanceof Error ? e.message : String(e) }, "own candidate refused"));
          },
          log: o.log.child({ mod: "miner" }),
        });
  let publishCandidate: (bytes: Uint8Array) => Promise<void> = async () => undefined;
  const cleanups: (() => Promise<void>)[] = [];
  o.chain.listeners.add((b) => {
    candidates.setTip(b.height);
    evidence.prune(b.block.evidence, executor.stakingState);
    unbonds.prune(b.block.unbonds, executor.stakingState);
    miner?.tipChanged();
  });

  return {
    executor,
    candidates,
    evidence,
    unbonds,
    unbondRelay,
    submitUnbond: (u) => unbondRelay.submitOwn(u),
    topics,
    protocols,
    localKey,
    miner,
    get driver() {
      return driver;
    },
    async start(publish, opts) {
      publisher = publish;
      publishCandidate = (bytes) => publish.candidate(bytes);
      const sendUnbond = publish.unbond;
      if (sendUnbond !== undefined) unbondRelay.setPublisher((bytes) => sendUnbond.call(publish, bytes));
      let signer: { seed: Uint8Array; publicKey: Uint8Array; guard: SignerGuard } | undefined;
      let wal: ConsensusWal | undefined;
      if (o.validatorSeed !== undefined && localKey !== undefined) {
        const guard = await SignerGuard.open(join(o.dataDir, VALIDATOR_STATE_FILE));
        cleanups.push(() => guard.close());
        signer = { seed: o.validatorSeed, publicKey: localKey, guard };
        const w = await ConsensusWal.open(join(o.dataDir, WAL_FILE));
        cleanups.push(() => w.close());
        wal = w;
      }
      const engine = new TendermintEngine({ chainId: o.params.chainId, ...(o.timeouts === undefined ? {} : { timeouts: o.timeouts }) });
      const p2p = opts.p2p;
      const ownFile = join(o.dataDir, OWN_PROPOSAL_FILE);
      driver = new BftDriver({
        ...(p2p === undefined ? {} : { fetchCandidate: (hash: Uint8Array) => fetchCandidate(topicDeps, p2p, hash) }),
        ...(signer === undefined
          ? {}
          : {
              ownProposalStore: {
                save: (bytes: Uint8Array) => writeFileDurable(ownFile, bytes),
                load: async () => (existsSync(ownFile) ? new Uint8Array(await readFile(ownFile)) : undefined),
                restore: async (bytes: Uint8Array) => {
                  // only useful while its height is still open; admitCandidate ignores anything else
                  await admitCandidate(topicDeps, decodeBlock(bytes, o.params.maxBlockBytes), bytes).catch(() => undefined);
                },
              },
            }),
        chainId: o.params.chainId,
        engine,
        executor,
        candidates,
        publish,
        ...(signer === undefined ? {} : { signer }),
        ...(wal === undefined ? {} : { wal }),
        onEvidence: (e) => void evidence.add(e),
        // a vote for a block this node found invalid (REJECT): verified by historical re-validation, pooled, gossiped (docs/consensus.md §6.3)
        onInvalidAttestation: (e) => {
          if (evidence.has(e)) return;
          void executor
            .checkAttestation(e)
            .then(async () => {
              if (evidence.add(e)) await publish.evidence(e);
            })
            .catch((err: unknown) => o.log.debug({ err: err instanceof Error ? err.message : String(err) }, "invalid-attestation evidence not kept"));
        },
        onCommit: (info) => {
          o.metrics?.finalityLatency.observe(info.latencyMs / 1000);
          o.log.info({ height: Number(info.height), round: info.round, latencyMs: info.latencyMs }, "block finalized");
        },
        log: o.log.child({ mod: "bft" }),
      });
      const d = driver;
      cleanups.push(async () => d.stop());
      cleanups.push(async () => unbondRelay.stop());
      await d.start();
      if (miner !== undefined && opts.manual !== true) {
        miner.start();
        cleanups.push(() => miner.stop());
      }
    },
    async produceBlock(timeoutMs = 30_000) {
      if (miner === undefined) throw new Error("this node does not mine (no payout address)");
      const before = o.chain.tip.height;
      await miner.mineOnce();
      const deadline = Date.now() + timeoutMs;
      while (o.chain.tip.height <= before) {
        if (Date.now() > deadline) throw new Error(`no block finalized above height ${before} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop() {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    },
  };
}

/** The driver's certificate of `tip` with every precommit it saw, or undefined (then the miner uses the stored one). */
function lastCertOf(driver: BftDriver, tip: bigint): FinalityCertificate | undefined {
  const c = driver.lastCertificate();
  return c !== undefined && c.height === tip ? c : undefined;
}


/**
 * `startNode(config)`: opens the data directory, initialises or verifies the chain, starts the
 * validation worker pool, the JSON-RPC/metrics server and the consensus side (docs/consensus.md §6:
 * executor, candidate miner, BFT driver; consensus/setup.ts).
 *
 * Data directory (docs/node.md §Data directory): `<dataDir>/chain/` is the LevelDB;
 * `<dataDir>/config.json` an optional config file.
 * @module
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { ringCacheConfigure } from "@baios/crypto";
import { createP2P, type Network, type P2P } from "@baios/p2p";
import type { DandelionParams } from "@baios/p2p/dandelion";
import { join } from "node:path";
import { localVerifier, type BftTimeouts, type ChainParams, type TxVerifyJob, type Verifier } from "@baios/consensus";
import { createConsensus, type NodeConsensus } from "./consensus/setup.ts";
import { consensusPublisher } from "./consensus/topics.ts";
import type { ConsensusPublisher } from "./consensus/driver.ts";
import { Chain } from "./chain.ts";
import { readValidatorSeed, redactConfig, type NodeConfig } from "./config.ts";
import { loadGenesis, type NodeGenesis } from "./genesis.ts";
import { createLogger, type Logger } from "./log.ts";
import { Mempool } from "./mempool.ts";
import { createMetrics, type NodeMetrics } from "./metrics.ts";
import { BlockImporter } from "./import.ts";
import { announceOwnBlocks, createHandlers } from "./net/handlers.ts";
import { TxIntake } from "./net/txrelay.ts";
import { NodeNetwork, networkStatusJson } from "./net/p2pnode.ts";
import { NodeDandelion } from "./net/dandelion.ts";
import { NodeRpcClient } from "@baios/api/node";
import { createMethods, ISOLATED_WARNING, type NetworkStatusJson } from "./rpc/methods.ts";
import { generateToken, writeTokenFile } from "./rpc/http-guard.ts";
import { estimateResponseBytes, type RpcServerLimits } from "./rpc/limits.ts";
import { startHttpServer, startMetricsServer, type HttpServerHandle } from "./rpc/server.ts";
import { Store } from "./store/store.ts";
import { Pruner, pruneWindowsFor } from "./prune.ts";
import { nodeCascadeParams } from "./cascade-store.ts";
import { RangeProofBatcher } from "./workers/batcher.ts";
import { WorkerPool } from "./workers/pool.ts";
import { VerifiedCache, cachingVerifier } from "./workers/verified-cache.ts";
import { toHex as hex } from "@baios/consensus";
import { maybeFastSync } from "./sync/bootstrap.ts";

/** Publisher of a node without a network: its messages go nowhere (a single validator needs no one). */
const noPublish: ConsensusPublisher = { proposal: async () => undefined, vote: async () => undefined, evidence: async () => undefined, candidate: async () => undefined };

/** The node software version (semver), reported as `version` by the `status` RPC method (docs/node.md §Methods). */
export const NODE_VERSION = "0.1.0";

/** The BFT timeouts of the config's `bftTimeout*Ms` options, overridden by `startNode`'s `bftTimeouts` (docs/consensus.md §2). */
function bftTimeoutsOf(config: NodeConfig, explicit: Partial<BftTimeouts> | undefined): { timeouts?: Partial<BftTimeouts> } {
  const t: Partial<BftTimeouts> = {
    ...(config.bftTimeoutProposeMs === undefined ? {} : { proposeBaseMs: config.bftTimeoutProposeMs }),
    ...(config.bftTimeoutPrevoteMs === undefined ? {} : { prevoteBaseMs: config.bftTimeoutPrevoteMs }),
    ...(config.bftTimeoutPrecommitMs === undefined ? {} : { precommitBaseMs: config.bftTimeoutPrecommitMs }),
    ...(explicit ?? {}),
  };
  return Object.keys(t).length === 0 ? {} : { timeouts: t };
}

/** Adds {@link ISOLATED_WARNING} to a status's network part when the node is not a validator and has no peer. */
function withIsolationWarning(s: NetworkStatusJson, validator: boolean): NetworkStatusJson {
  return !validator && s.peerCount === 0 ? { ...s, warning: ISOLATED_WARNING } : s;
}


/** Extra options for embedding (tests, the CLI). */
export interface StartNodeOptions {
  /** Use this logger instead of one built from the config. */
  log?: Logger;
  /** How often a non-validator checks that it has a peer (ms, default 30 000); see {@link ISOLATED_WARNING}. */
  isolationCheckMs?: number;
  /** Use this genesis instead of loading `config.genesisPath` / the devnet genesis. */
  genesis?: NodeGenesis;
  /** Don't start the candidate miner's loop (tests call `produceBlock()`); the BFT driver still runs. */
  manualBlocks?: boolean;
  /**
   * The p2p network (from @baios/p2p; `LoopbackNetwork` in tests). When given, the node relays
   * accepted transactions and its produced blocks, imports finalized blocks from peers
   * (validateBlock on the worker pool + certificate check, catching up with `requestBlocks`),
   * and serves its blocks to peers.
   */
  network?: Network;
  /**
   * The p2p transport to run the node on (a `MemoryP2P` in unit tests). Without it, a node whose
   * `config.p2pListen` is non-empty creates one with `createP2P` (libp2p; peer key in
   * `<dataDir>/p2p/peer.key`). See net/p2pnode.ts.
   */
  p2p?: P2P;
  /** With `config.fastSync` on a fresh data dir: the transport for the bootstrap (tests; default a dial-only libp2p node). Stopped afterwards. */
  fastSyncP2p?: P2P;
  /** `false`: no Dandelion++ (own txs are fluffed at once; unit tests). Default on with p2p. */
  dandelion?: boolean;
  /** Overrides of the Dandelion++ router's parameters (tests), applied over the config's. */
  dandelionParams?: Partial<DandelionParams>;
  /** Background sync period in ms (default 5000; net/sync.ts). */
  syncIntervalMs?: number;
  /** Overrides of the RPC listener's limits (docs/node.md §Limits; tests and embedding). */
  rpcLimits?: Partial<RpcServerLimits>;
  /** BFT round timeouts (ms; docs/consensus.md §2), e.g. shorter ones in tests. */
  bftTimeouts?: Partial<BftTimeouts>;
  /** Blocks asked per catch-up request (default `CATCH_UP_BATCH` = 64; import.ts). */
  catchUpBatch?: number;
  /** K of the node's cascade (default 64, docs/cascade.md §2; every node of a chain must use the same): tests pass a small K so levels fill on short chains. */
  cascadePerLevel?: number;
}

/** A running node. */
export interface NodeHandle {
  /** JSON-RPC endpoint (POST). */
  rpcUrl: string;
  /** Prometheus endpoint (GET), or undefined when metrics are off. */
  metricsUrl: string | undefined;
  config: NodeConfig;
  params: ChainParams;
  chain: Chain;
  mempool: Mempool;
  metrics: NodeMetrics;
  /** The consensus side: executor (staking state), candidates, evidence, miner, BFT driver. */
  consensus: NodeConsensus;
  /** The RPC cookie file (docs/node.md §Authentication), or undefined when authentication is off. */
  rpcCookieFile: string | undefined;
  /** The RPC token of this run (64 hex characters; also in `rpcCookieFile`), or undefined when authentication is off. */
  rpcToken: string | undefined;
  /** A client for this node's RPC (carries `rpcToken`). */
  client: NodeRpcClient;
  /** Validates a transaction (bytes) and adds it to the mempool; returns the txid. */
  submitTx(bytes: Uint8Array): Promise<Uint8Array>;
  /**
   * Validates a finalized block from elsewhere (wire bytes + certificate bytes) and commits it
   * (import.ts: certificate first, then full validation by the executor). Resolves without change
   * when this very block is already final.
   * @throws ConsensusError (block or certificate invalid: `CERT_*`, `BLOCK_*`, `STAKE_*`, …), ChainError
   *   (does not extend the tip), SafetyFailureError (another certified block at a final height:
   *   evidence stored, logged at error level, `baios_safety_failures_total` incremented)
   */
  importBlock(blockBytes: Uint8Array, certBytes: Uint8Array): Promise<void>;
  /** Mines one candidate now and waits until a block above the current tip is finalized (a single validator: at once). */
  produceBlock(): Promise<{ height: bigint; hash: Uint8Array }>;
  /** The node's p2p side (peers, sync, Dandelion++), or undefined without p2p. */
  net: NodeNetwork | undefined;
  /** Background pruning of block bodies (`--mode pruned`, node/src/prune.ts), or undefined on an archive node. */
  pruner: Pruner | undefined;
  /** Stops the miner and the BFT driver, the servers and the workers, then closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a node. @throws ConfigError, StoreError (inconsistent or foreign data directory) */
export async function startNode(config: NodeConfig, opts: StartNodeOptions = {}): Promise<NodeHandle> {
  const log = opts.log ?? createLogger(config.logLevel, config.logFile);
  log.info({ config: redactConfig(config) }, "starting node");
  const metrics = createMetrics({ version: NODE_VERSION });
  const genesis = opts.genesis ?? (await loadGenesis(config.genesisPath));
  const params = genesis.params;

  // --fast-sync: a fresh data dir is bootstrapped from a verified snapshot (sync/bootstrap.ts, docs/sync.md)
  const cascadeParams = nodeCascadeParams(params, opts.cascadePerLevel);
  await maybeFastSync(config, genesis, log, opts.fastSyncP2p, cascadeParams);
  const store = await Store.open(join(config.dataDir, "chain"), { sync: config.syncWrites });
  const cleanups: (() => Promise<void>)[] = [() => store.close()];
  const cleanup = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const chain = await Chain.open(store, genesis.block, genesis.certificate, { log: log.child({ mod: "chain" }), metrics, cascade: cascadeParams });
    log.info({ height: chain.tip.height, hash: hex(chain.tipHash), outputs: chain.tip.outputs }, "chain opened");

    const mempool = new Mempool({ maxBytes: config.mempoolMaxBytes, maxTxs: config.mempoolMaxTxs });
    mempool.onEvict = () => metrics.mempoolEvicted.inc();

    // two lanes (docs/node.md §Validation and the worker pool): blocks before queued txs; the tx lane is bounded
    let blockLane: Verifier = localVerifier;
    let txLane: Verifier = localVerifier;
    let ownTxLane: Verifier = localVerifier;
    if (config.workers > 0) {
      const pool = new WorkerPool(config.workers, { log: log.child({ mod: "workers" }), metrics, txQueueMaxJobs: config.workerQueueMax, txQueueMaxWaitMs: config.workerQueueMaxWaitMs, ringCacheEntries: config.ringCacheEntries });
      cleanups.push(() => pool.close());
      await pool.ready();
      blockLane = pool.forBlocks();
      txLane = pool.forTxs();
      ownTxLane = pool.forOwnTxs();
    } else {
      // Inline validation: this thread's WebAssembly instance (shared by every node in the process).
      ringCacheConfigure(config.ringCacheEntries);
    }
    // time spent in the expensive steps (workers)
    const timed = (verifier: Verifier): Verifier => ({
      async verifyMlsag(jobs) {
        const end = metrics.txValidationSeconds.startTimer({ stage: "mlsag" });
        try {
          await verifier.verifyMlsag(jobs);
        } finally {
          end();
        }
      },
      async verifyRangeProofs(jobs) {
        const end = metrics.txValidationSeconds.startTimer({ stage: "range_proof" });
        try {
          await verifier.verifyRangeProofs(jobs);
        } finally {
          end();
        }
      },
      ...(verifier.verifyTx === undefined
        ? {}
        : {
            async verifyTx(job: TxVerifyJob) {
              const end = metrics.txValidationSeconds.startTimer({ stage: "mlsag_range" });
              try {
                await verifier.verifyTx?.(job);
              } finally {
                end();
              }
            },
          }),
    });
    // MLSAGs and range proofs checked at intake are not checked again in the block (workers/verified-cache.ts)
    const verified = new VerifiedCache();
    const blockVerifier = cachingVerifier(timed(blockLane), verified);

    // submit_tx: range proofs of txs arriving together are batch-verified (blocks batch their own)
    const submitVerifier = new RangeProofBatcher(cachingVerifier(timed(txLane), verified));
    // this node's own submissions (submit_tx): the same bounded lane, served before relayed txs (workers/pool.ts)
    const ownSubmitVerifier = new RangeProofBatcher(cachingVerifier(timed(ownTxLane), verified));

    // consensus (docs/consensus.md §6): executor + staking state, candidates, evidence, miner, BFT driver
    const seed = config.validator ? readValidatorSeed(config) : undefined;
    if (config.validator && config.payout === undefined) throw new Error("validator: no payout address");
    const payout = config.payout === undefined ? undefined : { viewPublic: Uint8Array.from(Buffer.from(config.payout.viewPublic, "hex")), spendPublic: Uint8Array.from(Buffer.from(config.payout.spendPublic, "hex")) };
    const consensus = await createConsensus({
      params,
      genesisValidators: genesis.validators,
      chain,
      mempool,
      verifier: blockVerifier,
      dataDir: config.dataDir,
      ...(seed === undefined ? {} : { validatorSeed: seed }),
      ...(payout === undefined ? {} : { payout }),
      mine: config.mine,
      mineHashRate: config.mineHashRate,
      emptyBlocks: config.emptyBlocks,
      ...bftTimeoutsOf(config, opts.bftTimeouts),
      metrics,
      log,
    });
    cleanups.push(() => consensus.stop());
    const executor = consensus.executor;

    // --mode pruned (prune.ts): bodies deeper than D go after each commit, in their own batches (never the block's)
    // --prune-depth overrides D (devnets, tests); W stays ≥ D so every stored body keeps its S
    const windows = pruneWindowsFor(params);
    if (config.pruneDepth !== undefined) Object.assign(windows, { bodyDepth: config.pruneDepth, stateDepth: Math.max(windows.stateDepth, config.pruneDepth) });
    const pruner = config.mode === "pruned" ? new Pruner(store, windows, { log: log.child({ mod: "prune" }) }) : undefined;
    if (pruner !== undefined) {
      chain.listeners.add(() => pruner.schedule());
      cleanups.push(() => pruner.stop());
      pruner.schedule();
    }

    // one pipeline for submit_tx, gossip and the stem phase (net/txrelay.ts)
    const intake = new TxIntake({ chain, mempool, params, verifier: submitVerifier, ownVerifier: ownSubmitVerifier, metrics, log: log.child({ mod: "tx" }) });
    const submitTx = (bytes: Uint8Array): Promise<Uint8Array> => intake.submit(bytes, { own: true });

    // certificate first, safety failures kept as evidence, bounded catch-up (import.ts); commits through the executor
    const importer = new BlockImporter({ params, chain, mempool, executor, onImported: (h) => consensus.driver?.onExternalCommit(h), verifier: blockVerifier, metrics, log: log.child({ mod: "import" }), ...(opts.catchUpBatch === undefined ? {} : { catchUpBatch: opts.catchUpBatch }) });
    const importBlock = async (blockBytes: Uint8Array, certBytes: Uint8Array): Promise<void> => {
      await importer.importBlock(blockBytes, certBytes);
    };

    const network = opts.network;
    // the libp2p network (net/p2pnode.ts): topics, sync protocols, Dandelion++
    let net: NodeNetwork | undefined;
    const p2p = opts.p2p ?? (config.p2pListen.length > 0 ? await createP2P({ chainId: params.chainId, dataDir: config.dataDir, listen: config.p2pListen, bootstrap: config.bootstrap, limits: { maxConnections: config.maxPeers } }) : undefined);
    if (p2p !== undefined) {
      net = new NodeNetwork({
        p2p,
        chain,
        params,
        validatorSet: () => executor.setFor(BigInt(chain.tip.height) + 1n).set,
        consensusTopics: consensus.topics,
        consensusProtocols: consensus.protocols,
        intake,
        importer,
        metrics,
        log: log.child({ mod: "net" }),
        announceBlocks: config.validator,
        ...(opts.syncIntervalMs === undefined ? {} : { syncIntervalMs: opts.syncIntervalMs }),
        ...(opts.catchUpBatch === undefined ? {} : { syncBatch: opts.catchUpBatch }),
        ...(opts.dandelion === false
          ? {}
          : {
              makeRouter: (n: NodeNetwork) =>
                new NodeDandelion({
                  p2p: n.p2p,
                  chain,
                  mempool,
                  intake,
                  maxTxBytes: params.maxTxBytes,
                  log: log.child({ mod: "dandelion" }),
                  params: {
                    ...(config.dandelionEpochMs === undefined ? {} : { epochMs: config.dandelionEpochMs, epochJitterMs: Math.floor(config.dandelionEpochMs / 20) }),
                    ...(config.dandelionEmbargoMs === undefined ? {} : { embargoMeanMs: config.dandelionEmbargoMs, embargoMaxMs: 5 * config.dandelionEmbargoMs }),
                    ...opts.dandelionParams,
                  },
                }),
            }),
      });
      const n = net;
      await n.start();
      cleanups.push(() => n.stop());
    }
    const networkSubmit = async (bytes: Uint8Array): Promise<Uint8Array> => {
      if (net !== undefined) return net.submitOwn(bytes); // Dandelion++: stemmed, public only once fluffed
      const id = await submitTx(bytes);
      if (network !== undefined) void network.publishTx({ phase: "stem", bytes }).catch(() => undefined);
      return id;
    };
    if (network !== undefined) {
      // handlers (net/handlers.ts): txs → intake, blocks → importer, votes → engine
      await network.start(createHandlers({ network, intake, importer, log: log.child({ mod: "net" }) }));
      cleanups.push(() => network.stop());
      if (config.validator) announceOwnBlocks(chain, network, log); // validators announce the blocks they finalize
    }

    const methods = createMethods({ chain, mempool, params, submitTx: networkSubmit, validatorKey: consensus.localKey, validators: genesis.validators, submitUnbond: (u) => consensus.submitUnbond(u), staking: () => ({ state: consensus.executor.stakingState, params: consensus.executor.stakingParams, setStartHeight: consensus.executor.setFor(consensus.executor.tipHeight() + 1n).startHeight }), version: NODE_VERSION, mode: config.mode, network: net === undefined ? undefined : () => withIsolationWarning(networkStatusJson(net, config.restrictedRpc), config.validator) });
    const separateMetrics = config.metrics && config.metricsPort !== undefined;
    // RPC authentication (docs/node.md §Authentication): a fresh cookie per start, removed at stop
    const cookieFile = config.rpcDisableAuth ? undefined : (config.rpcCookieFile ?? join(config.dataDir, "rpc.cookie"));
    const rpcToken = cookieFile === undefined ? undefined : generateToken();
    if (cookieFile !== undefined && rpcToken !== undefined) {
      writeTokenFile(cookieFile, rpcToken);
      cleanups.push(async () => {
        if (existsSync(cookieFile) && readFileSync(cookieFile, "utf8").trim() === rpcToken) rmSync(cookieFile, { force: true });
      });
    }
    const guard = { token: rpcToken, allowOrigins: config.rpcAllowOrigins, allowHosts: config.rpcAllowHosts };
    const http: HttpServerHandle = await startHttpServer({
      host: config.rpcHost,
      port: config.rpcPort,
      methods,
      metrics,
      serveMetrics: config.metrics && !separateMetrics,
      log: log.child({ mod: "rpc" }),
      ...guard,
      restricted: config.restrictedRpc,
      ...(opts.rpcLimits === undefined ? {} : { limits: opts.rpcLimits }),
      estimateBytes: (method, p, limits) => estimateResponseBytes({ tipHeight: () => chain.tip.height, cumulativeOutputs: (h) => chain.store.getCumulativeOutputs(h) }, method, p, limits),
    });
    cleanups.push(() => http.close());
    // a full node with no peer learns nothing: say so in the log (once per episode) and in status
    if (!config.validator) {
      let warned = false;
      const check = (): void => {
        const isolated = net === undefined || net.status().peers.length === 0;
        if (isolated && !warned) log.warn({ p2p: net !== undefined }, net === undefined ? `${ISOLATED_WARNING} (p2p is off: no --p2p-listen)` : ISOLATED_WARNING);
        warned = isolated;
      };
      const t = setInterval(check, opts.isolationCheckMs ?? 30_000);
      t.unref();
      if (net === undefined) check();
      cleanups.push(async () => clearInterval(t));
    }
    let metricsUrl: string | undefined = config.metrics && !config.restrictedRpc ? `${http.url}/metrics` : undefined;
    if (separateMetrics) {
      const m = await startMetricsServer(config.rpcHost, config.metricsPort as number, metrics, guard);
      cleanups.push(() => m.close());
      metricsUrl = `${m.url}/metrics`;
    }
    const n2 = net;
    await consensus.start(
      n2 === undefined ? noPublish : consensusPublisher((topic, bytes) => n2.p2p.publish(topic, bytes), params.chainId),
      { manual: opts.manualBlocks === true, ...(n2 === undefined ? {} : { p2p: n2.p2p }) },
    );
    log.info({ rpc: http.url, rpcAuth: cookieFile === undefined ? "off" : "cookie", cookieFile, restrictedRpc: config.restrictedRpc, metrics: metricsUrl, validator: consensus.localKey !== undefined }, "node started");

    let stopped: Promise<void> | undefined;
    return {
      rpcUrl: http.url,
      metricsUrl,
      config,
      params,
      chain,
      mempool,
      metrics,
      consensus,
      rpcCookieFile: cookieFile,
      rpcToken,
      client: new NodeRpcClient(http.url, { token: rpcToken }),
      submitTx: networkSubmit,
      importBlock,
      net,
      pruner,
      produceBlock: async () => {
        await consensus.produceBlock();
        return { height: BigInt(chain.tip.height), hash: chain.tipHash };
      },
      stop: () => {
        stopped ??= (async () => {
          log.info("stopping node");
          await cleanup();
          log.info("node stopped");
          log.flush?.();
        })();
        return stopped;
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/**
 * Prometheus metrics (prom-client). One registry per node (several nodes may share a process in
 * tests), every name prefixed `baios_`, units in the names (`_seconds`, `_bytes`, `_total`).
 * The full list is in docs/node.md §Metrics.
 * @module
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

let commit: string | undefined;
/** The git commit of this source tree (12 hex digits; env `BAIOS_COMMIT` first), "unknown" outside a git checkout. Asked once per process. */
export function buildCommit(): string {
  commit ??= process.env["BAIOS_COMMIT"] ?? gitCommit();
  return commit;
}
function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: fileURLToPath(new URL(".", import.meta.url)), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2000 }).trim() || "unknown";
  } catch {
    return "unknown";
  }
}

/** Prefix of every metric name in a node's registry, prom-client's default `baios_process_*` / `baios_nodejs_*` metrics included (docs/node.md §Metrics). */
export const METRIC_PREFIX = "baios_";

const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** All metrics of one node. */
export interface NodeMetrics {
  registry: Registry;
  chainHeight: Gauge;
  outputs: Gauge;
  keyImages: Gauge;
  blocksCommitted: Counter;
  txsCommitted: Counter;
  /** Second certified blocks at a final height (evidence kept, docs/node.md §Safety failures). */
  safetyFailures: Counter;
  blockCommitSeconds: Histogram;
  blockProduceSeconds: Histogram;
  /** Seconds from a decided candidate's arrival to its finality certificate (docs/consensus.md §6). */
  finalityLatency: Histogram;
  blockBytes: Histogram;
  mempoolTxs: Gauge;
  mempoolBytes: Gauge;
  mempoolEvicted: Counter;
  txAccepted: Counter;
  txRejected: Counter<"code">;
  txValidationSeconds: Histogram<"stage">;
  rpcRequests: Counter<"method" | "outcome">;
  rpcRequestSeconds: Histogram<"method">;
  workerTasks: Counter<"kind">;
  workerQueueLength: Gauge;
  workerQueueJobs: Gauge<"lane">;
  workerQueueRejected: Counter<"lane">;
  workerThreads: Gauge;
  /** Ring-member cache of the validation threads, summed over them (node/src/ring-cache-metrics.ts). */
  ringCacheHits: Counter;
  ringCacheMisses: Counter;
  ringCacheEntries: Gauge;
  /** `baios_build_info{version,node,commit} 1` (issue 12). */
  buildInfo: Gauge<"version" | "node" | "commit">;
  /** Time of the finalized tip's header (ms since the epoch), read by `baios_last_block_age_seconds` at scrape time; set by the chain. */
  lastBlockTimeMs: { value: number | undefined };
}

/** Creates a registry with the node's metrics and the default process metrics (`baios_process_*`, `baios_nodejs_*`). */
export function createMetrics(opts: { defaultMetrics?: boolean; version?: string } = {}): NodeMetrics {
  const registry = new Registry();
  const lastBlockTimeMs: { value: number | undefined } = { value: undefined };
  new Gauge({
    name: `${METRIC_PREFIX}last_block_age_seconds`,
    help: "Seconds since the finalized tip's block time (header timeMs); NaN before the first block",
    registers: [registry],
    collect() {
      this.set(lastBlockTimeMs.value === undefined ? Number.NaN : Math.max(0, (Date.now() - lastBlockTimeMs.value) / 1000));
    },
  });
  const buildInfo = new Gauge({ name: `${METRIC_PREFIX}build_info`, help: "Constant 1, labelled with the node version, the Node.js version and the git commit", labelNames: ["version", "node", "commit"] as const, registers: [registry] });
  buildInfo.set({ version: opts.version ?? "unknown", node: process.versions.node, commit: buildCommit() }, 1);
  if (opts.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    // prom-client names a few gauges like counters (nodejs_active_{resources,handles,requests}_total);
    // drop them: the same numbers are in the labelled baios_nodejs_active_{resources,handles,requests}{type}
    for (const m of registry.getMetricsAsArray()) if (m instanceof Gauge && m.name.endsWith("_total")) registry.removeSingleMetric(m.name);
  }
  const p = METRIC_PREFIX;
  const registers = [registry];
  return {
    registry,
    buildInfo,
    lastBlockTimeMs,
    chainHeight: new Gauge({ name: `${p}chain_height`, help: "Height of the finalized tip", registers }),
    outputs: new Gauge({ name: `${p}chain_outputs`, help: "Number of outputs in the output set (= MMR leaf count)", registers }),
    keyImages: new Gauge({ name: `${p}chain_key_images`, help: "Number of spent key images", registers }),
    blocksCommitted: new Counter({ name: `${p}blocks_committed_total`, help: "Blocks committed to storage", registers }),
    txsCommitted: new Counter({ name: `${p}txs_committed_total`, help: "Non-coinbase transactions committed in blocks", registers }),
    safetyFailures: new Counter({ name: `${p}safety_failures_total`, help: "Second certified blocks at an already final height (both certificates kept as evidence)", registers }),
    blockCommitSeconds: new Histogram({ name: `${p}block_commit_seconds`, help: "Time to apply and write one block batch", buckets: FAST_BUCKETS, registers }),
    finalityLatency: new Histogram({ name: `${p}finality_latency_seconds`, help: "Time from the decided candidate's arrival to its finality certificate", buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30], registers }),
    blockProduceSeconds: new Histogram({ name: `${p}block_produce_seconds`, help: "Time to assemble, validate, sign and commit one block", buckets: FAST_BUCKETS, registers }),
    blockBytes: new Histogram({ name: `${p}block_size_bytes`, help: "Encoded size of committed blocks", buckets: [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304], registers }),
    mempoolTxs: new Gauge({ name: `${p}mempool_txs`, help: "Transactions in the mempool", registers }),
    mempoolBytes: new Gauge({ name: `${p}mempool_size_bytes`, help: "Encoded bytes of the mempool's transactions", registers }),
    mempoolEvicted: new Counter({ name: `${p}mempool_evicted_total`, help: "Transactions evicted by the mempool size limit", registers }),
    txAccepted: new Counter({ name: `${p}tx_accepted_total`, help: "Transactions accepted into the mempool", registers }),
    txRejected: new Counter({ name: `${p}tx_rejected_total`, help: "Transactions rejected, by ConsensusError code", labelNames: ["code"], registers }),
    txValidationSeconds: new Histogram({
      name: `${p}tx_validation_seconds`,
      help: "Transaction validation time by stage: total (whole pipeline per submitted tx), mlsag, range_proof and mlsag_range (steps 6–7 of one tx in one call; worker-pool tasks)",
      labelNames: ["stage"],
      buckets: FAST_BUCKETS,
      registers,
    }),
    rpcRequests: new Counter({ name: `${p}rpc_requests_total`, help: "JSON-RPC requests by method and outcome (ok|error)", labelNames: ["method", "outcome"], registers }),
    rpcRequestSeconds: new Histogram({ name: `${p}rpc_request_seconds`, help: "JSON-RPC request latency by method", labelNames: ["method"], buckets: FAST_BUCKETS, registers }),
    workerTasks: new Counter({ name: `${p}worker_tasks_total`, help: "Tasks run by the validation worker pool, by kind", labelNames: ["kind"], registers }),
    workerQueueLength: new Gauge({ name: `${p}worker_queue_length`, help: "Tasks waiting for a validation worker", registers }),
    workerQueueJobs: new Gauge({ name: `${p}worker_queue_jobs`, help: "Jobs waiting for a validation worker, by lane (block|tx)", labelNames: ["lane"], registers }),
    workerQueueRejected: new Counter({ name: `${p}worker_queue_rejected_total`, help: "Validation calls refused with NODE_BUSY because their lane's queue was full, by lane (block|tx)", labelNames: ["lane"], registers }),
    workerThreads: new Gauge({ name: `${p}worker_threads`, help: "Validation worker threads", registers }),
    ringCacheHits: new Counter({ name: `${p}ring_cache_hits_total`, help: "MLSAG ring members found in the validation threads' ring-member caches", registers }),
    ringCacheMisses: new Counter({ name: `${p}ring_cache_misses_total`, help: "MLSAG ring members decoded because they were not cached", registers }),
    ringCacheEntries: new Gauge({ name: `${p}ring_cache_entries`, help: "Decoded ring members held, summed over the validation threads (about 0.6 KB each)", registers }),
  };
}

// The tx lane's wait bound (docs/node.md §Backpressure): a transaction task that finds no free
// validation worker within `txQueueMaxWaitMs` leaves the queue unrun and its call fails with
// NODE_BUSY at that deadline, instead of waiting for the block work (priority lane) or the backlog
// in front of it however long that takes. Real worker threads.
import { beforeAll, describe, expect, it } from "vitest";
import type { MlsagJob } from "@baios/consensus";
import { ConfigError, defaultConfig, loadConfig } from "../src/config.ts";
import { createMetrics } from "../src/metrics.ts";
import { NodeBusyError } from "../src/workers/busy.ts";
import { DEFAULT_TX_QUEUE_MAX_WAIT_MS, WorkerPool } from "../src/workers/pool.ts";
import { testGenesis, premineMlsagJobs } from "./helpers/fixture.ts";

const validJobs = premineMlsagJobs;

describe("worker pool: tx-lane wait bound", () => {
  let jobs: MlsagJob[];
  beforeAll(async () => {
    jobs = validJobs(await testGenesis(), 4);
  });

  it("tx calls queued behind block work longer than the bound fail NODE_BUSY at their deadline, before that work ends; nothing of them runs", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const WAIT = 100;
    const pool = new WorkerPool(1, { metrics, txQueueMaxWaitMs: WAIT });
    try {
      await pool.ready();
      // ~480 ring-11 MLSAG verifications on the priority lane: far longer than WAIT on any machine
      const t0 = performance.now();
      let blockDoneAt = Infinity;
      const block = Promise.all(Array.from({ length: 60 }, () => pool.forBlocks().verifyMlsag([...jobs, ...jobs]))).then(() => (blockDoneAt = performance.now() - t0));
      const tasksBefore = (await metrics.workerTasks.get()).values.reduce((a, v) => a + v.value, 0);
      const tx = await Promise.all(
        Array.from({ length: 5 }, async (_, i) => {
          const s = performance.now();
          try {
            await pool.forTxs().verifyMlsag([jobs[i % jobs.length]!]);
            return { ok: true as const, ms: performance.now() - s, at: performance.now() - t0 };
          } catch (err) {
            return { ok: false as const, err, ms: performance.now() - s, at: performance.now() - t0 };
          }
        }),
      );
      await block;
      for (const r of tx) {
        expect(r.ok).toBe(false);
        expect(r.ok ? undefined : r.err).toBeInstanceOf(NodeBusyError);
        expect((r.ok ? undefined : (r.err as NodeBusyError))?.toJSON()).toMatchObject({ code: "NODE_BUSY", action: "IGNORE", lane: "tx" });
        expect(r.ms).toBeGreaterThanOrEqual(WAIT - 1);
        expect(r.ms).toBeLessThan(WAIT + 1000);
        expect(r.at).toBeLessThan(blockDoneAt); // answered while the block work still ran
      }
      // only the 60 block tasks ran after the tx calls were queued: the refused ones never reached a worker
      const tasksAfter = (await metrics.workerTasks.get()).values.reduce((a, v) => a + v.value, 0);
      expect(tasksAfter - tasksBefore).toBeLessThanOrEqual(60);
      expect(pool.queuedJobs("tx")).toBe(0);
      expect((await metrics.workerQueueRejected.get()).values.find((v) => v.labels["lane"] === "tx")?.value).toBe(5);
      // the pool goes on: with the worker free, a tx call runs and succeeds
      await expect(pool.forTxs().verifyMlsag([jobs[0]!])).resolves.toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it("own submissions (forOwnTxs) queued behind relayed ones (forTxs) run first; both share the tx lane's bounds", async () => {
    const pool = new WorkerPool(1, { txQueueMaxWaitMs: 60_000, txQueueMaxJobs: 1_000 });
    try {
      await pool.ready();
      const order: string[] = [];
      const relayed = Array.from({ length: 30 }, (_, i) => pool.forTxs().verifyMlsag([jobs[i % jobs.length]!]).then(() => void order.push(`r${i}`)));
      const own = Array.from({ length: 3 }, (_, i) => pool.forOwnTxs().verifyMlsag([jobs[i % jobs.length]!]).then(() => void order.push(`o${i}`)));
      expect(pool.queuedJobs("tx")).toBeGreaterThanOrEqual(30); // one relayed task may already run; the rest and the own ones are queued, counted in the tx lane
      await Promise.all([...relayed, ...own]);
      // at most the relayed task already running when the own ones arrived finishes before them
      const lastOwn = Math.max(...["o0", "o1", "o2"].map((o) => order.indexOf(o)));
      expect(lastOwn).toBeLessThanOrEqual(3);
      expect(order).toHaveLength(33);
    } finally {
      await pool.close();
    }
  });

  it("calls that reach a worker within the bound are not refused (a short backlog drains normally)", async () => {
    const pool = new WorkerPool(1, { txQueueMaxWaitMs: 60_000 });
    try {
      await pool.ready();
      const rs = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => pool.forTxs().verifyMlsag([jobs[i % jobs.length]!])));
      expect(rs.every((r) => r.status === "fulfilled")).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("workerQueueMaxWaitMs: default 2000 ms, --worker-queue-max-wait-ms / BAIOS_WORKER_QUEUE_MAX_WAIT_MS, at least 1", () => {
    expect(DEFAULT_TX_QUEUE_MAX_WAIT_MS).toBe(2000);
    expect(defaultConfig().workerQueueMaxWaitMs).toBe(2000);
    expect(loadConfig({ argv: ["--data-dir", "/nonexistent-baios", "--worker-queue-max-wait-ms", "750"] }).workerQueueMaxWaitMs).toBe(750);
    expect(loadConfig({ argv: ["--data-dir", "/nonexistent-baios"], env: { BAIOS_WORKER_QUEUE_MAX_WAIT_MS: "900" } }).workerQueueMaxWaitMs).toBe(900);
    expect(() => loadConfig({ argv: ["--data-dir", "/nonexistent-baios", "--worker-queue-max-wait-ms", "0"] })).toThrow(ConfigError);
    expect(() => new WorkerPool(1, { txQueueMaxWaitMs: 0 })).toThrow(RangeError);
  });
});

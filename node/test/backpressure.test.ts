// Worker-pool backpressure (issue 6, "Worker-pool backpressure"): a flood of transaction jobs is
// refused over the tx-lane bound with a typed NODE_BUSY error (action IGNORE) counted in
// baios_worker_queue_rejected_total; block jobs take a priority lane the flood cannot starve.
// Real worker threads throughout.
import { beforeAll, describe, expect, it } from "vitest";
import type { MlsagJob } from "@baios/consensus";
import { ConfigError, defaultConfig, loadConfig } from "../src/config.ts";
import { createMetrics } from "../src/metrics.ts";
import { NodeBusyError } from "../src/workers/busy.ts";
import { WorkerPool } from "../src/workers/pool.ts";
import { testGenesis, premineMlsagJobs } from "./helpers/fixture.ts";

type Genesis = Awaited<ReturnType<typeof testGenesis>>;

const validJobs = premineMlsagJobs;

async function rejectedTotal(metrics: ReturnType<typeof createMetrics>, lane: "tx" | "block"): Promise<number> {
  const m = await metrics.workerQueueRejected.get();
  return m.values.find((v) => v.labels["lane"] === lane)?.value ?? 0;
}

describe("worker pool backpressure (real worker threads)", () => {
  let genesis: Genesis;
  let jobs: MlsagJob[];
  beforeAll(async () => {
    genesis = await testGenesis();
    jobs = validJobs(genesis, 4);
  });

  it("a flood of N ≫ bound tx jobs: the excess fails fast with NODE_BUSY, counted, queue stays bounded", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const BOUND = 16;
    const N = 3000;
    const pool = new WorkerPool(1, { metrics, txQueueMaxJobs: BOUND });
    try {
      await pool.ready();
      const tx = pool.forTxs();
      const settled: { ok: boolean; err?: unknown; at: number }[] = [];
      let seq = 0;
      let maxQueued = 0;
      const all: Promise<void>[] = [];
      for (let i = 0; i < N; i++) {
        const p = tx.verifyMlsag([jobs[i % jobs.length]!]).then(
          () => void settled.push({ ok: true, at: seq++ }),
          (err: unknown) => void settled.push({ ok: false, err, at: seq++ }),
        );
        all.push(p);
        maxQueued = Math.max(maxQueued, pool.queuedJobs("tx"));
      }
      // memory stays bounded: never more than BOUND jobs wait, whatever N is
      expect(maxQueued).toBeLessThanOrEqual(BOUND);
      expect((await metrics.workerQueueJobs.get()).values.find((v) => v.labels["lane"] === "tx")?.value).toBeLessThanOrEqual(BOUND);
      await Promise.all(all);
      const ok = settled.filter((s) => s.ok);
      const busy = settled.filter((s) => !s.ok);
      // one job starts at once on the idle worker, BOUND more wait; every other call is refused
      expect(ok).toHaveLength(BOUND + 1);
      expect(busy).toHaveLength(N - BOUND - 1);
      for (const b of busy) {
        expect(b.err).toBeInstanceOf(NodeBusyError);
        const e = b.err as NodeBusyError;
        expect(e.code).toBe("NODE_BUSY");
        expect(e.action).toBe("IGNORE");
        expect(e.lane).toBe("tx");
        expect(e.toJSON()).toMatchObject({ code: "NODE_BUSY", action: "IGNORE", lane: "tx" });
      }
      // fail fast: every refusal settled before the first admitted job finished
      const firstOk = Math.min(...ok.map((s) => s.at));
      expect(Math.max(...busy.map((s) => s.at))).toBeLessThan(firstOk);
      expect(await rejectedTotal(metrics, "tx")).toBe(N - BOUND - 1);
      expect(await rejectedTotal(metrics, "block")).toBe(0);
      expect(pool.queuedJobs("tx")).toBe(0);
      // once drained, the lane takes work again
      await expect(tx.verifyMlsag(jobs)).resolves.toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it("a block-lane job submitted during a tx flood runs before the queued tx jobs and is never refused by the tx bound", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const BOUND = 24;
    const pool = new WorkerPool(1, { metrics, txQueueMaxJobs: BOUND });
    try {
      await pool.ready();
      const order: string[] = [];
      const txCalls: Promise<unknown>[] = [];
      // fill the tx lane past its bound
      for (let i = 0; i < 200; i++) {
        txCalls.push(
          pool
            .forTxs()
            .verifyMlsag([jobs[i % jobs.length]!])
            .then(
              () => void order.push("tx"),
              (e: unknown) => {
                if (!(e instanceof NodeBusyError)) throw e;
              },
            ),
        );
      }
      expect(pool.queuedJobs("tx")).toBe(BOUND);
      // the tx lane is full, yet the block lane admits a whole block's worth of jobs
      const blockJobs = [...jobs, ...jobs];
      const block = pool
        .forBlocks()
        .verifyMlsag(blockJobs)
        .then(() => void order.push("block"));
      expect(pool.queuedJobs("block")).toBe(blockJobs.length);
      await Promise.all([block, ...txCalls]);
      expect(order.filter((o) => o === "tx")).toHaveLength(BOUND + 1);
      // only the tx job already running when the block arrived may finish first
      expect(order.indexOf("block")).toBeLessThanOrEqual(1);
      expect(await rejectedTotal(metrics, "block")).toBe(0);
      expect(await rejectedTotal(metrics, "tx")).toBe(200 - BOUND - 1);
    } finally {
      await pool.close();
    }
  });

  it("the block lane has its own bound; an oversized call is admitted into an empty lane", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const pool = new WorkerPool(1, { metrics, txQueueMaxJobs: 2, blockQueueMaxJobs: 3 });
    try {
      await pool.ready();
      const b = pool.forBlocks();
      const first = b.verifyMlsag([jobs[0]!]); // runs at once
      const big = b.verifyMlsag([...jobs, ...jobs]); // 8 > 3, but the lane is empty: admitted
      const refused = await b.verifyMlsag([jobs[0]!]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(NodeBusyError);
      expect((refused as NodeBusyError).lane).toBe("block");
      await Promise.all([first, big]);
      expect(await rejectedTotal(metrics, "block")).toBe(1);
      expect(() => new WorkerPool(1, { txQueueMaxJobs: 0 })).toThrow(RangeError);
    } finally {
      await pool.close();
    }
  });

  it("workerQueueMax: default 1024, set by --worker-queue-max / BAIOS_WORKER_QUEUE_MAX, at least 1", () => {
    expect(defaultConfig().workerQueueMax).toBe(1024);
    expect(loadConfig({ argv: ["--data-dir", "/nonexistent-baios", "--worker-queue-max", "7"] }).workerQueueMax).toBe(7);
    expect(loadConfig({ argv: ["--data-dir", "/nonexistent-baios"], env: { BAIOS_WORKER_QUEUE_MAX: "9" } }).workerQueueMax).toBe(9);
    expect(() => loadConfig({ argv: ["--data-dir", "/nonexistent-baios", "--worker-queue-max", "0"] })).toThrow(ConfigError);
  });
});

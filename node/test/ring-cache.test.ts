// The ring-member cache from the node's side: `--ring-cache-entries` reaches every worker's
// WebAssembly instance, and the workers' counters are summed into baios_ring_cache_* metrics.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MlsagJob } from "@baios/consensus";
import { ConfigError, loadConfig } from "../src/config.ts";
import { createMetrics } from "../src/metrics.ts";
import { WorkerPool } from "../src/workers/pool.ts";
import { testGenesis, premineMlsagJobs } from "./helpers/fixture.ts";

async function jobs(count: number): Promise<MlsagJob[]> {
  return premineMlsagJobs(await testGenesis(), count);
}

const metricValue = async (text: string, name: string): Promise<number> => {
  const m = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
  if (m === null) throw new Error(`${name} not in metrics`);
  return Number(m[1]);
};

describe("ring-member cache in the node", () => {
  it("--ring-cache-entries: default 8192, parsed, bounded", () => {
    const dir = mkdtempSync(join(tmpdir(), "baios-rc-"));
    expect(loadConfig({ argv: ["--data-dir", dir] }).ringCacheEntries).toBe(8192);
    expect(loadConfig({ argv: ["--data-dir", dir, "--ring-cache-entries", "100"] }).ringCacheEntries).toBe(100);
    expect(loadConfig({ argv: ["--data-dir", dir, "--ring-cache-entries", "0"] }).ringCacheEntries).toBe(0);
    expect(() => loadConfig({ argv: ["--data-dir", dir, "--ring-cache-entries", "2000000"] })).toThrow(ConfigError);
    expect(() => loadConfig({ argv: ["--data-dir", dir, "--ring-cache-entries", "-1"] })).toThrow(ConfigError);
  });

  it("workers configure their caches; hits, misses and entries reach the metrics", async () => {
    const js = await jobs(3);
    const members = js.reduce((n, j) => n + j.ringKeys.length, 0);
    const metrics = createMetrics({ defaultMetrics: false });
    const pool = new WorkerPool(1, { metrics, ringCacheEntries: 4096 });
    try {
      await pool.ready();
      await pool.verifyMlsag(js);
      const first = pool.ringCache.totals;
      expect(first.misses).toBeGreaterThan(0);
      expect(first.hits + first.misses).toBe(members);
      await pool.verifyMlsag(js);
      const second = pool.ringCache.totals;
      expect(second.hits - first.hits).toBe(members); // every member of the repeat was cached
      expect(second.entries).toBe(first.entries);
      const text = await metrics.registry.metrics();
      expect(await metricValue(text, "baios_ring_cache_hits_total")).toBe(second.hits);
      expect(await metricValue(text, "baios_ring_cache_misses_total")).toBe(second.misses);
      expect(await metricValue(text, "baios_ring_cache_entries")).toBe(second.entries);
    } finally {
      await pool.close();
    }
  });

  it("is off without the option, and bounded by it", async () => {
    const js = await jobs(3);
    for (const [entries, bound] of [
      [undefined, 0],
      [5, 5],
    ] as const) {
      const pool = new WorkerPool(1, { ringCacheEntries: entries });
      try {
        await pool.ready();
        await pool.verifyMlsag(js);
        await pool.verifyMlsag(js);
        const t = pool.ringCache.totals;
        expect(t.entries).toBe(bound);
        if (bound === 0) expect(t.hits + t.misses).toBe(0);
      } finally {
        await pool.close();
      }
    }
  });
});

/**
 * Issue 12, metrics: a build-info metric, the last block's age, and no gauge named like a counter
 * (`_total`) anywhere in the node or p2p sources (prom-client registries and the p2p/sync gauges).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMetrics } from "../src/metrics.ts";

describe("node metrics", () => {
  it("baios_build_info{version,node,commit} 1 and baios_last_block_age_seconds", async () => {
    const m = createMetrics({ defaultMetrics: false, version: "9.9.9" });
    let text = await m.registry.metrics();
    expect(text).toMatch(new RegExp(`^baios_build_info\\{version="9\\.9\\.9",node="${process.versions.node.replace(/\./g, "\\.")}",commit="[0-9a-f]{12}|unknown"\\} 1$`, "m"));
    expect(text).toMatch(/^baios_last_block_age_seconds nan$/im); // no block yet
    m.lastBlockTimeMs.value = Date.now() - 5000;
    text = await m.registry.metrics();
    const age = Number(text.match(/^baios_last_block_age_seconds (\S+)$/m)?.[1]);
    expect(age).toBeGreaterThanOrEqual(5);
    expect(age).toBeLessThan(60);
  });

  it("no gauge's name ends in _total (registry, and every Gauge in node/src and p2p/src)", async () => {
    const m = createMetrics({ defaultMetrics: true });
    for (const metric of await m.registry.getMetricsAsJSON()) if (String(metric.type) === "gauge") expect(metric.name).not.toMatch(/_total$/);
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const files = ["node/src", "p2p/src"].flatMap((d) => (readdirSync(join(root, d), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => join(root, d, f)));
    const gauges = files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/new Gauge\(\{\s*name:\s*[`"]([^`"]+)[`"]/g)].map((x) => x[1]!));
    expect(gauges.length).toBeGreaterThan(5);
    expect(gauges.filter((n) => n.endsWith("_total"))).toEqual([]);
  });
});

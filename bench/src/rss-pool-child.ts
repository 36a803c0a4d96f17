/**
 * Child process of `node bench/src/rss.ts pool`: VmRSS that a 2-worker validation pool adds to
 * a process (from before the pool to 500 ms after all workers answered), with the workers booted
 * from the main thread's stripped sources (`rec`, as `baios node` does: node/src/workers/ts-sources.ts)
 * or loading Node's TypeScript stripper themselves (`plain`). Prints one JSON line: `{ variant, deltaBytes }`.
 * @module
 */
import { readFileSync } from "node:fs";

const vmRss = (): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? NaN) * 1024;
const variant = process.argv[2] === "rec" ? "rec" : "plain";
await import("@baios/crypto"); // as in `baios node`, something loads before recording starts
if (variant === "rec") (await import("@baios/node/ts-sources")).recordStrippedSources();
const { WorkerPool } = await import("@baios/node");
const r0 = vmRss();
const pool = new WorkerPool(2, { ringCacheEntries: 8192 });
await pool.ready();
await new Promise((r) => setTimeout(r, 500));
process.stdout.write(`${JSON.stringify({ variant, deltaBytes: vmRss() - r0 })}\n`);
await pool.close();

/**
 * Benchmark-only preload (`node --import bench/src/mem-preload.ts …`): where a node process's
 * memory goes, per thread. Worker threads inherit `--import`, so every thread (main and each
 * validation worker) samples its own isolate every 50 ms — `process.memoryUsage()` heapUsed,
 * heapTotal, external, arrayBuffers (bytes) and the byte length of every WebAssembly memory it
 * instantiated (captured by wrapping `WebAssembly.Instance`; a WASM memory never shrinks) — and
 * its CPU time; the main thread adds /proc/self/status VmRSS; the current size of each V8 heap space goes along. Each thread writes its current and peak values to
 * `$BAIOS_BENCH_MEM_DIR/thread-<threadId>.json` every 250 ms (atomic rename). Never loaded by a
 * real node.
 * @module
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";
import { isMainThread, threadId } from "node:worker_threads";

/** One thread's memory figures, bytes. */
export interface ThreadMem {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  wasm: number;
  /** Main thread only: VmRSS of the process. */
  vmRss: number;
  /** This thread's CPU time so far, µs (`process.threadCpuUsage`, user + system). */
  cpuUs: number;
}

const dir = process.env["BAIOS_BENCH_MEM_DIR"];
if (dir !== undefined) {
  // the WebAssembly global, typed here (no DOM lib in this project)
  interface Memory {
    buffer: ArrayBuffer;
  }
  type InstanceCtor = new (module: unknown, imports?: unknown) => { exports: Record<string, unknown> };
  const WA = (globalThis as unknown as { WebAssembly: { Instance: InstanceCtor; Memory: new (...a: never[]) => Memory } }).WebAssembly;
  const memories: Memory[] = [];
  const Orig = WA.Instance;
  const Wrapped = function (module: unknown, imports?: unknown) {
    const inst = new Orig(module, imports);
    for (const v of Object.values(inst.exports)) if (v instanceof WA.Memory) memories.push(v);
    return inst;
  } as unknown as InstanceCtor;
  Wrapped.prototype = Orig.prototype;
  WA.Instance = Wrapped;

  const vmRss = (): number => (isMainThread ? Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) * 1024 : 0);
  const cpuUs = (): number => {
    const u = process.threadCpuUsage();
    return u.user + u.system;
  };
  const sample = (): ThreadMem => {
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, wasm: memories.reduce((a, x) => a + x.buffer.byteLength, 0), vmRss: vmRss(), cpuUs: cpuUs() };
  };
  let peak = sample();
  let cur = peak;
  const file = join(dir, `thread-${threadId}.json`);
  const write = (): void => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, x.space_size]));
    writeFileSync(`${file}.tmp`, JSON.stringify({ threadId, main: isMainThread, cur, peak, spaces }));
    renameSync(`${file}.tmp`, file);
  };
  let n = 0;
  const t = setInterval(() => {
    cur = sample();
    peak = Object.fromEntries(Object.entries(cur).map(([k, v]) => [k, Math.max(v, peak[k as keyof ThreadMem])])) as unknown as ThreadMem;
    if (++n % 5 === 0) write();
  }, 50);
  t.unref();
}

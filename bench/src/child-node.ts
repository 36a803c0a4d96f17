/**
 * A real validator node in a child process (`baios node`, as the devnet runs it) for the chain
 * and RSS benchmarks: start it on a benchmark genesis, talk to it over HTTP JSON-RPC, submit a
 * transaction load while sampling its RSS (its own `baios_process_resident_memory_bytes` and
 * /proc/<pid>/status VmRSS, every 50 ms), stop it. Linux only (/proc).
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { genesisToFile } from "@baios/consensus";
import { NodeRpcClient, readRpcCookie } from "@baios/node";
import { PAYOUT, VALIDATOR_SEED, benchGenesis } from "./chain-fixture.ts";

const BIN = fileURLToPath(new URL("../../wallet/bin/baios.ts", import.meta.url));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A transaction to submit: its wire bytes and txid. */
export interface LoadTx {
  bytes: Uint8Array;
  txid: Uint8Array;
}

/** A running child node. */
export interface ChildNode {
  proc: ChildProcess;
  client: NodeRpcClient;
  rpcUrl: string;
  metricsUrl: string;
  /** The node's RPC token (its `rpc.cookie`), for `/metrics` too. */
  token: string;
  dir: string;
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  /** Premine outputs of the benchmark genesis. */
  outputs: number;
  /** Block time, ms. */
  blockMs: number;
  /** `--workers` (default 2). */
  workers?: number;
  /** Extra `baios node` arguments. */
  args?: readonly string[];
  /** Extra `node` arguments before the script (e.g. `--import <preload>`). */
  nodeArgs?: readonly string[];
  /** Extra environment (BAIOS_* of the parent are dropped first). */
  env?: Record<string, string>;
}

const live = new Set<ChildNode>();
process.on("exit", () => {
  for (const c of live) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
    rmSync(c.dir, { recursive: true, force: true });
  }
});

/** Starts `baios node --validator` on a fresh data dir; resolves once it printed its RPC and metrics URLs. @throws Error when it exits or takes over 60 s. */
export async function startChild(o: ChildOptions): Promise<ChildNode> {
  const dir = mkdtempSync(join(tmpdir(), "baios-bench-node-"));
  const genesisPath = join(dir, "genesis.json");
  writeFileSync(genesisPath, `${JSON.stringify(genesisToFile(benchGenesis(o.outputs, o.blockMs)), null, 2)}\n`);
  const keyFile = join(dir, "validator.key");
  writeFileSync(keyFile, `${hex(VALIDATOR_SEED)}\n`, { mode: 0o600 });
  const args = [
    ...(o.nodeArgs ?? []),
    BIN, "node",
    "--data-dir", dir,
    "--genesis", genesisPath,
    "--rpc-host", "127.0.0.1",
    "--rpc-port", "0",
    "--p2p-listen=", // no p2p (a lone node; `baios node` would listen on the default p2p port)
    "--validator",
    "--validator-key-file", keyFile,
    "--payout", `${hex(PAYOUT.viewPublic)}:${hex(PAYOUT.spendPublic)}`,
    "--workers", String(o.workers ?? 2),
    "--log-level", "warn",
    "--log-file", join(dir, "node.log"),
    ...(o.args ?? []),
  ];
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BAIOS_"))), ...o.env };
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let out = "";
  let err = "";
  proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const c: ChildNode = { proc, client: undefined as unknown as NodeRpcClient, rpcUrl: "", metricsUrl: "", token: "", dir };
  live.add(c);
  const urls = await new Promise<{ rpc: string; metrics: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node child did not start within 60 s\n${err}`)), 60_000);
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const rpc = /^rpc (\S+)$/m.exec(out)?.[1];
      const metrics = /^metrics (\S+)$/m.exec(out)?.[1];
      if (rpc !== undefined && metrics !== undefined) {
        clearTimeout(timer);
        resolve({ rpc, metrics });
      }
    });
    proc.once("exit", (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`node child exited (${code ?? sig}) during start-up\n${err}`));
    });
  });
  proc.once("exit", (code, sig) => {
    if (live.has(c)) process.stderr.write(`[bench] node child exited unexpectedly (${code ?? sig})\n${err}\n`);
  });
  // the node wrote its RPC cookie before it printed its URLs (docs/node.md §Authentication)
  c.token = readRpcCookie(join(dir, "rpc.cookie"));
  c.client = new NodeRpcClient(urls.rpc, { token: c.token });
  c.rpcUrl = urls.rpc;
  c.metricsUrl = urls.metrics;
  return c;
}

/** SIGTERM (SIGKILL after 10 s), removes the data dir; resolves with the exit code. @throws Error when the child had already died. */
export async function stopChild(c: ChildNode): Promise<number | null> {
  live.delete(c);
  try {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) throw new Error(`node child died (${c.proc.exitCode ?? c.proc.signalCode})`);
    const done = new Promise<number | null>((r) => c.proc.once("exit", (code) => r(code)));
    c.proc.kill("SIGTERM");
    const t = setTimeout(() => c.proc.kill("SIGKILL"), 10_000);
    const code = await done;
    clearTimeout(t);
    return code;
  } finally {
    rmSync(c.dir, { recursive: true, force: true });
  }
}

/** Polls `get_tx` every 10 ms until `txid` is confirmed; resolves with the time (performance.now(), ms) and height. @throws Error after `timeoutMs`. */
export async function waitFinal(c: ChildNode, txid: Uint8Array, timeoutMs = 30_000): Promise<{ atMs: number; height: number }> {
  const t0 = performance.now();
  for (;;) {
    const r = await c.client.getTx(txid);
    if (r.status === "confirmed" && r.height !== null) return { atMs: performance.now(), height: r.height };
    if (performance.now() - t0 > timeoutMs) throw new Error(`tx ${hex(txid)} not finalized after ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** One RSS sample of the child, bytes. */
export interface RssSample {
  tMs: number;
  phase: "idle" | "load" | "drain" | "after";
  metricsRss: number;
  vmRss: number;
}

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function procCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] = field 3 (state); utime, stime = fields 14, 15
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** VmRSS and VmHWM of a process (bytes), from /proc/<pid>/status. */
export function procStatus(pid: number): { vmRss: number; vmHwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(s)?.[1] ?? NaN) * 1024;
  return { vmRss: kb("VmRSS"), vmHwm: kb("VmHWM") };
}

/** Result of {@link measureRss}. */
export interface RssRun {
  samples: RssSample[];
  loadMs: number;
  drainMs: number;
  cpu: { nodeMsPerTx: number; clientMsPerTx: number };
  vmHwm: number;
  metricsText: string;
}

/**
 * Samples the child's VmRSS every 50 ms (its `/metrics` RSS once a second): `idleMs` idle, then every tx of `txs` over `submit_tx`
 * with `concurrency` calls in flight (blocks keep running), until all are finalized, then
 * `afterMs` more. `onPhase` is called as each phase after idle begins.
 */
export async function measureRss(c: ChildNode, txs: readonly LoadTx[], opts: { concurrency: number; idleMs?: number; afterMs?: number; onPhase?: (phase: RssSample["phase"]) => void }): Promise<RssRun> {
  const pid = c.proc.pid;
  if (pid === undefined) throw new Error("no child pid");
  const samples: RssSample[] = [];
  let phase: RssSample["phase"] = "idle";
  let sampling = true;
  const t0 = performance.now();
  // VmRSS every 50 ms from /proc; /metrics (rendered by the node: allocation the measurement
  // would add to the node's own heap) once a second, as a scraper would, the last value carried
  let metricsRss = NaN;
  const sampler = (async () => {
    for (let i = 0; sampling; i++) {
      if (i % 20 === 0) {
        const text = await (await fetch(c.metricsUrl, { headers: { authorization: `Bearer ${c.token}` } })).text();
        const m = /^baios_process_resident_memory_bytes (\d+)/m.exec(text);
        if (m === null) throw new Error("no baios_process_resident_memory_bytes in /metrics");
        metricsRss = Number(m[1]);
      }
      samples.push({ tMs: performance.now() - t0, phase, metricsRss, vmRss: procStatus(pid).vmRss });
      await sleep(50);
    }
  })();
  await sleep(opts.idleMs ?? 2000);
  opts.onPhase?.("load");
  phase = "load";
  const tLoad = performance.now();
  const cpu0 = { node: procCpuS(pid), client: process.cpuUsage() };
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < txs.length) {
        const t = txs[next++] as LoadTx;
        await c.client.submitTx(t.bytes);
      }
    }),
  );
  const loadMs = performance.now() - tLoad;
  const u = process.cpuUsage(cpu0.client);
  const cpu = { nodeMsPerTx: ((procCpuS(pid) - cpu0.node) * 1000) / txs.length, clientMsPerTx: (u.user + u.system) / 1000 / txs.length };
  opts.onPhase?.("drain");
  phase = "drain";
  for (const t of txs) await waitFinal(c, t.txid, 60_000);
  const drainMs = performance.now() - tLoad;
  opts.onPhase?.("after");
  phase = "after";
  await sleep(opts.afterMs ?? 3000);
  sampling = false;
  await sampler;
  const metricsText = await (await fetch(c.metricsUrl, { headers: { authorization: `Bearer ${c.token}` } })).text();
  return { samples, loadMs, drainMs, cpu, vmHwm: procStatus(pid).vmHwm, metricsText };
}

/** Peak of `k` over the samples in `phases`. */
export function rssPeak(run: RssRun, phases: readonly RssSample["phase"][], k: "metricsRss" | "vmRss"): number {
  return Math.max(...run.samples.filter((s) => phases.includes(s.phase)).map((s) => s[k]));
}

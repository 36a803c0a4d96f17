/**
 * A hostile peer process floods a victim node process over real TCP (4 MiB frames, 1,000 streams,
 * 500 connections). The victim must keep answering an honest peer connected before the flood,
 * keep its RSS under 250 MB, and ban the peer that sent oversized frames.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { Nodes } from "./helpers.ts";

const FIX = new URL("./fixtures/", import.meta.url).pathname;
const RSS_BUDGET = 250 * 1024 * 1024;

let nodes: Nodes;
const procs: ChildProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill("SIGKILL");
  await nodes?.cleanup();
});

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? "0") * 1024;
}

/** Spawns a fixture; returns the child and an async line iterator over its stdout. */
function run(script: string, args: string[]): { child: ChildProcess; lines: string[]; next: () => Promise<string> } {
  const child = spawn(process.execPath, [FIX + script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  procs.push(child);
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => {
    lines.push(l);
    waiters.shift()?.(l);
  });
  let read = 0;
  const next = () => (read < lines.length ? Promise.resolve(lines[read++] as string) : new Promise<string>((r) => waiters.push((l) => (read++, r(l)))));
  return { child, lines, next };
}

async function scenario(mode: "frames" | "streams" | "conns") {
  nodes = new Nodes();
  const victim = run("victim.ts", [await nodes.dir()]);
  const { addr, peerId } = JSON.parse(await victim.next()) as { addr: string; peerId: string };
  const honest = await nodes.create();
  honest.registerProtocol({ name: "echo", maxRequestBytes: 65_536, maxResponseBytes: 65_536, handler: async (b) => b });
  await honest.start();
  await honest.dial(addr);
  const hostile = run("hostile.ts", [mode, addr, "6"]);
  const done = new Promise<string>((r) => hostile.child.on("exit", () => r(hostile.lines.at(-1) ?? "")));
  let maxRss = 0;
  const latencies: number[] = [];
  let failures = 0;
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    maxRss = Math.max(maxRss, rssOf(victim.child.pid!));
    const t = Date.now();
    const probe = new Uint8Array(1000).fill(latencies.length & 0xff);
    try {
      const echo = await honest.request(peerId, "echo", probe, { timeoutMs: 5000 });
      expect(echo).toEqual(probe);
      latencies.push(Date.now() - t);
    } catch {
      failures++;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const summary = JSON.parse(await done) as { opened: number; failed: number; sentBytes: number };
  expect(victim.child.exitCode).toBeNull(); // still alive
  const p99 = [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.99)] ?? -1;
  console.info(`hostile ${mode}: victim max RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB, honest echo p99 ${p99} ms over ${latencies.length} probes, ${failures} failed; hostile ${JSON.stringify(summary)}; bans ${victim.lines.slice(1).join(" ")}`);
  return { maxRss, latencies, failures, summary, bans: victim.lines.slice(1).map((l) => JSON.parse(l) as { ban: string; reason: string }) };
}

describe("hostile peer process", () => {
  it("4 MiB frames: refused at the length prefix, the sender banned, RSS under budget, honest peer served", async () => {
    const r = await scenario("frames");
    expect(r.summary.sentBytes).toBeGreaterThan(4 * 1024 * 1024); // the flood really was sent
    expect(r.bans.length).toBe(1); // banned once; its reconnects are refused
    expect(["oversized echo request", "invalid block message"]).toContain(r.bans[0]?.reason);
    expect(r.maxRss).toBeLessThan(RSS_BUDGET);
    expect(r.failures).toBe(0);
    expect(r.latencies.length).toBeGreaterThan(5);
    expect(Math.max(...r.latencies)).toBeLessThan(2000);
  }, 60_000);

  it("1,000 streams from one peer: RSS under budget, honest peer served", async () => {
    const r = await scenario("streams");
    expect(r.summary.opened + r.summary.failed).toBe(1000); // opened locally (multistream-select is optimistic); the victim resets those over its limits
    expect(r.maxRss).toBeLessThan(RSS_BUDGET);
    expect(r.failures).toBe(0);
    expect(Math.max(...r.latencies)).toBeLessThan(2000);
  }, 60_000);

  it("500 raw connections trickling junk, then 500 libp2p connections from one peer: RSS under budget, honest peer served", async () => {
    const r = await scenario("conns");
    expect(r.summary.opened).toBeGreaterThan(0);
    // of 500 forced connections from one identity, the gater keeps at most 2 open
    const s = r.summary as unknown as { libp2pDials: number; libp2pOpenAfter: number };
    expect(s.libp2pDials).toBe(500);
    expect(s.libp2pOpenAfter).toBeLessThanOrEqual(2);
    expect(r.maxRss).toBeLessThan(RSS_BUDGET);
    expect(r.failures).toBe(0);
    expect(Math.max(...r.latencies)).toBeLessThan(2000);
  }, 60_000);
});

/**
 * Light-client cold start (issue 10; docs/light-client.md §7): time and bytes for a client that
 * knows only the genesis to reach a verified head on a 10 000-block chain finalized by 4
 * validators, against downloading (and checking) every header and certificate.
 *
 * The chain is the light-client test chain (wallet/light/test/fixtures/chain.ts): real headers
 * and commitments (header MMR, output MMR, key-image set, super-parent pointers) and real Ed25519
 * finality certificates by the 4 validators in force (3 of 4 would also be a quorum; all 4 sign),
 * no block bodies — generating 10 000 real blocks with 4 validator processes is far too slow here,
 * so it is served by an **in-process JSON-RPC server over HTTP on 127.0.0.1** that answers
 * `get_light_update` with the node's own builder (`buildLightUpdate` of
 * `@baios/light-client/serve`) and, for the baseline, `bench_headers { from, to }` (≤ 1 000
 * headers + certificates per call, canonical bytes as hex, the next set at each change). The
 * client is `LightClient` over `NodeRpcClient` of `@baios/api`. Bytes are HTTP response bodies +
 * request bodies as sent (no HTTP headers).
 *
 * Set changes: every `CHANGE_EVERY` blocks the set rotates (4 of 6 validators); two schedules.
 * Baseline: the same verification the node's fast sync does per block (parent link,
 * `validatorsHash` = set in force, certificate verified, sets at changes hashing to the certified
 * `nextValidatorsHash`) over every header. Medians over `RUNS` runs each, interleaved.
 * Usage: `node bench/src/light-cold-start.ts [blocks=10000] [runs=3]`; writes bench/results/light-cold-start.json.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { NodeRpcClient } from "@baios/api";
import {
  blockHash, decodeCertificate, decodeHeader, encodeCertificate, encodeHeader, equalBytes, fromHex, toHex, validatorSetBytes, verifyFinalityCertificate, type ValidatorSet,
} from "@baios/consensus";
import { LightClient, decodeValidatorSet, type LightTransport } from "@baios/light-client";
import { buildLightUpdate } from "@baios/api/light-update";
import { buildChain, setOf, type ChainSpec, type TestChain } from "../../wallet/light/test/fixtures/chain.ts";
import { chainSource } from "../../wallet/light/test/fixtures/memory-node.ts";
import { interleave, printTable, summarize } from "./harness.ts";

const BLOCKS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 3);
const BASELINE_SPAN = 1000;

/** An HTTP JSON-RPC server over a test chain; counts body bytes in and out. */
async function serve(chain: TestChain): Promise<{ url: string; bytes: { in: number; out: number }; close(): Promise<void> }> {
  const bytes = { in: 0, out: 0 };
  const tip = chain.headers.length - 1;
  const src = chainSource(chain, () => tip);
  const answer = async (method: string, p: Record<string, unknown>): Promise<unknown> => {
    if (method === "get_light_update") return buildLightUpdate(src, p["from"] as number, p["to"] as number | undefined);
    if (method === "bench_headers") {
      const from = p["from"] as number;
      const to = Math.min(p["to"] as number, from + BASELINE_SPAN - 1, tip);
      const out = [];
      for (let h = from; h <= to; h++) {
        const hd = chain.headers[h]!;
        const changes = !equalBytes(hd.nextValidatorsHash, hd.validatorsHash);
        out.push({ header: toHex(encodeHeader(hd)), certificate: toHex(encodeCertificate(chain.certificate(h))), ...(changes ? { nextValidators: toHex(validatorSetBytes(chain.setAt[h + 1]!.validators)) } : {}) });
      }
      return { tip, headers: out };
    }
    throw new Error(`unknown method ${method}`);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      bytes.in += body.length;
      const rq = JSON.parse(body.toString("utf8")) as { id: number; method: string; params: Record<string, unknown> };
      answer(rq.method, rq.params ?? {}).then(
        (result) => {
          const text = JSON.stringify({ jsonrpc: "2.0", id: rq.id, result });
          bytes.out += Buffer.byteLength(text);
          res.writeHead(200, { "content-type": "application/json" }).end(text);
        },
        (e: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: rq.id, error: { code: -32603, message: String(e) } })),
      );
    });
  });
  // the baseline verifies ~1 000 certificates between calls: keep idle connections open past Node's 5 s default
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, bytes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Baseline: every header and certificate downloaded and checked in order (parent link, set in force, certificate, sets at changes). */
async function baseline(t: LightTransport, chain: TestChain): Promise<number> {
  const genesis = chain.headers[0]!;
  let prevHash = blockHash(genesis);
  let set: ValidatorSet = setOf(chain.spec.sets[0]!);
  let h = 1;
  for (;;) {
    const r = await t.call<{ tip: number; headers: { header: string; certificate: string; nextValidators?: string }[] }>("bench_headers", { from: h, to: h + BASELINE_SPAN - 1 });
    for (const x of r.headers) {
      const hd = decodeHeader(fromHex(x.header));
      const hash = blockHash(hd);
      if (hd.height !== BigInt(h) || !equalBytes(hd.parentHash, prevHash) || !equalBytes(hd.validatorsHash, set.hash)) throw new Error(`baseline: header ${h} does not link`);
      verifyFinalityCertificate(decodeCertificate(fromHex(x.certificate)), { chainId: hd.chainId, height: hd.height, blockHash: hash, validatorSet: set });
      if (!equalBytes(hd.nextValidatorsHash, hd.validatorsHash)) {
        const next = decodeValidatorSet(fromHex(x.nextValidators ?? ""));
        if (!equalBytes(next.hash, hd.nextValidatorsHash)) throw new Error(`baseline: set at ${h}`);
        set = next;
      }
      prevHash = hash;
      h++;
    }
    if (h > r.tip) return h - 1;
  }
}

interface Row {
  schedule: string;
  changes: number;
  light: { ms: ReturnType<typeof summarize>; bytesIn: number; bytesOut: number; calls: number; steps: number };
  baseline: { ms: ReturnType<typeof summarize>; bytesIn: number; bytesOut: number; calls: number };
  getHeaderJsonBytes: number;
}

const rows: Row[] = [];
for (const changeEvery of [1000, 100]) {
  const changes = Array.from({ length: Math.floor((BLOCKS - 1) / changeEvery) }, (_, i) => (i + 1) * changeEvery);
  const rot = (k: number): number[] => [0, 1, 2, 3, 4, 5].filter((_, i) => i !== k % 6 && i !== (k + 3) % 6);
  const spec: ChainSpec = { blocks: BLOCKS, sets: Array.from({ length: changes.length + 1 }, (_, k) => rot(k)), changes, outputsPerBlock: 2 };
  let t0 = performance.now();
  const chain = await buildChain(spec);
  const buildMs = performance.now() - t0;
  t0 = performance.now();
  for (let h = 1; h <= BLOCKS; h++) chain.certificate(h);
  console.log(`chain of ${BLOCKS} blocks, ${changes.length} set changes (every ${changeEvery}): headers in ${(buildMs / 1000).toFixed(1)} s, ${BLOCKS} certificates × 4 signatures in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const srv = await serve(chain);
  const rpc = new NodeRpcClient(srv.url, { timeoutMs: 120_000 });
  const tally = { light: { in: 0, out: 0, calls: 0, steps: 0 }, baseline: { in: 0, out: 0, calls: 0 } };
  const res = await interleave(
    {
      light: async () => {
        const before = { ...srv.bytes };
        let calls = 0;
        const t: LightTransport = { call: (m, p) => (calls++, rpc.call(m, p)) };
        const s = performance.now();
        // the test chain's times are fabricated (genesis 2026-01-01, 1 s a block): its genesis is older
        // than any trusting period, so this cold start opts out by name (the check itself costs nothing)
        const lc = await LightClient.open({ genesis: chain.headers[0]!, genesisValidators: setOf(spec.sets[0]!).validators, transport: t, trustingPeriodMs: "off" });
        const r = await lc.sync();
        const ms = performance.now() - s;
        if (r.to !== BigInt(BLOCKS) || r.setChanges !== changes.length) throw new Error("light client did not reach the tip");
        tally.light = { in: srv.bytes.in - before.in, out: srv.bytes.out - before.out, calls, steps: r.steps };
        return ms;
      },
      baseline: async () => {
        const before = { ...srv.bytes };
        let calls = 0;
        const t: LightTransport = { call: (m, p) => (calls++, rpc.call(m, p)) };
        const s = performance.now();
        if ((await baseline(t, chain)) !== BLOCKS) throw new Error("baseline did not reach the tip");
        const ms = performance.now() - s;
        tally.baseline = { in: srv.bytes.in - before.in, out: srv.bytes.out - before.out, calls };
        return ms;
      },
    },
    RUNS,
  );
  await srv.close();
  // what `get_header` (JSON view, no certificate) would cost for every header, for comparison
  let getHeaderJsonBytes = 0;
  for (const hd of chain.headers.slice(1)) getHeaderJsonBytes += JSON.stringify({ jsonrpc: "2.0", id: 1, result: (await import("../../wallet/light/test/fixtures/memory-node.ts")).headerJsonOf(hd, blockHash(hd)) }).length;
  rows.push({
    schedule: `every ${changeEvery} blocks`,
    changes: changes.length,
    light: { ms: res.light.summary, bytesIn: tally.light.out, bytesOut: tally.light.in, calls: tally.light.calls, steps: tally.light.steps },
    baseline: { ms: res.baseline.summary, bytesIn: tally.baseline.out, bytesOut: tally.baseline.in, calls: tally.baseline.calls },
    getHeaderJsonBytes,
  });
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\nLight-client cold start to a verified head, ${BLOCKS} blocks, 4 validators (Node ${process.version}; in-process HTTP JSON-RPC on 127.0.0.1; median of ${RUNS}, interleaved)\n`);
printTable(
  ["set changes", "client", "time (median)", "min", "downloaded", "uploaded", "calls", "headers verified"],
  rows.flatMap((r) => [
    [`${r.changes} (${r.schedule})`, "light (get_light_update)", `${r.light.ms.median.toFixed(0)} ms`, `${r.light.ms.min.toFixed(0)} ms`, kb(r.light.bytesIn), kb(r.light.bytesOut), String(r.light.calls), String(r.light.steps)],
    ["", "all headers + certificates", `${r.baseline.ms.median.toFixed(0)} ms`, `${r.baseline.ms.min.toFixed(0)} ms`, kb(r.baseline.bytesIn), kb(r.baseline.bytesOut), String(r.baseline.calls), String(BLOCKS)],
    ["", "(all get_header JSON, no certificates)", "", "", kb(r.getHeaderJsonBytes), "", String(BLOCKS), ""],
  ]),
);
for (const r of rows) console.log(`${r.changes} changes: light downloads ${(r.baseline.bytesIn / r.light.bytesIn).toFixed(0)}× fewer bytes than all headers + certificates (${(r.getHeaderJsonBytes / r.light.bytesIn).toFixed(0)}× fewer than all get_header JSON), ${(r.baseline.ms.median / r.light.ms.median).toFixed(0)}× faster`);

const root0 = new URL("../../", import.meta.url);
mkdirSync(new URL("bench/results/", root0), { recursive: true });
const file = new URL("bench/results/light-cold-start.json", root0);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), blocks: BLOCKS, validators: 4, runs: RUNS, server: "in-process HTTP JSON-RPC on 127.0.0.1 over the light-client test chain (real headers/commitments/certificates, no bodies)", bytes: "HTTP bodies (JSON-RPC), no HTTP headers", rows }, null, 2)}\n`);
console.log(`\nwrote ${file.pathname}`);

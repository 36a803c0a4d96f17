/**
 * The staking and finality part of `baios devnet` (docs/wallet.md §10, docs/consensus.md §5):
 * waiting for a bonded validator to enter the set at an epoch boundary and sign, finality latency
 * percentiles from the nodes' logs, and each validator's share of the finality certificates.
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { decodeBlock } from "@baios/consensus";
import type { NodeRpcClient, StakingResult } from "@baios/node/client";
import { bytesToHex, hexToBytes } from "../hex.ts";

/** Where a bonded validator entered the set: the epoch boundary (state height) whose next set holds it, and the first certificate carrying its precommit. */
export interface ValidatorEntry {
  /** Height of the epoch-boundary block after which the key is in the set (it finalizes `boundary + 1` on). */
  boundary: number;
  /** Its voting power in that set (atomic units). */
  votingPower: bigint;
  /** Height of the first finality certificate holding its precommit. */
  firstSigned: number;
  /** ms from the call until {@link firstSigned} was seen. */
  waitedMs: number;
}

/**
 * Polls `get_staking` and `get_block` until `keyHex` is in the set (the next set of an epoch
 * boundary) and a finality certificate at or above the boundary + 1 carries its precommit.
 * @throws Error after `timeoutMs`
 */
export async function waitValidatorEntry(client: NodeRpcClient, keyHex: string, timeoutMs: number): Promise<ValidatorEntry> {
  const t0 = Date.now();
  let entry: { boundary: number; votingPower: bigint } | undefined;
  let checked = 0;
  for (;;) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`validator ${keyHex.slice(0, 10)}… ${entry === undefined ? "did not enter the validator set" : `entered at height ${entry.boundary + 1} but signed no certificate`} within ${timeoutMs} ms`);
    if (entry === undefined) {
      const s = await client.getStaking();
      const m = s.nextValidatorSet.validators.find((v) => v.publicKey === keyHex);
      if (m !== undefined) {
        // the boundary is the last block of the epoch the state is in (or the state itself when it is the boundary)
        const L = s.epoch.length;
        const boundary = s.height % L === L - 1 ? s.height : Math.max(0, s.epoch.setStartHeight - 1);
        entry = { boundary, votingPower: BigInt(m.votingPower) };
        checked = boundary;
      }
    } else {
      const tip = (await client.status()).height;
      for (let h = Math.max(checked + 1, entry.boundary + 1); h <= tip; h++) {
        const b = await client.getBlock({ height: h });
        checked = h;
        if (b.certificate.votes.some((v) => v.validator === keyHex)) return { ...entry, firstSigned: h, waitedMs: Date.now() - t0 };
      }
    }
    await sleep(200);
  }
}

/** Finality latencies (ms, candidate arrival → certificate) of heights above `aboveHeight` logged by the nodes' BFT drivers (`"block finalized"` lines with `height` and `latencyMs`), per log file. */
export function finalityLatencies(logFiles: readonly string[], aboveHeight = 0): number[][] {
  return logFiles.map((f) => {
    if (!existsSync(f)) return [];
    const out: number[] = [];
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!line.includes('"block finalized"')) continue;
      try {
        const j = JSON.parse(line) as { latencyMs?: unknown; height?: unknown };
        if (typeof j.latencyMs === "number" && typeof j.height === "number" && j.height > aboveHeight) out.push(j.latencyMs);
      } catch {
        // a torn last line
      }
    }
    return out;
  });
}

/** The `q`-quantile (0 ≤ q ≤ 1, nearest rank) of `xs`; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * The precommit signers (32-byte keys, hex) of the finality certificates of heights `from..=to`:
 * `local` as `client` stored them (the > 2/3 it committed with), `onChain` as the next block
 * carries them in its `lastCertificate` (every precommit its miner saw; what uptime counts,
 * docs/consensus.md §5.2), for heights whose next block exists. Block 0's certificate is empty.
 */
export async function certificateSigners(client: NodeRpcClient, from: number, to: number): Promise<{ local: Map<number, Set<string>>; onChain: Map<number, Set<string>> }> {
  const local = new Map<number, Set<string>>();
  const onChain = new Map<number, Set<string>>();
  const tip = (await client.status()).height;
  for (let h = from; h <= Math.min(to + 1, tip); h++) {
    const b = await client.getBlock({ height: h }, "hex");
    if (h <= to) local.set(h, new Set(b.certificate.votes.map((v) => v.validator)));
    if (h > from && b.hex !== undefined) onChain.set(h - 1, new Set(decodeBlock(hexToBytes(b.hex), Number.MAX_SAFE_INTEGER).lastCertificate.votes.map((v) => bytesToHex(v.validator))));
  }
  return { local, onChain };
}

/** Signed share of `key` over the certificates of heights ≥ `fromHeight` in `signers`: signed, total. */
export function signedShare(signers: Map<number, Set<string>>, key: string, fromHeight: number): { signed: number; total: number } {
  let signed = 0;
  let total = 0;
  for (const [h, s] of signers) {
    if (h < fromHeight) continue;
    total++;
    if (s.has(key)) signed++;
  }
  return { signed, total };
}

/** A staking snapshot's key facts for comparing nodes: height and `stakingStateHash`. */
export const stakingKey = (s: StakingResult): string => `${s.height}:${s.stakingStateHash}`;

/** What {@link printConsensusSummary} needs of each devnet node. */
export interface SummaryNode {
  name: string;
  logFile: string;
  /** Validator key, 32 bytes hex. */
  validatorKey: string;
  genesisValidator: boolean;
}

/**
 * Prints the consensus part of the devnet summary: finality latency p50/p99 over every node's
 * commits, then per validator node its bonded stake, voting power, status and signed share of
 * the run's certificates (heights 1..=`tip` as `client` stored them; a validator that entered at
 * an epoch boundary counts from its first height in the set). Lines go through `print`.
 */
export async function printConsensusSummary(o: {
  client: NodeRpcClient;
  nodes: readonly SummaryNode[];
  tip: number;
  /** Finality latencies count heights above this one (the network was up). */
  runFrom: number;
  entry: ValidatorEntry | undefined;
  print: (line: string) => void;
  table: (head: readonly string[], rows: readonly (readonly (string | number)[])[], right: readonly number[]) => string;
  bai: (atomic: bigint) => string;
}): Promise<void> {
  const lat = finalityLatencies(o.nodes.map((n) => n.logFile), o.runFrom);
  const all = lat.flat();
  const f = (ms: number): string => (Number.isNaN(ms) ? "n/a" : `${ms} ms`);
  o.print(`finality    candidate arrival → finality certificate, ${all.length} commits of heights ${o.runFrom + 1}..${o.tip} on ${o.nodes.length} nodes (from their logs): p50 ${f(quantile(all, 0.5))}, p99 ${f(quantile(all, 0.99))}, max ${f(quantile(all, 1))}`);
  const staking = await o.client.getStaking();
  const { local, onChain } = await certificateSigners(o.client, 1, o.tip);
  const share = (m: Map<number, Set<string>>, key: string, from: number): string => {
    const sh = signedShare(m, key, from);
    return sh.total === 0 ? "-" : `${((100 * sh.signed) / sh.total).toFixed(0)}% (${sh.signed}/${sh.total})`;
  };
  const rows = o.nodes.map((n) => {
    const rec = staking.validators.find((v) => v.publicKey === n.validatorKey);
    const power = staking.validatorSet.validators.find((v) => v.publicKey === n.validatorKey)?.votingPower;
    const from = n.genesisValidator ? 1 : o.entry === undefined ? Number.MAX_SAFE_INTEGER : o.entry.boundary + 1;
    return [n.name, `${n.validatorKey.slice(0, 10)}…`, rec === undefined ? "-" : o.bai(BigInt(rec.bonded)), power === undefined ? "-" : o.bai(BigInt(power)), rec?.status ?? "none", from === Number.MAX_SAFE_INTEGER ? "-" : from, share(onChain, n.validatorKey, from), share(local, n.validatorKey, from), rec === undefined ? "-" : `${rec.signedThisEpoch}/${rec.expectedThisEpoch}`];
  });
  o.print(`validators  staking state at height ${staking.height} (epoch ${staking.epoch.number}, its boundary at ${staking.epoch.boundaryHeight}); signed share = share of the run's finality certificates (heights from "in set" to ${o.tip}) holding its precommit, on chain (next block's lastCertificate) and as node0 committed (first > 2/3):`);
  o.print(o.table(["node", "validator key", "bonded(BAI)", "voting power", "status", "in set", "signed (on chain)", "signed (node0 cert)", "this epoch"], rows, [2, 3, 5]));
}

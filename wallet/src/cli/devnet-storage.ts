/**
 * The devnet summary's storage part (issue 9; docs/pruning.md, docs/sync.md): every node's mode
 * (archive, pruned, fast-synced), head, tail (lowest stored block body) and bytes on disk; the
 * header-committed roots (`outputRoot`, `keyImageRoot`, `stakingStateHash`) and block hash at a
 * common finalized height, read from each node's own store, which must agree; the header of a
 * height below every tail, which must agree too (headers are never pruned); and the proof that
 * pruning deleted bodies: `get_block` below the pruned node's tail answers `PRUNED` there while
 * an archive node still serves it.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { RPC_ERRORS, RpcError, type NodeRpcClient } from "@baios/node";
import { plainTable } from "./table.ts";

/** What the storage summary needs of a devnet node. */
export interface StorageNode {
  name: string;
  /** `validator` | `joiner` (archive nodes), `pruned`, `fast-synced`. */
  role: string;
  client: NodeRpcClient;
  logFile: string;
}

/** Sum of the sizes (bytes) of every file under `dir` (recursively); 0 when it does not exist. */
export function dirBytes(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

/**
 * The node's `"fast sync: state verified …"` log line (pino JSON, sync/bootstrap.ts) as text:
 * snapshot height, bytes and the logged timings (ms); undefined when the log has none.
 */
export function fastSyncLogLine(logFile: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    if (!line.includes("fast sync: state verified")) continue;
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const timings = Object.entries(j).filter(([k, v]) => typeof v === "number" && /ms$/i.test(k));
      return `snapshot at height ${String(j["height"])} (${String(j["snapshotBytes"])} B) verified against the certified header and written${timings.length > 0 ? ` (${timings.map(([k, v]) => `${k} ${String(v)}`).join(", ")})` : ""}`;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Calls `get_block` at `height`; the `PRUNED` error's tail, "served", or the other error's message. */
async function bodyAt(client: NodeRpcClient, height: number): Promise<{ pruned: number } | "served" | string> {
  try {
    await client.getBlock({ height });
    return "served";
  } catch (e) {
    if (e instanceof RpcError && e.code === RPC_ERRORS.PRUNED) {
      const data = e.data as { tail?: unknown } | undefined;
      return { pruned: typeof data?.tail === "number" ? data.tail : -1 };
    }
    return (e as Error).message;
  }
}

const short = (s: string): string => `${s.slice(0, 10)}…`;

/**
 * Prints the storage table and checks. Node `n`'s data directory is `<root>/<n.name>`; its bytes
 * on disk are those of `<root>/<n.name>/chain` (the LevelDB).
 * @returns false when a check failed (printed with ✗): roots or hashes differ at the common
 *   height, a pruned node deleted nothing, `get_block` below a tail was served, or an archive
 *   node did not serve it
 */
export async function printStorageSummary(nodes: readonly StorageNode[], root: string, print: (s: string) => void): Promise<boolean> {
  let ok = true;
  const st = await Promise.all(nodes.map((n) => n.client.status()));
  const common = Math.min(...st.map((s) => s.height));
  const hdr = await Promise.all(nodes.map((n) => n.client.getHeader({ height: common })));
  const mode = (i: number): string => (nodes[i]!.role === "fast-synced" ? "fast-synced" : st[i]!.mode);
  const bytes = nodes.map((n) => dirBytes(join(root, n.name, "chain")));
  print(`storage     every node's mode, tail (lowest stored block body), bytes on disk (its LevelDB directory) and the roots its header of the common finalized height ${common} commits to:`);
  print(
    plainTable(
      ["node", "mode", "head", "tail", "bytes on disk", `hash @${common}`, "outputRoot", "keyImageRoot", "stakingStateHash"],
      nodes.map((n, i) => [n.name, mode(i), st[i]!.height, st[i]!.tail, bytes[i]!, short(hdr[i]!.hash), short(hdr[i]!.outputRoot), short(hdr[i]!.keyImageRoot), short(hdr[i]!.stakingStateHash)]),
      [2, 3, 4],
    ),
  );
  print("  (bytes on disk: over ~20 blocks LevelDB's write-ahead log and manifest dominate and a deletion is a tombstone until compaction, so a pruned directory is not yet smaller; `./scripts/bench prune` measures archive against pruned bytes over 50,000 blocks)");
  const key = (i: number): string => `${hdr[i]!.hash} ${hdr[i]!.outputRoot} ${hdr[i]!.keyImageRoot} ${hdr[i]!.stakingStateHash}`;
  const modes = [...new Set(nodes.map((_, i) => mode(i)))].join(", ");
  if (nodes.every((_, i) => key(i) === key(0))) print(`  ✓ all ${nodes.length} nodes (${modes}) agree at finalized height ${common}: block hash ${short(hdr[0]!.hash)}, outputRoot ${short(hdr[0]!.outputRoot)}, keyImageRoot ${short(hdr[0]!.keyImageRoot)}, stakingStateHash ${short(hdr[0]!.stakingStateHash)}`);
  else {
    ok = false;
    print(`  ✗ the nodes disagree at height ${common} (see the table)`);
  }
  const archive = nodes.findIndex((n, i) => st[i]!.mode === "archive" && n.role !== "fast-synced");
  const maxTail = Math.max(...st.map((s) => s.tail));
  // headers are kept below every tail: the same hash everywhere at the deepest pruned height
  if (maxTail > 0) {
    const below = maxTail - 1;
    const hs = await Promise.all(nodes.map((n) => n.client.getHeader({ height: below })));
    if (hs.every((h) => h.hash === hs[0]!.hash)) print(`  ✓ headers stay below every tail: all ${nodes.length} nodes serve the header of height ${below} with hash ${short(hs[0]!.hash)}`);
    else {
      ok = false;
      print(`  ✗ the header of height ${below} differs between nodes`);
    }
  }
  for (const [i, n] of nodes.entries()) {
    if (n.role !== "pruned" && n.role !== "fast-synced") continue;
    const tail = st[i]!.tail;
    if (tail === 0) {
      ok = false;
      print(`  ✗ ${n.name} (${mode(i)}) has tail 0: it holds every body`);
      continue;
    }
    const here = await bodyAt(n.client, tail - 1);
    // the pruner runs after every commit, so the tail may have moved since the status read: the body is
    // checked at the tail the PRUNED answer names (and at a newer one, if it moves again meanwhile)
    let now = typeof here === "object" && here.pruned >= tail ? here.pruned : tail;
    let atTail = await bodyAt(n.client, now);
    for (let k = 0; k < 3 && typeof atTail === "object" && atTail.pruned > now; k++) atTail = await bodyAt(n.client, (now = atTail.pruned));
    const there = archive >= 0 ? await bodyAt(nodes[archive]!.client, tail - 1) : "no archive node";
    const good = typeof here === "object" && here.pruned >= tail && atTail === "served" && there === "served";
    if (!good) ok = false;
    const vs = archive >= 0 ? `; ${nodes[archive]!.name} (archive) ${there === "served" ? "still serves it" : `answers ${JSON.stringify(there)}`}; ${bytes[i]} B on disk against ${bytes[archive]} B` : "";
    const what = n.role === "pruned" ? `pruning at work: ${n.name} deleted ${tail} bodies below ${tail}` : `fast sync: ${n.name} never stored the ${tail} bodies below its snapshot height ${tail}`;
    print(`  ${good ? "✓" : "✗"} ${what} (get_block ${tail - 1} → ${typeof here === "object" ? `PRUNED, tail ${here.pruned}` : here}; get_block ${now} → ${typeof atTail === "object" ? "PRUNED" : atTail}${vs})`);
  }
  return ok;
}

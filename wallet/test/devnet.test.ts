/** The main job end to end: `baios devnet` as a user runs it (7 node processes over libp2p on loopback: 4 BFT validators, a full node that bonds in, a pruned node and a node that fast-syncs mid-run; real HTTP RPC). */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));

describe("baios devnet", () => {
  it("runs private transfers among devnet wallets via different nodes and a bond that makes node4 a validator at the next epoch boundary; a pruned node deletes bodies and a node fast-syncs mid-run; every node holds the same head, roots and staking state and every wallet sees the expected balance", () => {
    const r = spawnSync(process.execPath, [BIN, "devnet", "-q"], { encoding: "utf8", timeout: 180_000 });
    const text = r.stdout + r.stderr;
    expect(text, text).not.toMatch(/FAILED/);
    expect(r.status, text).toBe(0);
    expect(text).toMatch(/JSON-RPC http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/5 transactions/); // 4 transfers + the bond
    expect(text.match(/✓ as expected/g)).toHaveLength(4);
    expect(text).toMatch(/received\s+250 BAI/);
    expect(text).toMatch(/shows 250 BAI to carol ✓/);
    // 5 processes (4 genesis validators), transfers through 4 different nodes, one finalized head and state everywhere
    expect(text.match(/\[validator\]/g)).toHaveLength(4);
    expect(text.match(/\[full node, validator key outside the genesis set\]/g)).toHaveLength(1);
    expect(text.match(/\[pruned full node: --mode pruned --prune-depth 4\]/g)).toHaveLength(1);
    expect(text.match(/\[full node started mid-run with --fast-sync\]/g)).toHaveLength(1);
    expect(text).not.toMatch(/✗/);
    for (const n of ["node1", "node2", "node3", "node4"]) expect(text).toMatch(new RegExp(`BAI via ${n}: tx`));
    expect(text).toMatch(/✓ all 7 nodes hold the same finalized head .* and staking state/);
    const rows = [...text.matchAll(/^ {2}node\d +(\d+) +(\S+) +(\S+) +(\d+) +(\d+) +(\d+) +\w+ +(\S+)$/gm)];
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((r) => `${r[1]} ${r[2]} ${r[3]} ${r[4]} ${r[5]} ${r[7]}`)).size).toBe(1);
    // issue 9: archive, pruned and fast-synced nodes agree on the roots their headers of a common finalized height commit to
    const store = [...text.matchAll(/^ {2}(node\d) +(archive|pruned|fast-synced) +(\d+) +(\d+) +(\d+) +(\S+) +(\S+) +(\S+) +(\S+)$/gm)];
    expect(store.map((r) => `${r[1]} ${r[2]}`)).toEqual(["node0 archive", "node1 archive", "node2 archive", "node3 archive", "node4 archive", "node5 pruned", "node6 fast-synced"]);
    expect(new Set(store.map((r) => `${r[6]} ${r[7]} ${r[8]} ${r[9]}`)).size).toBe(1);
    for (const r of store.slice(0, 5)) expect(Number(r[4])).toBe(0); // archive: every body
    const [head5, tail5] = [Number(store[5]![3]), Number(store[5]![4])];
    expect(tail5).toBeGreaterThan(0);
    expect(tail5).toBeLessThanOrEqual(head5 - 4); // prune depth 4
    expect(tail5).toBeGreaterThanOrEqual(head5 - 4 - 3); // the pruner keeps up (a step runs after each commit)
    expect(text).toMatch(/✓ all 7 nodes \(archive, pruned, fast-synced\) agree at finalized height \d+: block hash/);
    expect(text).toMatch(/✓ headers stay below every tail: all 7 nodes serve the header of height \d+/);
    const pruned = /✓ pruning at work: node5 deleted (\d+) bodies below (\d+) \(get_block \d+ → PRUNED, tail (\d+); get_block \d+ → served; node0 \(archive\) still serves it/.exec(text);
    expect(pruned, text).not.toBeNull();
    expect(Number(pruned![1])).toBe(tail5);
    expect(Number(pruned![3])).toBeGreaterThanOrEqual(tail5); // the pruner may have moved on since the table's status read
    // the fast-synced node starts from a snapshot past the set change at height 10 (node4 in the set) and replays nothing below it
    const fast = /fast sync {2}node6 started at height (\d+) with an empty data dir.*: snapshot at height (\d+) \(\d+ B\) verified against the certified header and written/.exec(text);
    expect(fast, text).not.toBeNull();
    expect(Number(fast![2])).toBeGreaterThanOrEqual(10);
    expect(Number(store[6]![4])).toBe(Number(fast![2])); // its tail is the snapshot height
    expect(text).toMatch(/✓ fast sync: node6 never stored the \d+ bodies below its snapshot height \d+ \(get_block \d+ → PRUNED/);
    // the bond: node4 enters the set at an epoch boundary (height % 10 = 9) and signs
    const entry = /epoch {7}node4 bonded at height \d+, entered the set at the epoch boundary (\d+) .* first precommit in the certificate of height (\d+) ✓/.exec(text);
    expect(entry, text).not.toBeNull();
    expect(Number(entry![1]) % 10).toBe(9);
    expect(Number(entry![2])).toBeGreaterThan(Number(entry![1]));
    expect(text).toMatch(/^ {2}node4 +[0-9a-f]{10}… +1000 +\d+ +active +\d+ +\d+% \(\d+\/\d+\)/m);
    expect(text).toMatch(/finality {4}candidate arrival → finality certificate, \d+ commits .*: p50 \d+ ms, p99 \d+ ms/);
  }, 200_000);
});

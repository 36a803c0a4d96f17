/** The main job end to end: `baios devnet` as a user runs it (5 node processes over libp2p on loopback: 4 BFT validators and a full node that bonds in; real HTTP RPC). */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));

describe("baios devnet", () => {
  it("runs private transfers among devnet wallets via different nodes and a bond that makes node4 a validator at the next epoch boundary; every node holds the same head and staking state and every wallet sees the expected balance", () => {
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
    for (const n of ["node1", "node2", "node3", "node4"]) expect(text).toMatch(new RegExp(`BAI via ${n}: tx`));
    expect(text).toMatch(/✓ all 5 nodes hold the same finalized head .* and staking state/);
    const rows = [...text.matchAll(/^ {2}node\d +(\d+) +(\S+) +(\S+) +(\d+) +(\d+) +(\d+) +\w+ +(\S+)$/gm)];
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => `${r[1]} ${r[2]} ${r[3]} ${r[4]} ${r[5]} ${r[7]}`)).size).toBe(1);
    // the bond: node4 enters the set at an epoch boundary (height % 10 = 9) and signs
    const entry = /epoch {7}node4 bonded at height \d+, entered the set at the epoch boundary (\d+) .* first precommit in the certificate of height (\d+) ✓/.exec(text);
    expect(entry, text).not.toBeNull();
    expect(Number(entry![1]) % 10).toBe(9);
    expect(Number(entry![2])).toBeGreaterThan(Number(entry![1]));
    expect(text).toMatch(/^ {2}node4 +[0-9a-f]{10}… +1000 +\d+ +active +\d+ +\d+% \(\d+\/\d+\)/m);
    expect(text).toMatch(/finality {4}candidate arrival → finality certificate, \d+ commits .*: p50 \d+ ms, p99 \d+ ms/);
  }, 200_000);
});

/** The main job end to end: `baios devnet` as a user runs it (4 node processes over libp2p on loopback, real HTTP RPC). */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));

describe("baios devnet", () => {
  it("runs private transfers among devnet wallets via different nodes; every node holds the same head and every wallet sees the expected balance", () => {
    const r = spawnSync(process.execPath, [BIN, "devnet", "-q"], { encoding: "utf8", timeout: 180_000 });
    const text = r.stdout + r.stderr;
    expect(text, text).not.toMatch(/FAILED/);
    expect(r.status, text).toBe(0);
    expect(text).toMatch(/JSON-RPC http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toMatch(/4 transactions/);
    expect(text.match(/✓ as expected/g)).toHaveLength(3);
    expect(text).toMatch(/received\s+250 BAI/);
    expect(text).toMatch(/shows 250 BAI to carol ✓/);
    // 4 processes, transfers through 4 different nodes, one finalized head and state everywhere
    expect(text.match(/\[(validator|full node)\]/g)).toHaveLength(4);
    for (const n of ["node1", "node2", "node3", "node0"]) expect(text).toMatch(new RegExp(`BAI via ${n}: tx`));
    expect(text).toMatch(/✓ all 4 nodes hold the same finalized head/);
    const rows = [...text.matchAll(/^ {2}node\d +(\d+) +(\S+) +(\S+) +(\d+) +(\d+) +(\d+) +\w+$/gm)];
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => `${r[1]} ${r[2]} ${r[3]} ${r[4]} ${r[5]}`)).size).toBe(1);
  }, 200_000);
});

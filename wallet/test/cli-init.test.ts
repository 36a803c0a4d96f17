/**
 * Issue 12, `baios init` and `baios node show-validator` (subprocess): the home holds a commented
 * config the node loads, the p2p key the node then uses (same peer id), and a validator key whose
 * public key and address show-validator prints; init never overwrites.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha2.js";
import { ed25519PublicKey } from "@baios/crypto";
import { bytesToHex, hexToBytes } from "../src/hex.ts";

const BIN = fileURLToPath(new URL("../bin/baios.ts", import.meta.url));
const env = { ...process.env, BAIOS_CONFIG: "" };
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });

describe("baios init", () => {
  it("writes config, node key and validator key; show-validator prints the key's public key and address; the node uses them", async () => {
    const home = join(mkdtempSync(join(tmpdir(), "baios-init-")), "home");
    const r = run(["init", "--home", home]);
    expect(r.status, r.stderr).toBe(0);
    const peerId = r.stdout.match(/peer id (12D3KooW\w+)/)?.[1];
    expect(peerId).toBeDefined();
    for (const f of ["config.json", "validator.key", "p2p/peer.key"]) expect(statSync(join(home, f)).mode & 0o077).toBe(0);
    const cfg = JSON.parse(readFileSync(join(home, "config.json"), "utf8")) as Record<string, unknown>;
    expect(cfg["_rpcPort"]).toEqual(expect.any(String)); // commented
    const seed = readFileSync(join(home, "validator.key"), "utf8").trim();
    const pub = ed25519PublicKey(hexToBytes(seed));
    const sv = run(["node", "show-validator", "--home", home, "--json"]);
    expect(sv.status, sv.stderr).toBe(0);
    expect(JSON.parse(sv.stdout)).toEqual({ publicKey: bytesToHex(pub), address: bytesToHex(sha256(pub).subarray(0, 20)).toUpperCase() });
    // a second init refuses to overwrite
    const again = run(["init", "--home", home]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists; refusing to overwrite/);
    // the node loads <home>/config.json and announces the init'd peer id
    const c = spawn(process.execPath, [BIN, "node", "--data-dir", home, "--rpc-port", "0", "--p2p-listen", "/ip4/127.0.0.1/tcp/0", "--workers", "0"], { stdio: ["ignore", "pipe", "pipe"], env });
    try {
      const p2p = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        c.stderr.on("data", (d: Buffer) => (err += d.toString()));
        c.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /^p2p (\S+)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        c.once("exit", (code) => reject(new Error(`node exited ${code}: ${err}${out}`)));
      });
      expect(p2p.endsWith(`/p2p/${peerId}`)).toBe(true);
    } finally {
      c.kill("SIGTERM");
    }
  }, 90_000);

  it("show-validator without a key says where it looked", () => {
    const r = run(["node", "show-validator", "--home", mkdtempSync(join(tmpdir(), "baios-init-"))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no validator key at .*validator\.key/);
  });
});

/**
 * Unbond gossip between real `baios node` processes over libp2p on loopback (docs/consensus.md
 * §4.4, docs/p2p.md §Topics): a signed unbond request submitted over RPC to a full node that
 * never proposes travels on the `unbond` topic to the validator, whose miner puts it in a block;
 * once finalized, both nodes' staking state shows the stake reduced and the unbonding entry.
 */
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ed25519PublicKey, ed25519Sign, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { devnetGenesis, encodeUnbond, genesisToFile, unbondMessage, type Unbond } from "@baios/consensus";
import { startNodeProc, stopNodeProc, until, type NodeProc } from "./helpers/procs.ts";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET, tmpDir } from "./helpers/fixture.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const procs: NodeProc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => stopNodeProc(p, "SIGKILL")));
});

/** The test genesis of helpers/procs.ts, but the validator bonds 100 and unbonding takes 1000 blocks (the entry stays queued during the test). */
function writeGenesis(dir: string): { path: string; chainId: number } {
  const g = devnetGenesis({
    wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
    validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 100n }],
    params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 250, unbondingDelay: 1000n },
  });
  const path = join(dir, "genesis.json");
  writeFileSync(path, JSON.stringify(genesisToFile(g), null, 2));
  return { path, chainId: g.params.chainId };
}

async function metric(n: NodeProc, line: RegExp): Promise<boolean> {
  const { readFileSync } = await import("node:fs");
  const token = readFileSync(join(n.dataDir, "rpc.cookie"), "utf8").trim();
  const text = await (await fetch(`http://127.0.0.1:${n.rpcPort}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  return line.test(text);
}

describe("unbond gossip between node processes (loopback)", () => {
  it("an unbond submitted to a non-validator full node ends up in a finalized block of the validator", async () => {
    const root = tmpDir("baios-unbond-");
    const { path: genesisPath, chainId } = writeGenesis(root);
    const v = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: true });
    procs.push(v);
    const a = await startNodeProc({ dataDir: tmpDir(), genesisPath, validator: false, bootstrap: [v.addr] });
    procs.push(a);
    await until(async () => ((await a.client.status()).network?.peerCount ?? 0) >= 1 && (await a.client.status()).height >= 2, 30_000, "full node connected and synced");
    await new Promise((r) => setTimeout(r, 1500)); // gossipsub subscriptions exchanged

    const key = hex(ed25519PublicKey(VALIDATOR_SEED));
    const r = randomScalar();
    const out = makeOutput(r, PAYOUT.viewPublic, PAYOUT.spendPublic, 0, 40n);
    const req: Omit<Unbond, "signature"> = { validator: ed25519PublicKey(VALIDATOR_SEED), amount: 40n, oneTimeKey: out.oneTimeKey, viewTag: out.viewTag, txPublicKey: scalarMultBase(r) };
    const u: Unbond = { ...req, signature: ed25519Sign(VALIDATOR_SEED, unbondMessage(chainId, req)) };
    expect((await a.client.submitUnbond(encodeUnbond(u))).accepted).toBe(true);
    expect((await a.client.submitUnbond(encodeUnbond(u))).accepted).toBe(false); // already pooled: not sent again

    const queued = async (n: NodeProc): Promise<boolean> => {
      const s = await n.client.getStaking();
      return s.validators.find((x) => x.publicKey === key)?.bonded === "60" && s.unbonding.some((e) => e.oneTimeKey === hex(u.oneTimeKey) && e.amount === "40");
    };
    await until(() => queued(v), 30_000, "the validator's block includes the unbond");
    await until(() => queued(a), 30_000, "the full node sees the finalized unbond");
    const sv = await v.client.getStaking();
    const entry = sv.unbonding.find((e) => e.oneTimeKey === hex(u.oneTimeKey));
    expect(entry?.validator).toBe(key);
    expect(entry?.matureHeight).toBeGreaterThan(sv.height); // queued for unbondingDelay = 1000 blocks
    // the validator took it from the topic (not from its own RPC)
    expect(await metric(v, /^baios_unbond_gossip_total\{result="accepted",code=""\} 1$/m)).toBe(true);
    await Promise.all([v, a].map((p) => stopNodeProc(p)));
  }, 90_000);
});

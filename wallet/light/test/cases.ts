/**
 * The light client's test cases, written once and run both in Node (light-client.test.ts, vitest)
 * and in headless Chromium (browser.test.ts bundles browser/entry.ts, which runs these). No test
 * framework inside: each case throws on failure.
 * @module
 */
import { decodeCertificate, encodeCertificate, fromHex, toHex, validatorSetBytes } from "@baios/consensus";
import fc from "fast-check";
import { LightClient } from "../src/client.ts";
import { MemoryCheckpointStore } from "../src/checkpoint.ts";
import type { LightUpdateResult } from "../src/wire.ts";
import { SPEC, assert, chainOf, eq, optionsOf, rejects } from "./case-helpers.ts";
import { bytesOf, setOf, signCertificate, type ChainSpec, type TestChain } from "./fixtures/chain.ts";
import { MemoryNode } from "./fixtures/memory-node.ts";
import { trustCases } from "./trust-cases.ts";

const open = (chain: TestChain, node: MemoryNode, store?: MemoryCheckpointStore): Promise<LightClient> =>
  LightClient.open(optionsOf(chain, node, store === undefined ? {} : { store }));

/** Rewrites `get_light_update` answers. */
const onUpdate = (node: MemoryNode, f: (r: LightUpdateResult) => LightUpdateResult): void => {
  node.tamper = (m, _p, r) => (m === "get_light_update" ? f(structuredClone(r) as LightUpdateResult) : r);
};

const flipHex = (s: string, at: number): string => s.slice(0, at) + (s[at] === "0" ? "1" : "0") + s.slice(at + 1);

export const cases: Record<string, () => Promise<void>> = {
  "a certificate chain across two validator-set changes verifies to the tip, fetching only the change headers and the head": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    const lc = await open(chain, node);
    const r = await lc.sync();
    eq(r.to, 40n, "verified height");
    eq(r.setChanges, 2, "set changes followed");
    eq(r.steps, 3, "steps: blocks 10, 25 and the head 40");
    eq(toHex(lc.head.hash), toHex(chain.hashes[40] as Uint8Array), "head hash");
    eq(toHex(lc.head.set.hash), toHex(setOf(SPEC.sets[2] as number[]).hash), "set in force after 40");
    eq(node.count("get_light_update"), 1, "one update call");
  },

  "a chain that skips a set change is rejected (first or second change left out), and nothing of it is kept": async () => {
    const chain = await chainOf(SPEC);
    for (const drop of [0, 1]) {
      const node = new MemoryNode(chain, 40);
      onUpdate(node, (r) => ({ ...r, steps: r.steps.filter((_s, i) => i !== drop) }));
      const lc = await open(chain, node);
      await rejects(lc.sync(), "SKIPPED_SET_CHANGE", `change ${drop} left out`);
      eq(lc.height, 0n, "head unchanged after a refused update");
    }
  },

  "a certificate signed by the replaced (stale) set is rejected": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    // block 40 is finalized by set 2 = {1,2,4,5}; the replaced set 1 = {0,1,2,4} signs it instead
    onUpdate(node, (r) => {
      const last = r.steps[r.steps.length - 1]!;
      last.certificate = toHex(encodeCertificate(signCertificate(chain, 40, SPEC.sets[1] as number[])));
      return r;
    });
    const lc = await open(chain, node);
    await rejects(lc.sync(), "STALE_SET", "certificate by the old set");
  },

  "a header naming the replaced set (a chain the old set kept extending) is rejected as STALE_SET": async () => {
    const chain = await chainOf(SPEC);
    // the old validators' chain: the same up to 25, but set 1 never hands over
    const stale = await chainOf({ ...SPEC, changes: [10], forkAt: 26, salt: 3 });
    const lc = await open(chain, new MemoryNode(chain, 30));
    await lc.sync();
    eq(lc.height, 30n, "synced to 30 on the honest chain");
    const liar = new MemoryNode(stale, 40);
    const lc2 = await LightClient.open(optionsOf(chain, liar, { store: new MemoryCheckpointStore(lc.checkpoint()) }));
    await rejects(lc2.sync(), "STALE_SET", "header by the stale set");
  },

  "a forged certificate is rejected: a bad signature, or too little stake": async () => {
    const chain = await chainOf(SPEC);
    for (const forge of ["signature", "stake"] as const) {
      const node = new MemoryNode(chain, 40);
      onUpdate(node, (r) => {
        const s = r.steps[1]!;
        const cert = decodeCertificate(fromHex(s.certificate));
        if (forge === "signature") cert.votes[0]!.signature[5]! ^= 1;
        else cert.votes = cert.votes.slice(0, 2);
        s.certificate = toHex(encodeCertificate(cert));
        return r;
      });
      await rejects((await open(chain, node)).sync(), "BAD_CERTIFICATE", `forged ${forge}`);
    }
  },

  "a served next validator set that does not hash to nextValidatorsHash is rejected": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    onUpdate(node, (r) => {
      r.steps[0]!.nextValidators = toHex(validatorSetBytes(setOf([0, 1, 2, 7]).validators));
      return r;
    });
    await rejects((await open(chain, node)).sync(), "BAD_VALIDATOR_SET", "another next set");
  },

  "a header from a fork (same validators equivocating after height 15) is rejected; so is a past header of the fork": async () => {
    const chain = await chainOf(SPEC);
    const fork = await chainOf({ ...SPEC, forkAt: 15, salt: 7 });
    const lc = await open(chain, new MemoryNode(chain, 20));
    await lc.sync();
    eq(lc.height, 20n, "synced to 20");
    const forkNode = new MemoryNode(fork, 40);
    const lc2 = await LightClient.open(optionsOf(chain, forkNode, { store: new MemoryCheckpointStore(lc.checkpoint()) }));
    await rejects(lc2.sync(), "FORK", "the fork's block 25 does not commit to our block 20");
    await rejects(lc2.header(18), "BAD_HEADER_PROOF", "the fork's block 18 against our head 20");
  },

  "past headers verify against the head's headerRoot; a tampered one is rejected": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    const lc = await open(chain, node);
    await lc.sync();
    const h = await lc.header(17);
    eq(toHex(h.stakingStateHash), toHex(chain.headers[17]!.stakingStateHash), "header 17");
    node.tamper = (m, _p, r) => (m === "get_header" ? { ...(r as object), timeMs: 5 } : r);
    await rejects(lc.header(17), "BAD_HEADER_PROOF", "tampered header");
    await rejects(lc.header(41), "NOT_VERIFIED", "above the head");
  },

  "an output's MMR inclusion proof verifies against the verified head; a tampered proof or another commitment is rejected": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    const lc = await open(chain, node);
    await lc.sync();
    const o = await lc.output(33);
    eq(toHex(o.commitment), toHex(chain.outputs[33]!.commitment), "output 33");
    node.tamper = (m, _p, r) => (m === "get_mmr_proof" ? { ...(r as object), proof: flipHex((r as { proof: string }).proof, 60) } : r);
    await rejects(lc.output(33), "BAD_INCLUSION_PROOF", "tampered proof");
    node.tamper = (m, _p, r) => (m === "get_outputs" ? { outputs: [{ globalIndex: 33, oneTimeKey: toHex(chain.outputs[33]!.oneTimeKey), commitment: toHex(bytesOf("fake")) }] } : r);
    await rejects(lc.output(33), "BAD_INCLUSION_PROOF", "another commitment");
    node.tamper = undefined;
    await rejects(lc.verifyOutput(200, chain.outputs[3]!.oneTimeKey, chain.outputs[3]!.commitment), "BAD_INCLUSION_PROOF", "index above outputCount");
  },

  "key-image proofs: spent and unspent verify against the verified keyImageRoot; a tampered or misattributed proof is rejected": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    const lc = await open(chain, node);
    await lc.sync(30);
    // the node proves at its tip 40: the client syncs there first
    const spent = await lc.keyImage(chain.keyImages[1]!);
    assert(spent.spent, "a spent key image is spent");
    eq(spent.height, 40n, "proven at the node's tip");
    eq(lc.height, 40n, "synced to the proof's height");
    assert(!(await lc.keyImage(bytesOf("never-spent"))).spent, "a fresh key image is unspent");
    node.tamper = (m, _p, r) => (m === "get_key_image_proof" ? { ...(r as object), proof: flipHex((r as { proof: string }).proof, 80) } : r);
    await rejects(lc.keyImage(chain.keyImages[1]!), "BAD_KEY_IMAGE_PROOF", "tampered proof");
    node.tamper = (m, _p, r) => (m === "get_key_image_proof" ? { ...(r as object), height: 39 } : r);
    await rejects(lc.keyImage(chain.keyImages[1]!), "BAD_KEY_IMAGE_PROOF", "proof naming block 40 as block 39");
  },

  "a returning client resumes from its checkpoint and verifies only what is new": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 30);
    const store = new MemoryCheckpointStore();
    const first = await open(chain, node, store);
    const r1 = await first.sync();
    eq(r1.steps, 3, "first run: 10, 25, 30");
    assert(store.text !== undefined, "checkpoint saved");
    node.tip = 60;
    node.calls.length = 0;
    const again = await open(chain, node, store);
    eq(again.height, 30n, "resumed at the checkpoint");
    const r2 = await again.sync();
    eq(r2.to, 60n, "verified to the new tip");
    eq(node.count("get_light_update"), 1, "one update call");
    eq(node.calls[0]!.params["from"], 30, "asked only from the checkpoint");
    eq(r2.steps, 2, "only what is new: the change at 45 and the head 60");
    eq(r2.setChanges, 1, "one new set change");
    // an idle return costs one call and no step
    const r3 = await (await open(chain, node, store)).sync();
    eq(r3.steps, 0, "nothing new");
  },

  "a checkpoint that is malformed or of another genesis is refused": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 30);
    const lc = await open(chain, node);
    await lc.sync();
    const text = lc.checkpoint();
    await rejects(open(chain, node, new MemoryCheckpointStore("{")), "CHECKPOINT_INVALID", "not JSON");
    const j = JSON.parse(text) as Record<string, unknown>;
    await rejects(open(chain, node, new MemoryCheckpointStore(JSON.stringify({ ...j, genesisHash: toHex(bytesOf("other")) }))), "CHECKPOINT_INVALID", "other genesis");
    await rejects(open(chain, node, new MemoryCheckpointStore(JSON.stringify({ ...j, validators: toHex(validatorSetBytes(setOf([0, 1, 2, 3]).validators)) }))), "CHECKPOINT_INVALID", "set not the header's next set");
    await rejects(open(chain, node, new MemoryCheckpointStore(JSON.stringify({ ...j, height: 29 }))), "CHECKPOINT_INVALID", "height");
  },

  "a next validator set in non-canonical byte order is refused (one set, one encoding)": async () => {
    const chain = await chainOf(SPEC);
    const node = new MemoryNode(chain, 40);
    onUpdate(node, (r) => {
      const b = fromHex(r.steps[0]!.nextValidators!);
      const swapped = new Uint8Array(b);
      swapped.set(b.subarray(4, 44), 44);
      swapped.set(b.subarray(44, 84), 4);
      r.steps[0]!.nextValidators = toHex(swapped);
      return r;
    });
    await rejects((await open(chain, node)).sync(), "BAD_VALIDATOR_SET", "members swapped");
  },

  "a genesis validator set that does not hash to the genesis header is refused": async () => {
    const chain = await chainOf(SPEC);
    await rejects(LightClient.open(optionsOf(chain, new MemoryNode(chain), { genesisValidators: setOf([0, 1, 2]).validators })), "GENESIS_MISMATCH", "wrong genesis set");
  },

  "more set changes than one answer carries: the client continues from the last change (two calls)": async () => {
    const n = 70;
    const spec: ChainSpec = { blocks: 80, sets: Array.from({ length: n + 1 }, (_, i) => (i % 2 === 0 ? [0, 1, 2, 3] : [0, 1, 2, 4])), changes: Array.from({ length: n }, (_, i) => i + 1), outputsPerBlock: 1 };
    const chain = await chainOf(spec);
    const node = new MemoryNode(chain);
    const lc = await open(chain, node);
    const r = await lc.sync();
    eq(r.to, 80n, "verified to the tip");
    eq(r.setChanges, n, "every change followed");
    eq(node.count("get_light_update"), 2, "two calls");
  },

  "cascade: verified (invariants, superParentsRoot, link to the head, work); a tampered or forked cascade is rejected": async () => {
    const chain = await chainOf(SPEC);
    const params = { levels: 32, perLevel: 4, depth: 5n };
    const node = new MemoryNode(chain, 60);
    node.cascade = { params };
    const lc = await LightClient.open(optionsOf(chain, node, { cascadeParams: params }));
    await lc.sync();
    const c = await lc.cascade();
    eq(c.tipHeight, 55n, "newest kept = tip − D");
    assert(c.work > 0n, "work");
    await rejects(lc.cascade({ minWork: c.work + 1n }), "BAD_CASCADE", "too little work");
    node.tamper = (m, _p, r) => (m === "get_cascade" ? { ...(r as object), cascade: flipHex((r as { cascade: string }).cascade, 2 * (10 + 1 + 100)) } : r);
    await rejects(lc.cascade(), "BAD_CASCADE", "tampered cascade");
    const fork = await chainOf({ ...SPEC, forkAt: 50, salt: 9 });
    const forkNode = new MemoryNode(fork, 60);
    forkNode.cascade = { params };
    const lc2 = await LightClient.open(optionsOf(chain, forkNode, { cascadeParams: params, store: new MemoryCheckpointStore(lc.checkpoint()) }));
    await rejects(lc2.cascade(), "BAD_CASCADE", "cascade of a fork");
  },

  "property: for random set-change heights the chain verifies, and leaving out any one change is rejected": async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 }), fc.nat(), async (raw, pick) => {
        const changes = [...raw].sort((a, b) => a - b);
        const spec: ChainSpec = { blocks: 32, sets: Array.from({ length: changes.length + 1 }, (_, i) => [i, i + 1, i + 2, i + 3]), changes, outputsPerBlock: 1 };
        const chain = await chainOf(spec);
        const ok = await open(chain, new MemoryNode(chain));
        const r = await ok.sync();
        eq(r.setChanges, changes.length, "changes followed");
        const node = new MemoryNode(chain);
        const drop = pick % changes.length;
        onUpdate(node, (u) => ({ ...u, steps: u.steps.filter((_s, i) => i !== drop) }));
        await rejects((await open(chain, node)).sync(), "SKIPPED_SET_CHANGE", `change at ${changes[drop]} left out`);
      }),
      { numRuns: 8, seed: 42 },
    );
  },

  ...trustCases,
};

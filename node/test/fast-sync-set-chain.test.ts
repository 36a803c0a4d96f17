/**
 * Fast sync trusts only the genesis validator set (docs/sync.md §3.4): the window's first set must
 * be the one the certified set changes from genesis reach (set-chain.ts, the light client's chain).
 *
 * An archive validator produces 40 blocks with a bond (a set change at an epoch boundary). A
 * fabricated chain shares its genesis: block 1 hands the set to a key the attacker holds (no valid
 * certificate by the genesis set), every later header is re-linked (parentHash, superParentsRoot,
 * headerRoot), re-mined to its target and the window re-certified by the attacker's key; the state
 * roots are the honest ones, so the snapshot passes every check of the cascade, window and state
 * (what the old code did: it took the window's first set from the peer). With the set chain it is
 * refused: against the honest set chain `SET_CHAIN_MISMATCH`, and the attacker's own set chain
 * `SET_CHAIN_INVALID`; without one `SET_CHAIN_UNAVAILABLE`. The honest snapshot with the honest
 * set chain (across the bond's set change) installs and opens at the source's tip. Over MemoryP2P
 * an archive node serves the set chain through the `set-chain` protocol.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { ed25519PublicKey } from "@baios/crypto";
import {
  Cascade,
  MemoryMmrBackend,
  Mmr,
  blockHash,
  certificateFromVotes,
  decodeBlock,
  encodeBlock,
  encodeCascade,
  encodeCertificate,
  encodeHeader,
  emptySuperParents,
  equalBytes,
  headerLeafHash,
  makeValidatorSet,
  mineBlock,
  nextSuperParents,
  peaks,
  signVote,
  superParentsRoot,
  toHex,
  verifyFinalityCertificate,
  type BlockHeader,
  type FinalityCertificate,
  type SuperParents,
} from "@baios/consensus";
import { buildLightUpdate, type LightUpdateSource } from "@baios/api/light-update";
import { Chain } from "../src/chain.ts";
import { Store } from "../src/store/store.ts";
import { nodeCascadeParams } from "../src/cascade-store.ts";
import { chainLightSource } from "../src/rpc/light.ts";
import { installSnapshot, registerClientProtocols } from "../src/sync/fast-sync.ts";
import { checkUnlockHeights, decodeSnapshot, encodeSnapshot, FastSyncError, verifySnapshot, type Snapshot } from "../src/sync/snapshot.ts";
import { SnapshotServer } from "../src/sync/snapshot-protocol.ts";
import { verifyCascadeWindow } from "../src/sync/window.ts";
import { fetchSetChain, genesisSetChainHead, registerSetChainProtocol, verifySetChainSteps } from "../src/sync/set-chain.ts";
import { tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain, codeOf } from "./helpers/fast-sync-genesis.ts";


function mine(h: BlockHeader): BlockHeader {
  for (let start = 0n; ; start += 1n << 16n) {
    const m = mineBlock(h, { maxTries: 1 << 16, startNonce: start });
    if (m !== undefined) return m;
  }
}

describe("fast sync follows the certified validator-set changes from genesis (docs/sync.md §3.4)", () => {
  it("a window certified by a fabricated set is refused; the honest one installs across a set change", async () => {
    const genesis = await fastSyncGenesis();
    const K = 4;
    const cascadeParams = nodeCascadeParams(genesis.params, K);
    const dirA = tmpDir();
    await produceChain(dirA, genesis, 40, { cascadePerLevel: K, config: { mode: "archive" } });
    const store = await Store.open(join(dirA, "chain"), { sync: false });
    const hub = new MemoryHub();
    const server = new MemoryP2P(hub, "archive");
    const client = new MemoryP2P(hub, "fresh");
    try {
      const chain = await Chain.open(store, genesis.block, genesis.certificate, { cascade: cascadeParams });
      const chainId = genesis.params.chainId;
      const honestBytes = (await new SnapshotServer(chain).latest()).bytes;
      const snap = decodeSnapshot(honestBytes);
      const H = Number(snap.height);
      const b = H - Number(cascadeParams.depth);
      expect(H).toBe(40);
      expect(b).toBeGreaterThan(0);
      const honest = await Promise.all(Array.from({ length: H + 1 }, async (_, h) => (await chain.header(h))!));
      const changes = honest.filter((h) => h.height > 0n && h.height <= BigInt(b) && !equalBytes(h.validatorsHash, h.nextValidatorsHash));
      expect(changes.length).toBeGreaterThanOrEqual(1); // the bond changed the set below the window

      const honestSteps = (await buildLightUpdate(chainLightSource(chain), 0, b + 1)).steps;
      const changesToStart = honest.filter((h) => h.height > 0n && h.height <= BigInt(b + 1) && !equalBytes(h.validatorsHash, h.nextValidatorsHash));
      expect(honestSteps.filter((s) => s.nextValidators !== undefined).length).toBe(changesToStart.length);
      const genesisHead = genesisSetChainHead(genesis.block.header, genesis.validators);
      const honestSetChain = async (to: number) => {
        expect(to).toBe(b + 1);
        return verifySetChainSteps(genesisHead, honestSteps, chainId);
      };
      const opts = { chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity, cascadeParams, blockTargetMax: genesis.params.blockTargetMax };

      // ---- the fabricated chain: block 1 hands the set to the attacker's key
      const fakeSeed = new Uint8Array(32).fill(0x41); // not the genesis validator's seed (fixture.ts VALIDATOR_SEED)
      const fakeSet = makeValidatorSet([{ publicKey: ed25519PublicKey(fakeSeed), stake: 1n }]);
      const fake: BlockHeader[] = [genesis.block.header];
      const fakeHashes: Uint8Array[] = [genesis.hash];
      const fakeMmr = new Mmr(new MemoryMmrBackend());
      await fakeMmr.append([headerLeafHash(0n, genesis.hash)]);
      let pointers: SuperParents = nextSuperParents(emptySuperParents(cascadeParams.levels), genesis.block.header, genesis.hash);
      let pointersBeforeH = pointers;
      for (let h = 1; h <= H; h++) {
        const src = honest[h]!;
        if (h === H) pointersBeforeH = pointers;
        const hd = mine({
          ...src,
          parentHash: fakeHashes[h - 1]!,
          superParentsRoot: superParentsRoot(pointers),
          headerRoot: await fakeMmr.root(),
          validatorsHash: h === 1 ? genesis.block.header.validatorsHash : fakeSet.hash,
          nextValidatorsHash: h === H ? src.nextValidatorsHash : fakeSet.hash, // H hands back to the honest next set: the state roots stay the honest ones
        });
        const hash = blockHash(hd);
        fake.push(hd);
        fakeHashes.push(hash);
        await fakeMmr.append([headerLeafHash(BigInt(h), hash)]);
        pointers = nextSuperParents(pointers, hd, hash);
      }
      const fakeCert = (h: number): FinalityCertificate => certificateFromVotes(BigInt(h), 0, fakeHashes[h]!, [signVote(fakeSeed, "precommit", chainId, BigInt(h), 0, fakeHashes[h]!)]);
      const cascade = new Cascade(cascadeParams);
      for (const h of fake.slice(0, b + 1)) cascade.add(h);
      const fakeSnap: Snapshot = {
        ...decodeSnapshot(honestBytes),
        blockHash: fakeHashes[H]!,
        superParentsBefore: pointersBeforeH,
        sets: [{ firstHeight: 2n, validators: [...fakeSet.validators] }],
        cascade: encodeCascade(cascade),
        headerPeaks: await peaksOf(fake.slice(0, b + 1).map((_, i) => headerLeafHash(BigInt(i), fakeHashes[i]!)), BigInt(b) + 1n),
        window: fake.slice(b + 1).map((h, i) => ({ header: encodeHeader(h), certificate: encodeCertificate(fakeCert(b + 1 + i)) })),
        tipBlock: encodeBlock({ ...decodeBlock(snap.tipBlock), header: fake[H]! }),
      };
      const fakeBytes = encodeSnapshot(fakeSnap);

      // what the old code checked: cascade, window (against the peer's set), state — all pass
      const trust = { chainId, genesis: genesis.block.header, genesisHash: genesis.hash, genesisValidators: genesis.validators, cascadeParams, blockTargetMax: genesis.params.blockTargetMax };
      const w = await verifyCascadeWindow(trust, decodeSnapshot(fakeBytes), (c, set) => verifyFinalityCertificate(c.certificate, { chainId, height: c.header.height, blockHash: c.hash, validatorSet: set }));
      await verifySnapshot(decodeSnapshot(fakeBytes), w.headers.at(-1)!.header, w.headers.at(-1)!.hash);
      checkUnlockHeights(decodeSnapshot(fakeBytes), genesis.block, w.cumulativeOutputs, genesis.params.coinbaseMaturity);
      expect(toHex(w.headers[0]!.header.validatorsHash)).toBe(toHex(fakeSet.hash));
      expect(toHex(fakeSet.hash)).not.toBe(toHex(genesis.block.header.validatorsHash));

      // now: refused against the honest set chain, with the attacker's own set chain, and without one
      expect(await codeOf(installSnapshot({ ...opts, chainDir: join(tmpDir(), "chain"), setChain: honestSetChain }, fakeBytes))).toBe("SET_CHAIN_MISMATCH");
      const fakeSource: LightUpdateSource = {
        tipHeight: () => H,
        header: (h) => fake[h],
        certificate: (h) => fakeCert(h),
        nextValidators: (h) => (h === H ? undefined : fakeSet.validators),
        headerProof: (h, at) => fakeMmr.proof(BigInt(h), BigInt(at)),
      };
      const fakeSteps = (await buildLightUpdate(fakeSource, 0, b + 1)).steps;
      expect(await codeOf(installSnapshot({ ...opts, chainDir: join(tmpDir(), "chain"), setChain: async () => verifySetChainSteps(genesisHead, fakeSteps, chainId) }, fakeBytes))).toBe("SET_CHAIN_INVALID");
      expect(await codeOf(installSnapshot({ ...opts, chainDir: join(tmpDir(), "chain") }, fakeBytes))).toBe("SET_CHAIN_UNAVAILABLE");
      // a set chain that skips the bond's change, or serves another next set, does not verify
      expect(await codeOf((async () => verifySetChainSteps(genesisHead, honestSteps.slice(1), chainId))())).toBe("SET_CHAIN_INVALID");
      const otherSet = honestSteps.map((s) => (s.nextValidators === undefined ? s : { ...s, nextValidators: s.nextValidators.slice(0, -2) + (s.nextValidators.endsWith("ff") ? "fe" : "ff") }));
      expect(await codeOf((async () => verifySetChainSteps(genesisHead, otherSet, chainId))())).toBe("SET_CHAIN_INVALID");

      // ---- the honest snapshot with the honest set chain, fetched over the `set-chain` protocol
      registerSetChainProtocol(server, chain);
      registerClientProtocols(client, genesis.params.maxBlockBytes);
      await server.start();
      await client.start();
      await client.dial(`/memory/${server.peerId}`);
      const head = await fetchSetChain(client, [server.peerId], { chainId, genesis: genesis.block.header, genesisValidators: genesis.validators }, b + 1);
      expect(head.header.height).toBe(BigInt(b + 1));
      expect(toHex(head.hash)).toBe(toHex(blockHash(honest[b + 1]!)));
      expect(toHex(head.set.hash)).toBe(toHex(honest[b + 1]!.nextValidatorsHash));
      const chainDir = join(tmpDir(), "chain");
      expect(await codeOf(installSnapshot({ ...opts, chainDir, setChain: async () => head }, honestBytes))).toBe("OK");
      const s2 = await Store.open(chainDir, { sync: false });
      const c2 = await Chain.open(s2, genesis.block, genesis.certificate, { cascade: cascadeParams });
      expect(toHex(c2.tipHash)).toBe(toHex(chain.tipHash));
      expect(toHex(c2.tipHeader.stakingStateHash)).toBe(toHex(chain.tipHeader.stakingStateHash));
      await s2.close();
    } finally {
      await client.stop().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await store.close();
    }
  }, 180_000);
});

/** Peaks (left to right) of the MMR over `leaves`, recomputed from the leaves. */
async function peaksOf(leaves: Uint8Array[], count: bigint): Promise<Uint8Array[]> {
  const backend = new MemoryMmrBackend();
  await new Mmr(backend).append(leaves);
  return peaks(count).map((p) => backend.get(p.pos0)!);
}

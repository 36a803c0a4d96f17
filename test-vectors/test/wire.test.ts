/**
 * wire.json (docs/protocol.md §10) from the TypeScript implementation's side, next to the
 * independent verifier's run in vectors.test.ts:
 * - drift check: the generator (test-vectors/gen-wire.ts) must reproduce the committed file
 *   byte for byte;
 * - `@baios/consensus` decodes every valid case, re-encodes it to the same bytes and computes
 *   the same hashes, and rejects every invalid case with the file's code;
 * - the independent verifier notices a tampered file (so its agreement means something).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bigIntToTarget, blockHash, bondConsentMessage, buildGenesisBlock, certificateHash, checkBlockPow, checkEvidence, coinbaseHash, ConsensusError, decodeBlock,
  decodeCertificate, decodeEvidence, decodeHeader, decodeTx, decodeUnbond, decodeVoteMessage, defaultParams, encodeBlock, encodeCertificate, encodeEvidence,
  encodeHeader, encodeTx, encodeUnbond, encodeVoteMessage, evidenceLeafHash, evidenceRoot, fromHex, nextBlockTarget, parseGenesis, powLevel,
  precommitMessage, stakingRoot, toHex, txId, txRoot, txSigningHash, unbondLeafHash, unbondMessage, verifyUnbondSignature, voteMessage,
} from "@baios/consensus";
import { WIRE_VECTOR_FILE, wireVectorText } from "../gen-wire.ts";
import { checkVectorFile, formatDisagreements } from "../independent/check.ts";
import { loadVectorFile, VECTOR_DIR, type TestCase, type VectorFile } from "../independent/vectors.ts";

const vf = loadVectorFile(WIRE_VECTOR_FILE);
const group = (type: string): readonly TestCase[] => vf.testGroups.find((g) => g.type === type)?.tests ?? [];
const s = (t: TestCase, k: string): string => t.raw[k] as string;
const n = (t: TestCase, k: string): number => t.raw[k] as number;
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
  return "valid";
};

describe("wire.json", () => {
  it("is what the generator produces (drift check: `node test-vectors/gen-wire.ts` rewrites it)", async () => {
    const committed = readFileSync(join(VECTOR_DIR, WIRE_VECTOR_FILE), "utf8");
    expect(await wireVectorText()).toBe(committed);
  });

  it("the independent verifier imports nothing from the code it checks", () => {
    const dir = join(VECTOR_DIR, "independent");
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
      const src = readFileSync(join(dir, f), "utf8");
      expect(src, `independent/${f} imports @baios/*`).not.toMatch(/from\s+["']@baios\//);
      expect(src, `independent/${f} imports from outside independent/`).not.toMatch(/from\s+["']\.\.\//);
    }
  });

  it("has every object the spec names, valid and invalid", () => {
    for (const type of ["GenesisWire", "TxWire", "HeaderWire", "BlockPow", "Retarget", "BlockWire", "UnbondWire", "EvidenceWire", "CertificateWire", "VoteWire"]) {
      expect(group(type).some((t) => t.result === "valid"), `${type}: no valid case`).toBe(true);
    }
    for (const type of ["TxWire", "HeaderWire", "BlockPow", "BlockWire", "UnbondWire", "EvidenceWire", "CertificateWire", "VoteWire"]) {
      expect(group(type).some((t) => t.result === "invalid"), `${type}: no invalid case`).toBe(true);
    }
  });

  it("@baios/consensus: genesis file → genesis block bytes and hashes", async () => {
    for (const t of group("GenesisWire")) {
      const g = await buildGenesisBlock(parseGenesis(t.raw.genesisFile));
      expect(toHex(encodeBlock(g.block))).toBe(s(t, "block"));
      expect(toHex(g.hash)).toBe(s(t, "blockHash"));
      expect(toHex(coinbaseHash(g.block.coinbase))).toBe(s(t, "coinbaseHash"));
      expect(toHex(g.block.header.outputRoot)).toBe(s(t, "outputRoot"));
      expect(toHex(g.block.header.validatorsHash)).toBe(s(t, "validatorsHash"));
      expect(decodeBlock(fromHex(s(t, "block")))).toEqual(g.block);
    }
  });

  it("@baios/consensus: txs decode, re-encode and hash as stated; invalid ones get the stated code", () => {
    for (const t of group("TxWire")) {
      const bytes = fromHex(s(t, "tx"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeTx(bytes, n(t, "maxBytes"))), `tcId ${t.tcId}: ${t.comment}`).toBe(t.error);
        continue;
      }
      const tx = decodeTx(bytes, n(t, "maxBytes"));
      expect(toHex(encodeTx(tx))).toBe(s(t, "tx"));
      expect(toHex(txId(tx))).toBe(s(t, "txid"));
      expect(toHex(txSigningHash(tx))).toBe(s(t, "signingHash"));
      if (tx.version === 2) expect(toHex(bondConsentMessage(tx))).toBe(s(t, "consentMessage"));
    }
  });

  it("@baios/consensus: block PoW, retarget, unbonds and evidence", () => {
    for (const t of group("BlockPow")) {
      const h = decodeHeader(fromHex(s(t, "header")));
      expect(toHex(blockHash(h))).toBe(s(t, "blockHash"));
      expect(codeOf(() => checkBlockPow(h)), `tcId ${t.tcId}`).toBe(t.result === "valid" ? "valid" : t.error);
      if (t.result === "valid") expect(powLevel(blockHash(h), h.blockTarget)).toBe(n(t, "powLevel"));
    }
    for (const t of group("Retarget")) {
      const p = defaultParams({ blockTimeMs: n(t, "blockTimeMs"), blockTargetMax: fromHex(s(t, "blockTargetMax")) });
      const parent = { ...decodeHeader(new Uint8Array(488)), height: 5n, blockTarget: fromHex(s(t, "parentTarget")), timeMs: BigInt(s(t, "parentTimeMs")) };
      expect(toHex(nextBlockTarget(parent, BigInt(s(t, "grandparentTimeMs")), p)), `tcId ${t.tcId}: ${t.comment}`).toBe(s(t, "nextTarget"));
    }
    expect(bigIntToTarget(1n)[31]).toBe(1);
    for (const t of group("UnbondWire")) {
      const bytes = fromHex(s(t, "unbond"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeUnbond(bytes)), `tcId ${t.tcId}`).toBe(t.error);
        continue;
      }
      const u = decodeUnbond(bytes);
      expect(toHex(encodeUnbond(u))).toBe(s(t, "unbond"));
      expect(toHex(unbondMessage(n(t, "chainId"), u))).toBe(s(t, "signedMessage"));
      expect(toHex(unbondLeafHash(u))).toBe(s(t, "leafHash"));
      expect(codeOf(() => verifyUnbondSignature(u, n(t, "chainId")))).toBe("valid");
    }
    for (const t of group("EvidenceWire")) {
      const bytes = fromHex(s(t, "evidence"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeEvidence(bytes)), `tcId ${t.tcId}`).toBe(t.error);
        continue;
      }
      const ev = decodeEvidence(bytes);
      expect(toHex(encodeEvidence(ev))).toBe(s(t, "evidence"));
      expect(toHex(evidenceLeafHash(ev))).toBe(s(t, "leafHash"));
      expect(codeOf(() => checkEvidence(ev, { chainId: n(t, "chainId"), height: 1n, maxAge: 10n, maxBlockBytes: 1 << 22 }))).toBe("valid");
    }
  });

  it("@baios/consensus: headers, blocks, certificates and vote messages", () => {
    for (const t of group("HeaderWire")) {
      const bytes = fromHex(s(t, "header"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeHeader(bytes)), `tcId ${t.tcId}`).toBe(t.error);
        continue;
      }
      const h = decodeHeader(bytes);
      expect(toHex(encodeHeader(h))).toBe(s(t, "header"));
      expect(toHex(blockHash(h))).toBe(s(t, "blockHash"));
    }
    for (const t of group("BlockWire")) {
      const bytes = fromHex(s(t, "block"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeBlock(bytes, n(t, "maxBytes"))), `tcId ${t.tcId}: ${t.comment}`).toBe(t.error);
        continue;
      }
      const b = decodeBlock(bytes, n(t, "maxBytes"));
      expect(toHex(encodeBlock(b))).toBe(s(t, "block"));
      expect(toHex(blockHash(b.header))).toBe(s(t, "blockHash"));
      expect(toHex(coinbaseHash(b.coinbase))).toBe(s(t, "coinbaseHash"));
      expect(toHex(txRoot(b.coinbase, b.txs))).toBe(s(t, "txRoot"));
      expect(b.txs.map((tx) => toHex(txId(tx)))).toEqual(t.raw.txids);
      expect(toHex(certificateHash(b.lastCertificate))).toBe(s(t, "lastCertificateHash"));
      expect(toHex(stakingRoot(b.unbonds))).toBe(s(t, "stakingRoot"));
      expect(toHex(evidenceRoot(b.evidence))).toBe(s(t, "evidenceRoot"));
    }
    for (const t of group("CertificateWire")) {
      const bytes = fromHex(s(t, "certificate"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeCertificate(bytes)), `tcId ${t.tcId}`).toBe(t.error);
        continue;
      }
      const c = decodeCertificate(bytes);
      expect(toHex(encodeCertificate(c))).toBe(s(t, "certificate"));
      expect(toHex(precommitMessage(n(t, "chainId"), c.height, c.round, c.blockHash))).toBe(s(t, "signedMessage"));
    }
    for (const t of group("VoteWire")) {
      const bytes = fromHex(s(t, "vote"));
      if (t.result === "invalid") {
        expect(codeOf(() => decodeVoteMessage(bytes)), `tcId ${t.tcId}`).toBe(t.error);
        continue;
      }
      const v = decodeVoteMessage(bytes);
      expect(toHex(encodeVoteMessage(v))).toBe(s(t, "vote"));
      expect(toHex(voteMessage(v.kind, v.chainId, v.height, v.round, v.blockHash))).toBe(s(t, "signedMessage"));
    }
  });

  it("the independent verifier notices a tampered vector", () => {
    const clean = checkVectorFile(vf);
    expect(formatDisagreements(clean.disagreements)).toBe("");
    const tamper = (type: string, tcId: number, edit: (raw: Record<string, unknown>) => Record<string, unknown>): VectorFile => ({
      ...vf,
      testGroups: vf.testGroups.map((g) => g.type !== type ? g : {
        ...g,
        tests: g.tests.map((t) => t.tcId !== tcId ? t : { ...t, raw: edit(structuredClone(t.raw) as Record<string, unknown>) }),
      }),
    });
    const flip = (hex: string, at: number): string => hex.slice(0, 2 * at) + ((parseInt(hex.slice(2 * at, 2 * at + 2), 16) ^ 1).toString(16).padStart(2, "0")) + hex.slice(2 * at + 2);
    const txCase = group("TxWire").find((t) => t.result === "valid") as TestCase;
    const blockCase = group("BlockWire").find((t) => t.result === "valid") as TestCase;
    const genesisCase = group("GenesisWire")[0] as TestCase;
    const voteCase = group("VoteWire").find((t) => t.result === "valid") as TestCase;
    const badFor = (f: VectorFile, tcId: number): string[] => checkVectorFile(f).disagreements.filter((d) => d.tcId === tcId).map((d) => d.field);
    // a flipped fee byte: txid, signing hash and the MLSAG no longer match
    expect(badFor(tamper("TxWire", txCase.tcId, (r) => ({ ...r, tx: flip(r.tx as string, 9) })), txCase.tcId).length).toBeGreaterThan(0);
    // a wrong stated txid
    expect(badFor(tamper("TxWire", txCase.tcId, (r) => ({ ...r, txid: flip(r.txid as string, 0) })), txCase.tcId)).toContain("txid");
    // a flipped byte in the block's tx: the header's tx root no longer matches
    expect(badFor(tamper("BlockWire", blockCase.tcId, (r) => ({ ...r, block: flip(r.block as string, (r.block as string).length / 2 - 3) })), blockCase.tcId).length).toBeGreaterThan(0);
    // a genesis file with another premine amount rebuilds another block
    expect(badFor(tamper("GenesisWire", genesisCase.tcId, (r) => {
      const f = r.genesisFile as { premine: { amount: string }[] };
      f.premine[0]!.amount = (BigInt(f.premine[0]!.amount) + 1n).toString();
      return r;
    }), genesisCase.tcId)).toContain("block (rebuilt from genesisFile)");
    // a vote with another round: the signature no longer verifies
    expect(badFor(tamper("VoteWire", voteCase.tcId, (r) => ({ ...r, vote: flip(r.vote as string, 13) })), voteCase.tcId).length).toBeGreaterThan(0);
    // a header with a flipped nonce byte no longer meets its target (or changes its hash)
    const powCase = group("BlockPow").find((t) => t.result === "valid") as TestCase;
    expect(badFor(tamper("BlockPow", powCase.tcId, (r) => ({ ...r, header: flip(r.header as string, 359) })), powCase.tcId).length).toBeGreaterThan(0);
    // a retarget case with a wrong next target
    const rt = group("Retarget")[1] as TestCase;
    expect(badFor(tamper("Retarget", rt.tcId, (r) => ({ ...r, nextTarget: flip(r.nextTarget as string, 31) })), rt.tcId)).toContain("nextTarget");
    // an unbond with a flipped amount byte: its signature no longer verifies
    const ub = group("UnbondWire").find((t) => t.result === "valid") as TestCase;
    expect(badFor(tamper("UnbondWire", ub.tcId, (r) => ({ ...r, unbond: flip(r.unbond as string, 33) })), ub.tcId).length).toBeGreaterThan(0);
    // duplicate-vote evidence with the votes swapped: not in canonical order
    const dv = group("EvidenceWire").find((t) => t.result === "valid") as TestCase;
    expect(badFor(tamper("EvidenceWire", dv.tcId, (r) => {
      const h = r.evidence as string;
      return { ...r, evidence: h.slice(0, 2) + h.slice(2 + 290, 2 + 580) + h.slice(2, 2 + 290) };
    }), dv.tcId).length).toBeGreaterThan(0);
    // a stated staking root that is not the body's
    expect(badFor(tamper("BlockWire", blockCase.tcId, (r) => ({ ...r, stakingRoot: flip(r.stakingRoot as string, 0) })), blockCase.tcId)).toContain("stakingRoot");
    // another parent (its time flipped): block 1's parentHash, headerRoot and superParentsRoot no longer follow from it
    const badParent = badFor(tamper("BlockWire", blockCase.tcId, (r) => ({ ...r, parentHeader: flip(r.parentHeader as string, 48) })), blockCase.tcId);
    expect(badParent).toContain("header.headerRoot");
    expect(badParent).toContain("header.superParentsRoot");
    // an invalid case marked with another code
    const inv = group("TxWire").find((t) => t.error === "TX_OVERSIZED") as TestCase;
    expect(badFor(tamper("TxWire", inv.tcId, (r) => r), inv.tcId)).toEqual([]);
    const wrong = tamper("TxWire", inv.tcId, (r) => r);
    const wrongCode: VectorFile = { ...wrong, testGroups: wrong.testGroups.map((g) => ({ ...g, tests: g.tests.map((t) => t.tcId === inv.tcId ? { ...t, error: "TX_MALFORMED" } : t) })) };
    expect(badFor(wrongCode, inv.tcId)).toEqual(["error"]);
  });
});

/**
 * Checkers of `wire.json` (test-vectors/README.md): every valid case is decoded with the
 * independent reader ({@link parseTx} …), written back byte for byte, and its hashes are
 * recomputed with the documented tags; the signatures and proofs it carries are verified over
 * those hashes (MLSAG over the signing hash, Tx-PoW over the txid, Ed25519 over the vote, bond
 * consent and unbond messages), which shows the hashed bytes are the ones the signers signed.
 * Header v2: the block hash is checked against the header's blockTarget (the block PoW), the
 * body's certificate, unbonds and evidence against the header's lastCertificateHash,
 * stakingRoot and evidenceRoot, and retarget cases are recomputed. The genesis block is rebuilt
 * from its genesis file. Invalid cases must end in a {@link WireError} with the file's code.
 *
 * @module
 */
import type { Checker } from "./check.ts";
import { toHex } from "./encoding.ts";
import {
  bondConsentMessageOf, certificateHashOf, CONSENSUS_TAGS, h32, headerLeafOf, meetsBlockTarget, merkleRootOf, mmrRootOf, pointersAfterFirst, powLevelOf, superParentsRootOf, rebuildGenesis, retarget, txLeaf, txRootOf,
  unbondMessageOf, voteBytesOf,
} from "./chainhash.ts";
import { beToBigint, bytesEqual } from "./encoding.ts";
import { verifyMlsag } from "./mlsag.ts";
import { kisetRootOf } from "./kiset.ts";
import { powHash, verifyTxPow } from "./txpow.ts";
import { ed25519VerifyStrict } from "./ed25519.ts";
import {
  parseBlock, parseCertificate, parseEvidence, parseHeader, parseTx, parseUnbond, parseVote, writeCertificate, writeCoinbase, writeEvidence, writeHeader, writeTx,
  writeUnbond, WireError, type WireEvidence, type WireTx, type WireUnbond, type WireVote,
} from "./wire.ts";
import { arrayField, hexArrayField, hexField, intField, objectArrayField, u64Field, VectorShapeError } from "./vectors.ts";

const H = toHex;
const txidOf = (tx: WireTx): Uint8Array => h32(CONSENSUS_TAGS.txid, tx.bodyBytes);

/** The signed message of a vote: `h32(prevote | precommit tag, vote bytes)`. */
const voteMessageOf = (v: WireVote): Uint8Array => h32(v.kind === "prevote" ? CONSENSUS_TAGS.prevote : CONSENSUS_TAGS.precommit, v.voteBytes);

/** Verifies an unbond's signature over `h32("BAIOS/v1/unbond", u32le chainId ‖ its first 105 bytes)`. */
function checkUnbond(u: WireUnbond, chainId: number): Uint8Array {
  const msg = unbondMessageOf(chainId, u.signedBytes);
  ed25519VerifyStrict(u.validator, msg, u.signature);
  return msg;
}

/**
 * Verifies an evidence item: a duplicate vote is two votes of one validator, kind, height and
 * round, `voteA.blockHash < voteB.blockHash` bytewise, both signatures valid; an invalid
 * attestation is a non-nil signed vote whose block parses and hashes to the voted hash at the
 * voted height.
 */
function checkEvidenceItem(ev: WireEvidence, chainId: number, rec: { derived(field: string, ours: string, theirs: string): void }, p: string): void {
  if (ev.kind === "duplicate-vote") {
    const a = ev.voteA;
    const b = ev.voteB;
    rec.derived(`${p}: same validator, kind, height, round, chain`, "yes", bytesEqual(a.validator, b.validator) && a.kind === b.kind && a.height === b.height && a.round === b.round && a.chainId === chainId && b.chainId === chainId ? "yes" : "no");
    rec.derived(`${p}: voteA.blockHash < voteB.blockHash`, "yes", beToBigint(a.blockHash) < beToBigint(b.blockHash) ? "yes" : "no");
    ed25519VerifyStrict(a.validator, voteMessageOf(a), a.signature);
    ed25519VerifyStrict(b.validator, voteMessageOf(b), b.signature);
    return;
  }
  const v = ev.vote;
  rec.derived(`${p}: vote not nil`, "yes", v.blockHash.some((x) => x !== 0) ? "yes" : "no");
  const blk = parseBlock(ev.block, Number.MAX_SAFE_INTEGER);
  rec.derived(`${p}: attested block hash`, H(h32(CONSENSUS_TAGS.block, blk.headerBytes)), H(v.blockHash));
  rec.derived(`${p}: attested block height`, String(blk.header.height), String(v.height));
  ed25519VerifyStrict(v.validator, voteMessageOf(v), v.signature);
}

/** Checkers by group type of `wire.json`. */
export const WIRE_CHECKERS: Readonly<Record<string, Checker>> = {
  GenesisWire(_g, t, rec, w) {
    if (!("genesisFile" in t.raw)) throw new VectorShapeError(w, "missing field genesisFile");
    const blockBytes = hexField(t.raw, "block", w);
    const g = rebuildGenesis(t.raw.genesisFile);
    rec.derived("block (rebuilt from genesisFile)", H(g.blockBytes), H(blockBytes));
    rec.derived("blockHash", H(g.blockHash), H(hexField(t.raw, "blockHash", w)));
    rec.derived("coinbaseHash", H(g.coinbaseHash), H(hexField(t.raw, "coinbaseHash", w)));
    rec.derived("txRoot", H(g.txRoot), H(hexField(t.raw, "txRoot", w)));
    rec.derived("outputRoot", H(g.outputRoot), H(hexField(t.raw, "outputRoot", w)));
    rec.derived("validatorsHash", H(g.validatorsHash), H(hexField(t.raw, "validatorsHash", w)));
    const b = parseBlock(blockBytes, Number.MAX_SAFE_INTEGER);
    rec.derived("blockHash (of the decoded header)", H(h32(CONSENSUS_TAGS.block, b.headerBytes)), H(g.blockHash));
  },

  TxWire(_g, t, rec, w) {
    const bytes = hexField(t.raw, "tx", w);
    const tx = parseTx(bytes, intField(t.raw, "maxBytes", w, 0, 2 ** 32));
    rec.derived("tx (written back)", H(writeTx(tx)), H(bytes));
    const txid = txidOf(tx);
    const signingHash = h32(CONSENSUS_TAGS.txSign, tx.signingBytes);
    rec.derived("txid", H(txid), H(hexField(t.raw, "txid", w)));
    rec.derived("signingHash", H(signingHash), H(hexField(t.raw, "signingHash", w)));
    rec.derived("powHash", H(powHash(txid, tx.powNonce)), H(hexField(t.raw, "powHash", w)));
    verifyTxPow(txid, tx.powNonce, hexField(t.raw, "txPowTarget", w));
    if (tx.stake !== undefined) {
      const consent = bondConsentMessageOf(tx.signingBytes);
      rec.derived("consentMessage", H(consent), H(hexField(t.raw, "consentMessage", w)));
      ed25519VerifyStrict(tx.stake.validator, consent, tx.stake.validatorSignature);
    }
    const rings = arrayField(t.raw, "rings", w);
    rec.derived("rings (count)", String(rings.length), String(tx.inputs.length));
    tx.inputs.forEach((inp, i) => {
      const members = objectArrayField({ ring: rings[i] }, "ring", `${w} rings[${i}]`);
      rec.derived(`inputs[${i}].ring`, inp.ring.join(","), members.map((m, j) => u64Field(m, "globalIndex", `${w} rings[${i}][${j}]`)).join(","));
      const ring = members.map((m, j) => ({ key: hexField(m, "key", `${w} rings[${i}][${j}]`), commitment: hexField(m, "commitment", `${w} rings[${i}][${j}]`) }));
      verifyMlsag(signingHash, ring, inp.pseudoOut, inp.keyImage, tx.signatures[i] ?? new Uint8Array(0));
    });
  },

  HeaderWire(_g, t, rec, w) {
    const bytes = hexField(t.raw, "header", w);
    const h = parseHeader(bytes);
    rec.derived("header (written back)", H(writeHeader(h)), H(bytes));
    rec.derived("blockHash", H(h32(CONSENSUS_TAGS.block, bytes)), H(hexField(t.raw, "blockHash", w)));
  },

  BlockPow(_g, t, rec, w) {
    const bytes = hexField(t.raw, "header", w);
    const h = parseHeader(bytes);
    const hash = h32(CONSENSUS_TAGS.block, bytes);
    rec.derived("blockHash", H(hash), H(hexField(t.raw, "blockHash", w)));
    rec.derived("blockTarget", H(h.blockTarget), H(hexField(t.raw, "blockTarget", w)));
    if (!meetsBlockTarget(hash, h.blockTarget)) throw new WireError("BLOCK_BAD_POW", "block hash above blockTarget");
    rec.derived("powLevel", String(powLevelOf(hash, h.blockTarget)), String(intField(t.raw, "powLevel", w, 0, 63)));
  },

  Retarget(_g, t, rec, w) {
    const next = retarget(
      beToBigint(hexField(t.raw, "parentTarget", w)),
      u64Field(t.raw, "parentTimeMs", w),
      u64Field(t.raw, "grandparentTimeMs", w),
      BigInt(intField(t.raw, "blockTimeMs", w, 1, 2 ** 32)),
      beToBigint(hexField(t.raw, "blockTargetMax", w)),
    );
    rec.derived("nextTarget", next.toString(16).padStart(64, "0"), H(hexField(t.raw, "nextTarget", w)));
  },

  UnbondWire(_g, t, rec, w) {
    const bytes = hexField(t.raw, "unbond", w);
    const u = parseUnbond(bytes);
    rec.derived("unbond (written back)", H(writeUnbond(u)), H(bytes));
    const msg = checkUnbond(u, intField(t.raw, "chainId", w, 0, 0xffff_ffff));
    rec.derived("signedMessage", H(msg), H(hexField(t.raw, "signedMessage", w)));
    rec.derived("leafHash", H(h32(CONSENSUS_TAGS.unbondLeaf, bytes)), H(hexField(t.raw, "leafHash", w)));
  },

  EvidenceWire(_g, t, rec, w) {
    const bytes = hexField(t.raw, "evidence", w);
    const ev = parseEvidence(bytes);
    rec.derived("evidence (written back)", H(writeEvidence(ev)), H(bytes));
    rec.derived("leafHash", H(h32(CONSENSUS_TAGS.evidence, bytes)), H(hexField(t.raw, "leafHash", w)));
    checkEvidenceItem(ev, intField(t.raw, "chainId", w, 0, 0xffff_ffff), rec, "evidence");
  },

  BlockWire(_g, t, rec, w) {
    const bytes = hexField(t.raw, "block", w);
    const b = parseBlock(bytes, intField(t.raw, "maxBytes", w, 0, 2 ** 32));
    rec.derived("header (written back)", H(writeHeader(b.header)), H(b.headerBytes));
    rec.derived("coinbase (written back)", H(writeCoinbase(b.coinbase)), H(b.coinbaseBytes));
    b.txs.forEach((tx, i) => rec.derived(`txs[${i}] (written back)`, H(writeTx(tx)), H(concat2(tx.bodyBytes, tx.powNonce))));
    const coinbaseHash = h32(CONSENSUS_TAGS.coinbase, b.coinbaseBytes);
    const txids = b.txs.map(txidOf);
    const root = txRootOf([coinbaseHash, ...b.txs.map((tx, i) => txLeaf(txids[i] as Uint8Array, tx.powNonce))]);
    rec.derived("blockHash", H(h32(CONSENSUS_TAGS.block, b.headerBytes)), H(hexField(t.raw, "blockHash", w)));
    rec.derived("coinbaseHash", H(coinbaseHash), H(hexField(t.raw, "coinbaseHash", w)));
    rec.derived("txRoot", H(root), H(hexField(t.raw, "txRoot", w)));
    rec.derived("header.txRoot", H(b.header.txRoot), H(root));
    rec.derived("txids", txids.map(H).join(","), hexArrayField(t.raw, "txids", w).map(H).join(","));
    // header v2: PoW, and the body's certificate, unbonds and evidence against the header
    if (!meetsBlockTarget(h32(CONSENSUS_TAGS.block, b.headerBytes), b.header.blockTarget)) throw new WireError("BLOCK_BAD_POW", "block hash above blockTarget");
    rec.derived("lastCertificate (written back)", H(writeCertificate(b.lastCertificate)), H(b.certificateBytes));
    const certHash = certificateHashOf(b.certificateBytes);
    rec.derived("lastCertificateHash", H(certHash), H(hexField(t.raw, "lastCertificateHash", w)));
    rec.derived("header.lastCertificateHash", H(b.header.lastCertificateHash), H(certHash));
    const chainId = intField(t.raw, "chainId", w, 0, 0xffff_ffff);
    b.unbonds.forEach((u, i) => {
      rec.derived(`unbonds[${i}] (written back)`, H(writeUnbond(u)), H(u.bytes));
      checkUnbond(u, chainId);
    });
    const sRoot = merkleRootOf(b.unbonds.map((u) => h32(CONSENSUS_TAGS.unbondLeaf, u.bytes)), CONSENSUS_TAGS.stakingRoot);
    rec.derived("stakingRoot", H(sRoot), H(hexField(t.raw, "stakingRoot", w)));
    rec.derived("header.stakingRoot", H(b.header.stakingRoot), H(sRoot));
    b.evidence.forEach((ev, i) => {
      rec.derived(`evidence[${i}] (written back)`, H(writeEvidence(ev)), H(ev.bytes));
      checkEvidenceItem(ev, chainId, rec, `evidence[${i}]`);
    });
    const eRoot = merkleRootOf(b.evidence.map((ev) => h32(CONSENSUS_TAGS.evidence, ev.bytes)), CONSENSUS_TAGS.evidenceRoot);
    rec.derived("evidenceRoot", H(eRoot), H(hexField(t.raw, "evidenceRoot", w)));
    rec.derived("header.evidenceRoot", H(b.header.evidenceRoot), H(eRoot));
    for (const tx of b.txs) if (tx.stake !== undefined) ed25519VerifyStrict(tx.stake.validator, bondConsentMessageOf(tx.signingBytes), tx.stake.validatorSignature);
    // commitments to the past (§5.4, §15; docs/cascade.md §3), when the vector gives the parent and it is genesis
    if (t.raw.parentHeader !== undefined) {
      const parentBytes = hexField(t.raw, "parentHeader", w);
      const parent = parseHeader(parentBytes);
      const parentHash = h32(CONSENSUS_TAGS.block, parentBytes);
      rec.derived("header.parentHash", H(b.header.parentHash), H(parentHash));
      if (parent.height !== 0n || b.header.height !== 1n) throw new VectorShapeError(w, "parentHeader: only a genesis parent is supported");
      rec.derived("header.headerRoot", H(b.header.headerRoot), H(mmrRootOf([headerLeafOf(0n, parentHash)])));
      rec.derived("header.superParentsRoot", H(b.header.superParentsRoot), H(superParentsRootOf(pointersAfterFirst(0n, parentHash, parent.blockTarget))));
      rec.derived("header.keyImageRoot", H(b.header.keyImageRoot), H(kisetRootOf(b.txs.flatMap((tx) => tx.inputs.map((i) => i.keyImage)))));
    }
  },

  CertificateWire(_g, t, rec, w) {
    const cert = parseCertificate(hexField(t.raw, "certificate", w));
    const chainId = intField(t.raw, "chainId", w, 0, 0xffff_ffff);
    const msg = h32(CONSENSUS_TAGS.precommit, voteBytesOf(chainId, cert.height, cert.round, cert.blockHash));
    rec.derived("signedMessage", H(msg), H(hexField(t.raw, "signedMessage", w)));
    for (const v of cert.votes) ed25519VerifyStrict(v.validator, msg, v.signature);
  },

  VoteWire(_g, t, rec, w) {
    const v = parseVote(hexField(t.raw, "vote", w));
    rec.derived("voteBytes", H(v.voteBytes), H(voteBytesOf(v.chainId, v.height, v.round, v.blockHash)));
    const msg = h32(v.kind === "prevote" ? CONSENSUS_TAGS.prevote : CONSENSUS_TAGS.precommit, v.voteBytes);
    rec.derived("signedMessage", H(msg), H(hexField(t.raw, "signedMessage", w)));
    ed25519VerifyStrict(v.validator, msg, v.signature);
  },
};

/** `body ‖ u64le(nonce)` (a tx's wire bytes from its body). */
function concat2(body: Uint8Array, nonce: bigint): Uint8Array {
  const out = new Uint8Array(body.length + 8);
  out.set(body);
  new DataView(out.buffer).setBigUint64(body.length, nonce, true);
  return out;
}

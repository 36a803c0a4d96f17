/**
 * Checkers of `wire.json` (test-vectors/README.md): every valid case is decoded with the
 * independent reader ({@link parseTx} …), written back byte for byte, and its hashes are
 * recomputed with the documented tags; the signatures and proofs it carries are verified over
 * those hashes (MLSAG over the signing hash, Tx-PoW over the txid, Ed25519 over the vote
 * messages), which shows the hashed bytes are the ones the signers signed. The genesis block is
 * rebuilt from its genesis file. Invalid cases must end in a {@link WireError} with the file's
 * code.
 *
 * @module
 */
import type { Checker } from "./check.ts";
import { toHex } from "./encoding.ts";
import { CONSENSUS_TAGS, h32, rebuildGenesis, txLeaf, txRootOf, voteBytesOf } from "./chainhash.ts";
import { verifyMlsag } from "./mlsag.ts";
import { powHash, verifyTxPow } from "./txpow.ts";
import { ed25519VerifyStrict } from "./ed25519.ts";
import { parseBlock, parseCertificate, parseHeader, parseTx, parseVote, writeCoinbase, writeHeader, writeTx, type WireTx } from "./wire.ts";
import { arrayField, hexArrayField, hexField, intField, objectArrayField, u64Field, VectorShapeError } from "./vectors.ts";

const H = toHex;
const txidOf = (tx: WireTx): Uint8Array => h32(CONSENSUS_TAGS.txid, tx.bodyBytes);

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

/**
 * Checks every case of a vector file against this independent implementation and reports
 * disagreements precisely (file, tcId, field, our value, the file's value).
 *
 * Per case, a group-type checker recomputes everything derivable from the inputs:
 * - `derived(field, ours, theirs)`: a value the file states; any difference is a disagreement.
 * - `check(field, ours, theirs)`: the relation under test (e.g. "this commitment opens"); for a
 *   valid case a difference is a disagreement, for an invalid case it is the rejection.
 * - throwing a {@link CryptoError} is a rejection with that code; throwing a {@link WireError}
 *   (wire.json) is a rejection with its docs/protocol.md §11 code; throwing {@link Rejection} is a
 *   rejection the spec gives no §9 code for (e.g. an unbalanced transaction).
 *
 * A valid case must be accepted with no disagreement. An invalid case must be rejected, with
 * the file's `error` code when it gives one. Unknown group types and unknown `error` codes are
 * disagreements too.
 *
 * @module
 */
import { decodePoint, decodeScalar, encodePoint, encodeScalar, mulBase, toHex, type Point } from "./encoding.ts";
import { CryptoError, isErrorCode } from "./errors.ts";
import { hashToPoint, hs } from "./hash.ts";
import { balanceCheck, commit, pedersenH } from "./pedersen.ts";
import {
  commitmentMask, derivationScalar, encryptAmount, oneTimeKey, oneTimeSecret, receiverDerivation, scanOutput,
  senderDerivation, viewTag, walletFromSeed,
} from "./stealth.ts";
import { keyImageFromEncodings } from "./keyimage.ts";
import { checkDerivationProof, checkKeyImageProof, checkTxProof, subaddress, subaddressScalar } from "./walletproofs.ts";
import { verifyMlsag, type RingMemberBytes } from "./mlsag.ts";
import { powHash, verifyTxPow } from "./txpow.ts";
import { ed25519PublicKey, ed25519Sign, ed25519VerifyStrict, nobleVerifyRfc8032 } from "./ed25519.ts";
import { isWireErrorCode, WireError } from "./wire.ts";
import { WIRE_CHECKERS } from "./wirecheck.ts";
import { KISET_CHECKERS } from "./kiset.ts";
import { MMR_CHECKERS } from "./mmr.ts";
import {
  boolField, hexArrayField, hexField, intField, objectArrayField, stringField, u64Field,
  type TestCase, type TestGroup, type VectorFile,
} from "./vectors.ts";

/** A rejection for which docs/crypto.md §9 has no code (e.g. balance or scan failures). */
export class Rejection extends Error {
  /** @param message - why the case is rejected. */
  constructor(message: string) {
    super(message);
    this.name = "Rejection";
  }
}

/** Records comparisons for one case. */
export interface Recorder {
  /** A stated derived value; any difference is a disagreement. */
  derived(field: string, ours: string, theirs: string): void;
  /** The relation under test; for invalid cases a difference is the rejection. */
  check(field: string, ours: string, theirs: string): void;
  /** An informational note (not a failure). */
  note(text: string): void;
}

/** A group-type checker: throws {@link CryptoError} / {@link Rejection} to reject. */
export type Checker = (group: TestGroup, test: TestCase, rec: Recorder, where: string) => void;

/** Group types whose verification is deliberately out of scope, with the reason. */
export const OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  RangeProofVerify:
    "Bulletproofs+ range proofs are not re-implemented by the independent verifier (a second " +
    "implementation of the full protocol and its merlin transcript is too large for this scope); " +
    "they are checked by the Rust crate, which wraps tari_bulletproofs_plus (docs/crypto.md §6).",
};

const P = (p: Point): string => toHex(encodePoint(p));
const S = (s: bigint): string => toHex(encodeScalar(s));

/** Checkers by group type (test-vectors/README.md "Files and test fields"). */
export const CHECKERS: Readonly<Record<string, Checker>> = {
  ScalarDecode(_g, t, rec, w) {
    const enc = hexField(t.raw, "encoding", w);
    const s = decodeScalar(enc, "encoding");
    rec.derived("encoding (re-encoded)", S(s), toHex(enc));
  },

  PointDecode(_g, t, rec, w) {
    const enc = hexField(t.raw, "encoding", w);
    const p = decodePoint(enc, "encoding", boolField(t.raw, "allowIdentity", w));
    rec.derived("encoding (re-encoded)", P(p), toHex(enc));
  },

  HashToScalar(_g, t, rec, w) {
    const s = hs(stringField(t.raw, "tag", w), hexField(t.raw, "data", w));
    rec.derived("scalar", S(s), toHex(hexField(t.raw, "scalar", w)));
  },

  HashToPoint(_g, t, rec, w) {
    const p = hashToPoint(stringField(t.raw, "dst", w), hexField(t.raw, "msg", w));
    rec.derived("point", P(p), toHex(hexField(t.raw, "point", w)));
  },

  PedersenCommit(g, t, rec, w) {
    rec.derived("group.H", P(pedersenH()), toHex(hexField(g.raw, "H", `${w} (group)`)));
    const value = u64Field(t.raw, "value", w);
    const mask = decodeScalar(hexField(t.raw, "mask", w), "mask");
    rec.check("commitment", P(commit(value, mask)), toHex(hexField(t.raw, "commitment", w)));
  },

  BalanceCheck(_g, t, _rec, w) {
    const pseudo = hexArrayField(t.raw, "pseudoOuts", w).map((b, i) => decodePoint(b, `pseudoOuts[${i}]`));
    const outs = hexArrayField(t.raw, "outputs", w).map((b, i) => decodePoint(b, `outputs[${i}]`));
    if (!balanceCheck(pseudo, outs, u64Field(t.raw, "fee", w))) throw new Rejection("Σ C' ≠ Σ C + f·H");
  },

  StealthOutput(_g, t, rec, w) {
    const keys = walletFromSeed(hexField(t.raw, "seed", w));
    rec.derived("spendSecret", S(keys.spendSecret), toHex(hexField(t.raw, "spendSecret", w)));
    rec.derived("viewSecret", S(keys.viewSecret), toHex(hexField(t.raw, "viewSecret", w)));
    rec.derived("spendPublic", P(keys.spendPublic), toHex(hexField(t.raw, "spendPublic", w)));
    rec.derived("viewPublic", P(keys.viewPublic), toHex(hexField(t.raw, "viewPublic", w)));
    const r = decodeScalar(hexField(t.raw, "txSecret", w), "txSecret");
    const R = mulBase(r);
    rec.derived("txPublic", P(R), toHex(hexField(t.raw, "txPublic", w)));
    const index = u64Field(t.raw, "index", w);
    const amount = u64Field(t.raw, "amount", w);
    const D = senderDerivation(r, keys.viewPublic);
    rec.derived("derivation", P(D), toHex(hexField(t.raw, "derivation", w)));
    rec.derived("derivation (receiver a·R)", P(receiverDerivation(keys.viewSecret, R)), P(D));
    const s = derivationScalar(D, index);
    rec.derived("derivationScalar", S(s), toHex(hexField(t.raw, "derivationScalar", w)));
    rec.derived("oneTimeKey", P(oneTimeKey(s, keys.spendPublic)), toHex(hexField(t.raw, "oneTimeKey", w)));
    rec.derived("viewTag", String(viewTag(D, index)), String(intField(t.raw, "viewTag", w, 0, 255)));
    rec.derived("encryptedAmount", toHex(encryptAmount(amount, s)), toHex(hexField(t.raw, "encryptedAmount", w)));
    const y = commitmentMask(s);
    rec.derived("commitmentMask", S(y), toHex(hexField(t.raw, "commitmentMask", w)));
    rec.derived("commitment", P(commit(amount, y)), toHex(hexField(t.raw, "commitment", w)));
    const x = oneTimeSecret(s, keys.spendSecret);
    rec.derived("oneTimeSecret", S(x), toHex(hexField(t.raw, "oneTimeSecret", w)));
    rec.derived("oneTimeSecret·G == oneTimeKey", P(mulBase(x)), P(oneTimeKey(s, keys.spendPublic)));
  },

  StealthScan(_g, t, rec, w) {
    const a = decodeScalar(hexField(t.raw, "viewSecret", w), "viewSecret");
    const res = scanOutput(
      a, hexField(t.raw, "spendPublic", w), hexField(t.raw, "txPublic", w), u64Field(t.raw, "index", w),
      hexField(t.raw, "oneTimeKey", w), intField(t.raw, "viewTag", w, 0, 255), hexField(t.raw, "encryptedAmount", w),
      hexField(t.raw, "commitment", w),
    );
    if (res.status !== "ours") throw new Rejection(`scan: ${res.status}`);
    if (t.result === "valid" || "amount" in t.raw) {
      rec.derived("amount", res.amount.toString(), u64Field(t.raw, "amount", w).toString());
    }
  },

  KeyImage(_g, t, rec, w) {
    const I = keyImageFromEncodings(hexField(t.raw, "oneTimeSecret", w), hexField(t.raw, "oneTimeKey", w));
    rec.check("keyImage", P(I), toHex(hexField(t.raw, "keyImage", w)));
  },

  Subaddress(_g, t, rec, w) {
    const a = decodeScalar(hexField(t.raw, "viewSecret", w), "viewSecret");
    const B = decodePoint(hexField(t.raw, "spendPublic", w), "spendPublic");
    const i = intField(t.raw, "account", w, 0, 0xffff_ffff);
    const j = intField(t.raw, "index", w, 0, 0xffff_ffff);
    rec.derived("scalar", S(subaddressScalar(a, i, j)), toHex(hexField(t.raw, "scalar", w)));
    const sub = subaddress(a, B, i, j);
    rec.check("subaddressView", P(sub.view), toHex(hexField(t.raw, "subaddressView", w)));
    rec.check("subaddressSpend", P(sub.spend), toHex(hexField(t.raw, "subaddressSpend", w)));
  },

  TxProofVerify(_g, t, rec, w) {
    const R = decodePoint(hexField(t.raw, "txPublic", w), "txPublic");
    const K = checkTxProof(R, hexField(t.raw, "txid", w), hexField(t.raw, "address", w), boolField(t.raw, "isSubaddress", w), hexField(t.raw, "message", w), hexField(t.raw, "proof", w));
    rec.derived("sharedPoint", P(K), toHex(hexField(t.raw, "sharedPoint", w)));
  },

  KeyImageProofVerify(_g, t, rec, w) {
    const Pk = decodePoint(hexField(t.raw, "oneTimeKey", w), "oneTimeKey");
    const I = checkKeyImageProof(Pk, hexField(t.raw, "context", w), hexField(t.raw, "proof", w));
    rec.derived("keyImage", P(I), toHex(hexField(t.raw, "keyImage", w)));
  },

  DerivationProofVerify(_g, t, rec, w) {
    const A = decodePoint(hexField(t.raw, "viewPublic", w), "viewPublic");
    const R = decodePoint(hexField(t.raw, "txPublic", w), "txPublic");
    const K = checkDerivationProof(A, R, hexField(t.raw, "context", w), hexField(t.raw, "proof", w));
    rec.derived("sharedPoint", P(K), toHex(hexField(t.raw, "sharedPoint", w)));
  },

  MlsagVerify(_g, t, _rec, w) {
    const ring: RingMemberBytes[] = objectArrayField(t.raw, "ring", w).map((m, j) => ({
      key: hexField(m, "key", `${w} ring[${j}]`),
      commitment: hexField(m, "commitment", `${w} ring[${j}]`),
    }));
    verifyMlsag(hexField(t.raw, "message", w), ring, hexField(t.raw, "pseudoOut", w), hexField(t.raw, "keyImage", w), hexField(t.raw, "signature", w));
  },

  TxPowVerify(_g, t, rec, w) {
    const txid = hexField(t.raw, "txid", w);
    const nonce = u64Field(t.raw, "nonce", w);
    const target = hexField(t.raw, "target", w);
    if (txid.length === 32) rec.derived("hash", toHex(powHash(txid, nonce)), toHex(hexField(t.raw, "hash", w)));
    verifyTxPow(txid, nonce, target);
  },

  Ed25519Verify(_g, t, rec, w) {
    const pk = hexField(t.raw, "publicKey", w);
    const msg = hexField(t.raw, "msg", w);
    const sig = hexField(t.raw, "sig", w);
    if ("seed" in t.raw) {
      const seed = hexField(t.raw, "seed", w);
      rec.derived("publicKey (from seed)", toHex(ed25519PublicKey(seed)), toHex(pk));
      if (t.result === "valid") rec.derived("sig (RFC 8032 deterministic)", toHex(ed25519Sign(seed, msg)), toHex(sig));
    }
    let ours = true;
    try {
      ed25519VerifyStrict(pk, msg, sig);
    } catch (e) {
      ours = false;
      if (pk.length === 32 && sig.length === 64 && nobleVerifyRfc8032(pk, msg, sig)) {
        rec.note(`noble verify(zip215:false) accepts but verify_strict rules reject: ${(e as Error).message}`);
      }
      throw e;
    }
    if (ours && !nobleVerifyRfc8032(pk, msg, sig)) rec.note("noble verify(zip215:false) rejects a signature verify_strict rules accept");
  },

  ...WIRE_CHECKERS,
  ...KISET_CHECKERS,
  ...MMR_CHECKERS,
};

/** One disagreement between this verifier and a vector file. */
export interface Disagreement {
  /** File name. */
  readonly file: string;
  /** Case id (0 for file-level problems). */
  readonly tcId: number;
  /** Field or aspect. */
  readonly field: string;
  /** Our value / verdict. */
  readonly ours: string;
  /** The file's value / verdict. */
  readonly theirs: string;
}

/** Result of {@link checkVectorFile}. */
export interface FileReport {
  /** Cases checked (including out-of-scope ones counted in `skipped`). */
  readonly checked: number;
  /** Cases of out-of-scope group types (shape-checked only). */
  readonly skipped: number;
  /** Valid cases reproduced / invalid cases rejected as expected. */
  readonly passed: number;
  /** All disagreements. */
  readonly disagreements: readonly Disagreement[];
  /** Informational notes (e.g. noble vs verify_strict verdicts). */
  readonly notes: readonly string[];
  /** Our verdict per in-scope case: `accepted` or the rejection message (by tcId). */
  readonly verdicts: ReadonlyMap<number, string>;
}

/**
 * Runs every case of a file through its group-type checker.
 *
 * @param vf - a file loaded by `loadVectorFile`.
 * @returns counts, disagreements and notes. Non-{@link CryptoError} exceptions from the file
 *   shape (VectorShapeError, TypeError) are reported as disagreements of field `shape`.
 */
export function checkVectorFile(vf: VectorFile): FileReport {
  const dis: Disagreement[] = [];
  const notes: string[] = [];
  const verdicts = new Map<number, string>();
  let checked = 0;
  let skipped = 0;
  let passed = 0;
  for (const g of vf.testGroups) {
    const checker = CHECKERS[g.type];
    for (const t of g.tests) {
      checked++;
      const w = `${vf.file} tcId ${t.tcId}`;
      const add = (field: string, ours: string, theirs: string): void => {
        dis.push({ file: vf.file, tcId: t.tcId, field, ours, theirs });
      };
      if (t.error !== undefined && !isErrorCode(t.error) && !isWireErrorCode(t.error)) add("error code", "one of docs/crypto.md §9 or a wire code of docs/protocol.md §11", t.error);
      if (g.type in OUT_OF_SCOPE) {
        skipped++;
        continue;
      }
      if (checker === undefined) {
        add("group type", "known type", g.type);
        continue;
      }
      const derivedDiffs: Disagreement[] = [];
      const checkDiffs: Disagreement[] = [];
      const rec: Recorder = {
        derived(field, ours, theirs) {
          if (ours !== theirs) derivedDiffs.push({ file: vf.file, tcId: t.tcId, field, ours, theirs });
        },
        check(field, ours, theirs) {
          if (ours !== theirs) checkDiffs.push({ file: vf.file, tcId: t.tcId, field, ours, theirs });
        },
        note(text) {
          notes.push(`${w}: ${text}`);
        },
      };
      let rejected: { code: string | undefined; message: string } | undefined;
      try {
        checker(g, t, rec, w);
      } catch (e) {
        if (e instanceof CryptoError || e instanceof WireError) rejected = { code: e.code, message: e.message };
        else if (e instanceof Rejection) rejected = { code: undefined, message: e.message };
        else {
          add("shape/exception", String(e), "well-formed case");
          continue;
        }
      }
      if (rejected === undefined && checkDiffs.length > 0 && t.result === "invalid") {
        rejected = { code: undefined, message: checkDiffs.map((d) => `${d.field} differs`).join("; ") };
        checkDiffs.length = 0;
      }
      verdicts.set(t.tcId, rejected === undefined ? "accepted" : rejected.message);
      const before = dis.length;
      dis.push(...derivedDiffs, ...checkDiffs);
      if (t.result === "valid") {
        if (rejected !== undefined) add("result", `invalid (${rejected.message})`, "valid");
      } else if (rejected === undefined) {
        add("result", "valid", `invalid${t.error ? ` (${t.error})` : ""}`);
      } else if (t.error !== undefined && rejected.code !== t.error) {
        add("error", rejected.code ?? `no §9 code (${rejected.message})`, t.error);
      }
      if (dis.length === before) passed++;
    }
  }
  return { checked, skipped, passed, disagreements: dis, notes, verdicts };
}

/**
 * Formats disagreements one per line: `file tcId N field: ours=… theirs=…`.
 *
 * @param d - disagreements.
 */
export function formatDisagreements(d: readonly Disagreement[]): string {
  return d.map((x) => `${x.file} tcId ${x.tcId} ${x.field}: ours=${x.ours} theirs=${x.theirs}`).join("\n");
}

/**
 * The header side of a cascade fast sync (docs/sync.md §3.1): the snapshot's cascade (the
 * headers ≤ c = H − D at rising levels) and its recent window b + 1 ..= H (b = c, or genesis 0
 * while the cascade is empty), checked against each other, against our genesis, and the window's
 * finality certificates against the validator sets — without the headers 1 ..= b.
 *
 * What is checked, in order (each failure a {@link FastSyncError}):
 * 1. the cascade decodes with every invariant of docs/cascade.md §4.1 and each kept header's
 *    `superParentsRoot` commits to the pointers stored with it (`CASCADE_INVALID`, the reason
 *    starts with the consensus code, e.g. `CASCADE_LEVEL_OVERFULL`); every kept header is of our
 *    chain id, and a kept genesis or any pointer to height 0 names our genesis hash; with
 *    `blockTargetMax`, no kept or window header claims an easier target, and the cascade's work
 *    estimate is at least a quarter of the least work c + 1 blocks can have (`CASCADE_WORK_LOW`
 *    in the reason): forging the cascade costs real PoW (docs/sync.md §3.4);
 * 2. its tip is exactly H − D (`CASCADE_WINDOW_MISMATCH`);
 * 3. the cumulative output counts 0 ..= b are non-decreasing, start at genesis's, and equal the
 *    `outputCount` of every kept header and of the base (`SNAPSHOT_OUTPUT_COUNTS`);
 * 4. the header-MMR peaks over 0 ..= b bag to the first window header's `headerRoot`, and each
 *    later header's `headerRoot` is the MMR continued with the window's hashes (`HEADER_ROOT_MISMATCH`);
 * 5. window header b + 1 is the child of the cascade tip (height, `parentHash`, `validatorsHash =
 *    tip.nextValidatorsHash`, `superParentsRoot = root(cascade.nextParents())`), and so on up to H
 *    (`HEADER_CHAIN_BROKEN`, `CASCADE_WINDOW_MISMATCH` for the pointers);
 * 6. the set in force at b + 1 (the snapshot's first set; genesis's when b = 0) hashes to the
 *    `validatorsHash` of header b + 1, every later set to the certified `nextValidatorsHash` that
 *    announced it (`SNAPSHOT_VALIDATOR_SET_MISMATCH`), and every window certificate verifies
 *    against the set in force (`CERTIFICATE_INVALID`).
 * @module
 */
import {
  MemoryMmrBackend,
  Mmr,
  blockHash,
  blockWork,
  checkCascade,
  targetToBigInt,
  decodeCascade,
  decodeCertificate,
  decodeHeader,
  emptySuperParents,
  equalBytes,
  headerLeafHash,
  isConsensusError,
  makeValidatorSet,
  nextSuperParents,
  peaks,
  superParentsRoot,
  type BlockHeader,
  type Cascade,
  type CascadeParams,
  type Validator,
  type ValidatorSet,
} from "@baios/consensus";
import { FastSyncError, type CertifiedHeader, type Snapshot } from "./snapshot.ts";

/** What {@link verifyCascadeWindow} proves and what the store writer needs. */
export interface VerifiedWindow {
  /** The decoded, checked cascade (possibly empty). */
  cascade: Cascade;
  /** b: the cascade's tip height, or 0 while it is empty. */
  base: number;
  /** Headers b + 1 ..= H with their certificates. */
  headers: CertifiedHeader[];
  /** Header MMR over 0 ..= H: only the peaks over 0 ..= b, plus every node the window added. */
  headerMmr: Mmr;
  /** Every node of {@link headerMmr}'s backend (pos0 → hash), for the store. */
  headerMmrNodes: Map<bigint, Uint8Array>;
  /** Cumulative output count after each height 0 ..= H. */
  cumulativeOutputs: bigint[];
  /** First height of the set in force after H (the staking record's `setStartHeight`). */
  setStartHeight: bigint;
  /** The window's set changes c in b + 1 .. H − 1 (`nextValidatorsHash ≠ validatorsHash`), ascending, with the checked set that finalizes c + 1. */
  setChanges: { height: bigint; validators: readonly Validator[] }[];
}

/** The chain a cascade fast sync is checked against. */
export interface WindowTrust {
  chainId: number;
  genesis: BlockHeader;
  genesisHash: Uint8Array;
  genesisValidators: readonly Validator[];
  cascadeParams: CascadeParams;
  /** The chain's easiest allowed block target (`ChainParams.blockTargetMax`); enables the work checks. */
  blockTargetMax?: Uint8Array;
}

/** The cascade's work estimate must reach `(c + 1) · blockWork(blockTargetMax) / WORK_SLACK` (the estimate's spread, docs/cascade.md §2.1, with margin for small K). */
export const WORK_SLACK = 4n;

class RecordingBackend extends MemoryMmrBackend {
  readonly all = new Map<bigint, Uint8Array>();
  override put(nodes: readonly { pos0: bigint; hash: Uint8Array }[]): void {
    super.put(nodes);
    for (const n of nodes) this.all.set(n.pos0, n.hash);
  }
}

const msg = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Checks the snapshot's cascade, peaks, output counts and window (module docs).
 * @param verifyCert verifies one certificate against a set (throws when it does not)
 * @throws FastSyncError `CASCADE_INVALID`, `CASCADE_WINDOW_MISMATCH`, `SNAPSHOT_OUTPUT_COUNTS`,
 *   `HEADER_ROOT_MISMATCH`, `HEADER_CHAIN_BROKEN`, `SNAPSHOT_VALIDATOR_SET_MISMATCH`, `CERTIFICATE_INVALID`
 */
export async function verifyCascadeWindow(t: WindowTrust, s: Snapshot, verifyCert: (c: CertifiedHeader, set: ValidatorSet) => void): Promise<VerifiedWindow> {
  // 1. the cascade
  let cascade: Cascade;
  try {
    cascade = decodeCascade(s.cascade, t.cascadeParams);
    checkCascade(cascade, { commitment: (h) => h.superParentsRoot });
  } catch (e) {
    if (isConsensusError(e)) throw new FastSyncError("CASCADE_INVALID", `${e.code}: ${e.reason}`);
    throw e;
  }
  for (const k of cascade.kept()) {
    if (k.header.chainId !== t.chainId) throw new FastSyncError("CASCADE_INVALID", `kept header ${k.header.height} has chain id ${k.header.chainId}`);
    if (k.header.height === 0n && !equalBytes(k.hash, t.genesisHash)) throw new FastSyncError("CASCADE_INVALID", "the kept genesis is not our genesis");
    for (const e of k.parents.entries) if (e.height === 0n && e.hash.some((x) => x !== 0) && !equalBytes(e.hash, t.genesisHash)) throw new FastSyncError("CASCADE_INVALID", `kept header ${k.header.height} points to another genesis`);
  }
  if (t.blockTargetMax !== undefined) {
    const max = targetToBigInt(t.blockTargetMax);
    for (const k of cascade.kept()) if (targetToBigInt(k.header.blockTarget) > max) throw new FastSyncError("CASCADE_INVALID", `kept header ${k.header.height}: blockTarget above the chain's blockTargetMax`);
    const n = cascade.tip === undefined ? 0n : cascade.tip.header.height + 1n;
    if (cascade.work() * WORK_SLACK < n * blockWork(t.blockTargetMax)) throw new FastSyncError("CASCADE_INVALID", `CASCADE_WORK_LOW: work estimate ${cascade.work()} < ${n} blocks at the easiest target / ${WORK_SLACK}`);
  }
  // 2. its tip is H − D
  const H = Number(s.height);
  const c = cascade.tip === undefined ? -1 : Number(cascade.tip.header.height);
  const wantC = Math.max(-1, H - Number(t.cascadeParams.depth));
  if (c !== wantC) throw new FastSyncError("CASCADE_WINDOW_MISMATCH", `cascade tip ${c}, expected H − D = ${wantC}`);
  const b = Math.max(0, c);
  const base = cascade.tip ?? { header: t.genesis, hash: t.genesisHash };
  // 3. cumulative output counts 0 ..= b
  const cum = s.cumulativeOutputs;
  if (cum.length !== b + 1) throw new FastSyncError("SNAPSHOT_OUTPUT_COUNTS", `${cum.length} counts for heights 0..${b}`);
  if (cum[0] !== t.genesis.outputCount) throw new FastSyncError("SNAPSHOT_OUTPUT_COUNTS", "count at 0 is not genesis's outputCount");
  for (let i = 1; i < cum.length; i++) if ((cum[i] as bigint) < (cum[i - 1] as bigint)) throw new FastSyncError("SNAPSHOT_OUTPUT_COUNTS", `count at ${i} below the one at ${i - 1}`);
  for (const k of [...cascade.kept(), base]) if (cum[Number(k.header.height)] !== k.header.outputCount) throw new FastSyncError("SNAPSHOT_OUTPUT_COUNTS", `count at ${k.header.height} differs from its header's outputCount`);
  // 4. header-MMR peaks over 0 ..= b
  const ps = peaks(BigInt(b) + 1n);
  if (s.headerPeaks.length !== ps.length) throw new FastSyncError("HEADER_ROOT_MISMATCH", `${s.headerPeaks.length} header-MMR peaks, ${ps.length} expected for ${b + 1} leaves`);
  const backend = new RecordingBackend();
  backend.put(ps.map((p, i) => ({ pos0: p.pos0, hash: s.headerPeaks[i] as Uint8Array })));
  const headerMmr = new Mmr(backend, BigInt(b) + 1n);
  // 5, 6. the window
  if (s.window.length !== H - b) throw new FastSyncError("CASCADE_WINDOW_MISMATCH", `${s.window.length} window headers, expected ${H - b} (heights ${b + 1}..${H})`);
  let pointers = cascade.tip === undefined ? nextSuperParents(emptySuperParents(t.cascadeParams.levels), t.genesis, t.genesisHash) : cascade.nextParents();
  const mkSet = (v: readonly Validator[], at: bigint): ValidatorSet => {
    try {
      return makeValidatorSet(v);
    } catch (e) {
      throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `set at ${at}: ${msg(e)}`);
    }
  };
  let sets = s.sets;
  let set: ValidatorSet;
  let setStart: bigint;
  if (b === 0) {
    set = mkSet(t.genesisValidators, 1n);
    if (!equalBytes(set.hash, t.genesis.validatorsHash)) throw new FastSyncError("HEADER_CHAIN_BROKEN", "genesis validators do not hash to the genesis validatorsHash");
    setStart = 1n;
  } else {
    const first = sets[0];
    if (first === undefined || first.firstHeight < 1n || first.firstHeight > BigInt(b) + 1n) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `no set in force at the window start ${b + 1}`);
    set = mkSet(first.validators, first.firstHeight);
    setStart = first.firstHeight;
    sets = sets.slice(1);
  }
  const byHeight = new Map(sets.map((x) => [x.firstHeight, x.validators]));
  if (sets.some((x) => x.firstHeight < BigInt(b) + 2n)) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `a set change below the window (${b + 2})`);
  const headers: CertifiedHeader[] = [];
  let parent = { header: base.header, hash: base.hash };
  const cumulativeOutputs = [...cum];
  const setChanges: VerifiedWindow["setChanges"] = [];
  for (const [i, w] of s.window.entries()) {
    const want = BigInt(b + 1 + i);
    let c: CertifiedHeader;
    try {
      const header = decodeHeader(w.header);
      c = { header, hash: blockHash(header), certificate: decodeCertificate(w.certificate) };
    } catch (e) {
      throw new FastSyncError("HEADER_CHAIN_BROKEN", `window header ${want}: ${msg(e)}`);
    }
    const h = c.header;
    if (h.height !== want) throw new FastSyncError("HEADER_CHAIN_BROKEN", `window header ${i} has height ${h.height}, expected ${want}`);
    if (t.blockTargetMax !== undefined && targetToBigInt(h.blockTarget) > targetToBigInt(t.blockTargetMax)) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${want}: blockTarget above the chain's blockTargetMax`);
    if (!equalBytes(h.parentHash, parent.hash)) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${want}: parentHash is not the hash of ${want - 1n}${i === 0 ? " (the cascade tip)" : ""}`);
    if (!equalBytes(h.validatorsHash, parent.header.nextValidatorsHash)) throw new FastSyncError("HEADER_CHAIN_BROKEN", `header ${want}: validatorsHash differs from the parent's nextValidatorsHash`);
    if (!equalBytes(h.superParentsRoot, superParentsRoot(pointers))) throw new FastSyncError("CASCADE_WINDOW_MISMATCH", `header ${want}: superParentsRoot differs from the pointers after ${want - 1n}${i === 0 ? " (the cascade's nextParents)" : ""}`);
    if (!equalBytes(h.headerRoot, await headerMmr.root())) throw new FastSyncError("HEADER_ROOT_MISMATCH", `header ${want}: headerRoot differs from the MMR of the ${want} earlier hashes${i === 0 ? " (the snapshot's peaks)" : ""}`);
    if (!equalBytes(h.validatorsHash, set.hash)) {
      const next = byHeight.get(want);
      if (next === undefined || i === 0) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `${i === 0 ? "the set in force at the window start" : `no set for the change at ${want}`} does not hash to the certified validatorsHash`);
      const ns = mkSet(next, want);
      if (!equalBytes(ns.hash, h.validatorsHash)) throw new FastSyncError("SNAPSHOT_VALIDATOR_SET_MISMATCH", `the set for height ${want} does not hash to the certified validatorsHash`);
      set = ns;
      setChanges.push({ height: want - 1n, validators: ns.validators });
    }
    try {
      verifyCert(c, set);
    } catch (e) {
      throw new FastSyncError("CERTIFICATE_INVALID", `header ${want}: ${msg(e)}`);
    }
    if (!equalBytes(h.nextValidatorsHash, h.validatorsHash)) setStart = want + 1n;
    headers.push(c);
    cumulativeOutputs.push(h.outputCount);
    await headerMmr.append([headerLeafHash(want, c.hash)]);
    pointers = nextSuperParents(pointers, h, c.hash);
    parent = c;
  }
  return { cascade, base: b, headers, headerMmr, headerMmrNodes: backend.all, cumulativeOutputs, setStartHeight: setStart, setChanges };
}

/**
 * The staking transition of one finalized block (docs/consensus.md §5.2–§5.4).
 * Pure: the input state is never mutated; the result shares unchanged records with it.
 * @module
 */
import { makeValidatorSet, type ValidatorSet } from "../engine.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { checkStakingInput } from "./check.ts";
import { checkStakingParams, isEpochBoundary, type StakingParams } from "./params.ts";
import type { BlockStakingInput, StakingState, StakingTransition, UnbondingEntry, ValidatorRecord } from "./types.ts";
import { selectValidators, sortedRecords, stakingKey, uptimePermille, validatorWeight } from "./weights.ts";

/** `⌊amount × permille / 1000⌋`. */
const share = (amount: bigint, permille: number): bigint => (amount * BigInt(permille)) / 1000n;

/**
 * Applies block `input.height` to `state`. Steps, in order (docs/consensus.md §5.2):
 * 1. bonds: `bonded += amount` (a new key gets a `candidate` record with reputation 1000; a
 *    `jailed` validator becomes a `candidate`);
 * 2. unbonds: `bonded −= amount`, queued with `matureHeight = height + unbondingDelay`;
 * 3. slashes, in list order: burn `⌊x × burn‰ / 1000⌋` of the bonded stake and of each of the
 *    offender's queue entries (entries reaching 0 are dropped); duplicate vote → `banned`,
 *    invalid attestation → reputation halves (floor);
 * 4. payouts: queue entries with `matureHeight ≤ height` leave the queue and are returned;
 * 5. uptime (height ≥ 2): the certificate counts once; every member of `state.validatorSet`
 *    gets `expected += 1`, and `signed += 1` when it is among `lastCertificateSigners`;
 * 6. next set: the set in force for this block minus keys banned in step 3 (unless that would
 *    be empty); at an epoch boundary the epoch is closed (§5.3) and the set re-selected.
 * @throws ConsensusError from {@link checkStakingInput} and {@link checkStakingParams}; nothing
 *   is changed when it throws
 */
export function applyStakingBlock(state: StakingState, input: BlockStakingInput, params: StakingParams): StakingTransition {
  checkStakingParams(params);
  checkStakingInput(state, input);
  const height = input.height;
  const records = new Map(state.validators);
  const get = (k: string): ValidatorRecord => records.get(k) as ValidatorRecord; // present: checked above
  let queue: UnbondingEntry[] = state.unbonding.slice();
  let burned = state.burnedTotal;

  for (const b of input.bonds) {
    const k = stakingKey(b.validator);
    const r = records.get(k);
    if (r === undefined) {
      records.set(k, { publicKey: b.validator.slice(), bonded: b.amount, reputationPermille: 1000, status: "candidate", signedThisEpoch: 0, expectedThisEpoch: 0, slashedThisEpoch: false });
    } else {
      records.set(k, { ...r, bonded: r.bonded + b.amount, status: r.status === "jailed" ? "candidate" : r.status });
    }
  }

  for (const u of input.unbonds) {
    const k = stakingKey(u.validator);
    const r = get(k);
    records.set(k, { ...r, bonded: r.bonded - u.amount });
    queue.push({ validator: r.publicKey, amount: u.amount, matureHeight: height + params.unbondingDelay, oneTimeKey: u.oneTimeKey.slice(), viewTag: u.viewTag, txPublicKey: u.txPublicKey.slice() });
  }

  const bannedNow = new Set<string>();
  for (const s of input.slashes) {
    const k = stakingKey(s.offender);
    const r = get(k);
    const equivocation = s.kind === "duplicate-vote";
    const permille = equivocation ? params.equivocationBurnPermille : params.invalidAttestationBurnPermille;
    const fromBond = share(r.bonded, permille);
    burned += fromBond;
    queue = queue.flatMap((e) => {
      if (!equalBytes(e.validator, r.publicKey)) return [e];
      const cut = share(e.amount, permille);
      burned += cut;
      return e.amount - cut > 0n ? [{ ...e, amount: e.amount - cut }] : [];
    });
    if (equivocation) {
      records.set(k, { ...r, bonded: r.bonded - fromBond, status: "banned", reputationPermille: 0 });
      bannedNow.add(k);
    } else {
      records.set(k, { ...r, bonded: r.bonded - fromBond, reputationPermille: Math.floor(r.reputationPermille / 2), slashedThisEpoch: true });
    }
  }

  let due = 0;
  while (due < queue.length && (queue[due] as UnbondingEntry).matureHeight <= height) due++;
  const payouts: UnbondingEntry[] = queue.slice(0, due);
  queue = queue.slice(due);

  let certificates = state.certificatesThisEpoch;
  if (height >= 2n) {
    certificates += 1;
    const signers = new Set(input.lastCertificateSigners.map(stakingKey));
    for (const v of state.validatorSet.validators) {
      const k = stakingKey(v.publicKey);
      const r = get(k);
      records.set(k, { ...r, expectedThisEpoch: r.expectedThisEpoch + 1, signedThisEpoch: r.signedThisEpoch + (signers.has(k) ? 1 : 0) });
    }
  }

  const inForce = state.nextValidatorSet;
  let next: ValidatorSet = inForce;
  if (bannedNow.size > 0) {
    const remaining = inForce.validators.filter((v) => !bannedNow.has(stakingKey(v.publicKey)));
    if (remaining.length > 0 && remaining.length < inForce.validators.length) next = makeValidatorSet(remaining);
  }
  if (isEpochBoundary(height, params)) {
    next = closeEpoch(records, next, params);
    certificates = 0;
  }

  const newState: StakingState = { height, validators: records, certificatesThisEpoch: certificates, unbonding: queue, burnedTotal: burned, validatorSet: inForce, nextValidatorSet: next };
  return { state: newState, payouts, nextSet: next, changed: !equalBytes(next.hash, inForce.hash) };
}

/**
 * Closes an epoch in place on the working copy `records` (docs/consensus.md §5.3): uptime from
 * the epoch counters, jail `active` validators below the downtime threshold, reputation +100‰
 * (cap 1000) for every unbanned validator not slashed this epoch, weights, selection; statuses
 * follow the new set; epoch counters reset. Returns the new set, or `fallback` when no
 * validator is eligible (the set is never empty).
 */
function closeEpoch(records: Map<string, ValidatorRecord>, fallback: ValidatorSet, params: StakingParams): ValidatorSet {
  const weights = new Map<string, bigint>();
  for (const r of sortedRecords(records)) {
    if (r.status === "banned") continue;
    const k = stakingKey(r.publicKey);
    const uptime = uptimePermille(r);
    const jail = r.status === "active" && r.expectedThisEpoch > 0 && uptime < params.downtimeThresholdPermille;
    const reputation = r.slashedThisEpoch ? r.reputationPermille : Math.min(1000, r.reputationPermille + 100);
    records.set(k, { ...r, status: jail ? "jailed" : r.status, reputationPermille: reputation });
    weights.set(k, validatorWeight(r.bonded, uptime, reputation));
  }
  const chosen = selectValidators(sortedRecords(records), weights, params);
  const next = chosen.length > 0 ? makeValidatorSet(chosen) : fallback;
  const members = new Set(next.validators.map((v) => stakingKey(v.publicKey)));
  for (const [k, r] of records) {
    const status = r.status === "banned" || r.status === "jailed" ? r.status : members.has(k) ? "active" : "candidate";
    records.set(k, { ...r, status, signedThisEpoch: 0, expectedThisEpoch: 0, slashedThisEpoch: false });
  }
  return next;
}

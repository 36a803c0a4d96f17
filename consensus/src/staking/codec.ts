/**
 * Canonical encoding, strict decoding and hash of the staking state (docs/consensus.md §5.5).
 * Every integer is little-endian; every list is in canonical order, so equal states have equal
 * bytes and equal hashes (used to compare archive, pruned and snapshot nodes).
 * @module
 */
import { h32 } from "@baios/crypto";
import { ByteWriter, compareBytes, toHex } from "../encoding/bytes.ts";
import { validatorSetBytes } from "../encoding/canonical.ts";
import { WireReader } from "../encoding/reader.ts";
import { makeValidatorSet, type ValidatorSet } from "../engine.ts";
import type { Validator } from "../types.ts";
import { MAX_VALIDATORS_LIMIT } from "./params.ts";
import type { StakingState, UnbondingEntry, ValidatorRecord, ValidatorStatus } from "./types.ts";
import { sortedRecords, stakingKey } from "./weights.ts";

/** Domain-separation tag of {@link stakingStateHash}. */
export const STAKING_STATE_TAG = "BAIOS/v1/staking-state";

/** Version byte at the start of an encoded staking state. */
export const STAKING_STATE_VERSION = 1;

/** Encoded size of one validator record: `publicKey[32] ‖ u64 bonded ‖ u32 reputation‰ ‖ u8 status ‖ u8 flags ‖ u32 signed ‖ u32 expected` = 54 bytes. */
export const VALIDATOR_RECORD_BYTES = 54;

/** Encoded size of one unbonding entry: `validator[32] ‖ u64 amount ‖ u64 matureHeight ‖ oneTimeKey[32] ‖ u8 viewTag ‖ txPublicKey[32]` = 113 bytes. */
export const UNBONDING_ENTRY_BYTES = 113;

const STATUS_CODES: readonly ValidatorStatus[] = ["active", "candidate", "jailed", "banned"];

/**
 * The canonical bytes of a staking state (docs/consensus.md §5.5):
 * `u8 version(1) ‖ u64 height ‖ u64 burnedTotal ‖ u32 certificatesThisEpoch ‖
 *  u32 n ‖ n × record (54 B, sorted by key) ‖ u32 m ‖ m × unbonding entry (113 B, queue order) ‖
 *  validatorSetBytes(validatorSet) ‖ validatorSetBytes(nextValidatorSet)`.
 * @throws RangeError when a field is out of range (a state not produced by this module)
 */
export function encodeStakingState(state: StakingState): Uint8Array {
  const records = sortedRecords(state.validators);
  const w = new ByteWriter(33 + records.length * VALIDATOR_RECORD_BYTES + state.unbonding.length * UNBONDING_ENTRY_BYTES + 8 + 40 * (state.validatorSet.validators.length + state.nextValidatorSet.validators.length));
  w.u8(STAKING_STATE_VERSION).u64(state.height).u64(state.burnedTotal).u32(state.certificatesThisEpoch);
  w.u32(records.length);
  for (const r of records) {
    w.bytes(r.publicKey, 32).u64(r.bonded).u32(r.reputationPermille).u8(STATUS_CODES.indexOf(r.status)).u8(r.slashedThisEpoch ? 1 : 0).u32(r.signedThisEpoch).u32(r.expectedThisEpoch);
  }
  w.u32(state.unbonding.length);
  for (const e of state.unbonding) {
    w.bytes(e.validator, 32).u64(e.amount).u64(e.matureHeight).bytes(e.oneTimeKey, 32).u8(e.viewTag).bytes(e.txPublicKey, 32);
  }
  w.bytes(validatorSetBytes(state.validatorSet.validators)).bytes(validatorSetBytes(state.nextValidatorSet.validators));
  return w.finish();
}

/** `h32("BAIOS/v1/staking-state", encodeStakingState(state))` (32 bytes). */
export function stakingStateHash(state: StakingState): Uint8Array {
  return h32(STAKING_STATE_TAG, encodeStakingState(state));
}

/**
 * Strict inverse of {@link encodeStakingState}: accepts exactly the canonical bytes of a
 * consistent state. Rejects a wrong version, truncation, trailing bytes, records not strictly
 * ascending by key, reputation > 1000, an unknown status or flag, `signed > expected` or
 * `expected > certificatesThisEpoch`, a queue entry of amount 0, with `matureHeight ≤ height`,
 * out of order, of an unknown validator or with a repeated one-time key, and an empty, unsorted
 * or zero-stake validator set or one with a member without a record.
 * @throws ConsensusError `STAKE_STATE_MALFORMED`
 */
export function decodeStakingState(bytes: Uint8Array): StakingState {
  const r = new WireReader(bytes, "STAKE_STATE_MALFORMED");
  const version = r.u8("version");
  if (version !== STAKING_STATE_VERSION) throw r.fail("version", `unsupported version ${version}`);
  const height = r.u64("height");
  const burnedTotal = r.u64("burnedTotal");
  const certificatesThisEpoch = r.u32("certificatesThisEpoch");

  const validators = new Map<string, ValidatorRecord>();
  const n = r.count("validators", VALIDATOR_RECORD_BYTES);
  let prev: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const p = `validators[${i}]`;
    const publicKey = r.bytes(32, `${p}.publicKey`);
    if (prev !== undefined && compareBytes(prev, publicKey) >= 0) throw r.fail(`${p}.publicKey`, "not strictly after the previous key");
    prev = publicKey;
    const bonded = r.u64(`${p}.bonded`);
    const reputationPermille = r.u32(`${p}.reputationPermille`);
    if (reputationPermille > 1000) throw r.fail(`${p}.reputationPermille`, `${reputationPermille} > 1000`);
    const statusCode = r.u8(`${p}.status`);
    const status = STATUS_CODES[statusCode];
    if (status === undefined) throw r.fail(`${p}.status`, `unknown status ${statusCode}`);
    const flags = r.u8(`${p}.flags`);
    if (flags > 1) throw r.fail(`${p}.flags`, `unknown flags ${flags}`);
    const signedThisEpoch = r.u32(`${p}.signedThisEpoch`);
    const expectedThisEpoch = r.u32(`${p}.expectedThisEpoch`);
    if (signedThisEpoch > expectedThisEpoch || expectedThisEpoch > certificatesThisEpoch) throw r.fail(p, "signed ≤ expected ≤ certificatesThisEpoch violated");
    validators.set(stakingKey(publicKey), { publicKey, bonded, reputationPermille, status, signedThisEpoch, expectedThisEpoch, slashedThisEpoch: flags === 1 });
  }

  const unbonding: UnbondingEntry[] = [];
  const oneTimeKeys = new Set<string>();
  const m = r.count("unbonding", UNBONDING_ENTRY_BYTES);
  for (let i = 0; i < m; i++) {
    const p = `unbonding[${i}]`;
    const validator = r.bytes(32, `${p}.validator`);
    if (!validators.has(stakingKey(validator))) throw r.fail(`${p}.validator`, "has no validator record");
    const amount = r.u64(`${p}.amount`);
    if (amount === 0n) throw r.fail(`${p}.amount`, "is 0");
    const matureHeight = r.u64(`${p}.matureHeight`);
    if (matureHeight <= height) throw r.fail(`${p}.matureHeight`, `${matureHeight} is not above height ${height}`);
    const last = unbonding[unbonding.length - 1];
    if (last !== undefined && matureHeight < last.matureHeight) throw r.fail(`${p}.matureHeight`, "queue not ordered by matureHeight");
    const oneTimeKey = r.bytes(32, `${p}.oneTimeKey`);
    const otk = toHex(oneTimeKey);
    if (oneTimeKeys.has(otk)) throw r.fail(`${p}.oneTimeKey`, "repeated");
    oneTimeKeys.add(otk);
    const viewTag = r.u8(`${p}.viewTag`);
    const txPublicKey = r.bytes(32, `${p}.txPublicKey`);
    unbonding.push({ validator, amount, matureHeight, oneTimeKey, viewTag, txPublicKey });
  }

  const readSet = (path: string): ValidatorSet => {
    const count = r.count(path, 40);
    if (count === 0 || count > MAX_VALIDATORS_LIMIT) throw r.fail(path, `size ${count} is not 1 ..= ${MAX_VALIDATORS_LIMIT}`);
    const list: Validator[] = [];
    for (let i = 0; i < count; i++) {
      const publicKey = r.bytes(32, `${path}[${i}].publicKey`);
      const last = list[list.length - 1];
      if (last !== undefined && compareBytes(last.publicKey, publicKey) >= 0) throw r.fail(`${path}[${i}].publicKey`, "not strictly after the previous key");
      if (!validators.has(stakingKey(publicKey))) throw r.fail(`${path}[${i}].publicKey`, "has no validator record");
      const stake = r.u64(`${path}[${i}].stake`);
      if (stake === 0n) throw r.fail(`${path}[${i}].stake`, "is 0");
      list.push({ publicKey, stake });
    }
    return makeValidatorSet(list);
  };
  const validatorSet = readSet("validatorSet");
  const nextValidatorSet = readSet("nextValidatorSet");
  r.end("stakingState");
  return { height, validators, certificatesThisEpoch, unbonding, burnedTotal, validatorSet, nextValidatorSet };
}

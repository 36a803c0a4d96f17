/**
 * Checks one block's staking input against the staking state before it is applied
 * (docs/consensus.md §5.2, §5.6). Signatures, evidence and bond transactions were verified by
 * the integrator; this checks what only the staking state knows.
 * @module
 */
import { U64_MAX } from "../constants.ts";
import { ConsensusError, type ConsensusErrorCode } from "../errors.ts";
import { toHex } from "../encoding/bytes.ts";
import type { BlockStakingInput, StakingState } from "./types.ts";
import { stakingKey } from "./weights.ts";

const SLASH_KINDS: ReadonlySet<string> = new Set(["duplicate-vote", "invalid-attestation"]);

function fail(code: ConsensusErrorCode, reason: string, index?: number): never {
  throw new ConsensusError(code, reason, index === undefined ? {} : { index });
}

function key32(b: unknown, field: string, index: number): string {
  if (!(b instanceof Uint8Array) || b.length !== 32) fail("STAKE_MALFORMED", `${field} must be 32 bytes`, index);
  return stakingKey(b);
}

function amount(a: unknown, field: string, index: number): bigint {
  if (typeof a !== "bigint" || a < 0n || a > U64_MAX) fail("STAKE_MALFORMED", `${field} must be a u64 bigint`, index);
  if (a === 0n) fail("STAKE_ZERO_AMOUNT", `${field} is 0`, index);
  return a;
}

/**
 * Checks, in this order: the height; every bond (key, amount, not banned, bonded stays ≤ u64);
 * every unbond (keys, view tag, amount, known, not banned, amount ≤ the bonded stake left after
 * the block's bonds and earlier unbonds, one-time key not queued nor repeated); every slash
 * (key, kind, known, not banned before this block, offender+kind once); every
 * `lastCertificateSigners` key (32 bytes, once, member of `state.validatorSet`, the set that
 * finalized the parent). A key counts as known when it has a record or bonds in this block.
 * The `index` of the error is the item's position in its list.
 * @throws ConsensusError `STAKE_WRONG_HEIGHT`, `STAKE_MALFORMED`, `STAKE_ZERO_AMOUNT`,
 *   `STAKE_AMOUNT_OVERFLOW`, `STAKE_BANNED_VALIDATOR`, `STAKE_UNKNOWN_VALIDATOR`,
 *   `STAKE_UNBOND_EXCEEDS_BONDED`, `STAKE_DUPLICATE_ONE_TIME_KEY`, `STAKE_DUPLICATE_SLASH`,
 *   `STAKE_DUPLICATE_SIGNER`, `STAKE_UNKNOWN_SIGNER`
 */
export function checkStakingInput(state: StakingState, input: BlockStakingInput): void {
  if (typeof input.height !== "bigint" || input.height !== state.height + 1n) {
    fail("STAKE_WRONG_HEIGHT", `input height ${String(input.height)} is not staking height ${state.height} + 1`);
  }
  const running = new Map<string, bigint>();
  const bondedOf = (k: string): bigint => running.get(k) ?? state.validators.get(k)?.bonded ?? 0n;
  const known = (k: string): boolean => state.validators.has(k) || running.has(k);
  const banned = (k: string): boolean => state.validators.get(k)?.status === "banned";

  input.bonds.forEach((b, i) => {
    const k = key32(b.validator, `bonds[${i}].validator`, i);
    const a = amount(b.amount, `bonds[${i}].amount`, i);
    if (banned(k)) fail("STAKE_BANNED_VALIDATOR", `bonds[${i}].validator ${k.slice(0, 16)}… is banned`, i);
    const next = bondedOf(k) + a;
    if (next > U64_MAX) fail("STAKE_AMOUNT_OVERFLOW", `bonds[${i}]: bonded stake ${next} exceeds u64`, i);
    running.set(k, next);
  });

  const oneTimeKeys = new Set(state.unbonding.map((e) => toHex(e.oneTimeKey)));
  input.unbonds.forEach((u, i) => {
    const k = key32(u.validator, `unbonds[${i}].validator`, i);
    const otk = key32(u.oneTimeKey, `unbonds[${i}].oneTimeKey`, i);
    key32(u.txPublicKey, `unbonds[${i}].txPublicKey`, i);
    if (!Number.isInteger(u.viewTag) || u.viewTag < 0 || u.viewTag > 255) fail("STAKE_MALFORMED", `unbonds[${i}].viewTag must be a u8`, i);
    const a = amount(u.amount, `unbonds[${i}].amount`, i);
    if (!known(k)) fail("STAKE_UNKNOWN_VALIDATOR", `unbonds[${i}].validator ${k.slice(0, 16)}… never bonded`, i);
    if (banned(k)) fail("STAKE_BANNED_VALIDATOR", `unbonds[${i}].validator ${k.slice(0, 16)}… is banned`, i);
    const have = bondedOf(k);
    if (a > have) fail("STAKE_UNBOND_EXCEEDS_BONDED", `unbonds[${i}].amount ${a} exceeds bonded ${have}`, i);
    running.set(k, have - a);
    if (oneTimeKeys.has(otk)) fail("STAKE_DUPLICATE_ONE_TIME_KEY", `unbonds[${i}].oneTimeKey is already queued or used earlier in the block`, i);
    oneTimeKeys.add(otk);
  });

  const slashed = new Set<string>();
  input.slashes.forEach((s, i) => {
    const k = key32(s.offender, `slashes[${i}].offender`, i);
    if (!SLASH_KINDS.has(s.kind)) fail("STAKE_MALFORMED", `slashes[${i}].kind ${String(s.kind)} is not duplicate-vote or invalid-attestation`, i);
    if (!known(k)) fail("STAKE_UNKNOWN_VALIDATOR", `slashes[${i}].offender ${k.slice(0, 16)}… never bonded`, i);
    if (banned(k)) fail("STAKE_BANNED_VALIDATOR", `slashes[${i}].offender ${k.slice(0, 16)}… is already banned`, i);
    const id = `${k}/${s.kind}`;
    if (slashed.has(id)) fail("STAKE_DUPLICATE_SLASH", `slashes[${i}]: ${s.kind} by ${k.slice(0, 16)}… twice in the block`, i);
    slashed.add(id);
  });

  const members = new Set(state.validatorSet.validators.map((v) => stakingKey(v.publicKey)));
  const seen = new Set<string>();
  input.lastCertificateSigners.forEach((s, i) => {
    const k = key32(s, `lastCertificateSigners[${i}]`, i);
    if (seen.has(k)) fail("STAKE_DUPLICATE_SIGNER", `lastCertificateSigners[${i}] ${k.slice(0, 16)}… listed twice`, i);
    seen.add(k);
    if (!members.has(k)) fail("STAKE_UNKNOWN_SIGNER", `lastCertificateSigners[${i}] ${k.slice(0, 16)}… is not in the set that finalized height ${state.height}`, i);
  });
}

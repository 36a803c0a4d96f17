/**
 * Validator set, staking and slashing (docs/consensus.md §5): a pure, deterministic state
 * machine applied once per finalized block.
 * @module
 */
export * from "./params.ts";
export type * from "./types.ts";
export * from "./weights.ts";
export * from "./genesis.ts";
export * from "./check.ts";
export * from "./apply.ts";
export * from "./codec.ts";

/**
 * The Tendermint BFT engine and its messages (docs/consensus.md §2, §3).
 * @module
 */
export * from "./types.ts";
export * from "./timeouts.ts";
export * from "./proposer.ts";
export * from "./proposal.ts";
export * from "./votes.ts";
export * from "./evidence.ts";
export * from "./engine.ts";

/**
 * `@baios/consensus`: the consensus rules of BAIOS Chain (docs/protocol.md).
 * @module
 */
export * from "./constants.ts";
export * from "./params.ts";
export * from "./errors.ts";
/** The consensus data types, type-only: `Tx`, `TxInput`, `TxOutput`, `TxStake`, `Coinbase`, `BlockHeader`, `Block`, `Unbond`, `UnbondPayout`, `Evidence`, `Vote`, `VoteMessage`, `FinalityCertificate`, `Validator`, `OutputRecord`, `ChainView` (docs/protocol.md §3–§5, §9). */
export type * from "./types.ts";
export * from "./encoding/bytes.ts";
export * from "./encoding/canonical.ts";
export * from "./encoding/wire.ts";
export * from "./encoding/reader.ts";
export * from "./hashes.ts";
export * from "./mmr/position.ts";
export * from "./mmr/proof.ts";
export * from "./mmr/mmr.ts";
export * from "./mmr/header.ts";
export * from "./mmr/consistency.ts";
export * from "./mmr/inclusion-check.ts";
export * from "./kiset/index.ts";
export * from "./emission.ts";
export * from "./coinbase.ts";
export * from "./validation/structure.ts";
export * from "./validation/stages.ts";
export * from "./validation/tx.ts";
export * from "./validation/block.ts";
export * from "./validation/body.ts";
export * from "./pow.ts";
export * from "./builder.ts";
export * from "./engine.ts";
export * from "./bft/index.ts";
export * from "./genesis.ts";
export * from "./staking/index.ts";
export * from "./cascade/index.ts";
export * from "./light/step.ts";

/**
 * The key-image set root (docs/protocol.md §15): a compact sparse Merkle tree over
 * `h32("BAIOS/v1/kiset-key", keyImage)` with leaf shortcuts, its node store, batched inserts,
 * whole-set builds (snapshots) and membership / non-membership proofs.
 * @module
 */
export * from "./hash.ts";
export * from "./tree.ts";
export * from "./proof.ts";
export * from "./build.ts";

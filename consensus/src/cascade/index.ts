/**
 * The cascading superblock chain (docs/cascade.md; issue 9): superblock levels, super-parent
 * pointers and their commitment, the cascade with its invariants, its canonical bytes, and a
 * size simulation.
 * @module
 */
export * from "./params.ts";
export * from "./level.ts";
export * from "./super-parents.ts";
export * from "./queues.ts";
export * from "./cascade.ts";
export * from "./check.ts";
export * from "./codec.ts";
export * from "./simulate.ts";

/**
 * `@baios/light-client`: the light client of BAIOS Chain (docs/light-client.md), for Node and
 * browsers — verified head across validator-set changes, past headers, outputs, key images and
 * the cascade, with a checkpoint. `@baios/light-client/node` holds a file checkpoint store (Node
 * only); the node side of `get_light_update` is `@baios/api/light-update`.
 * @module
 */
export * from "./errors.ts";
export * from "./wire.ts";
export * from "./json.ts";
export * from "./verify.ts";
export * from "./checkpoint.ts";
export * from "./trust.ts";
export * from "./client.ts";

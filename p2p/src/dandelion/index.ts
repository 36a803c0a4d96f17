/**
 * Dandelion++ (Fanti et al. 2018, arXiv 1805.11060), transport-independent: {@link DandelionRouter}
 * (routing, epochs, embargo, loops), {@link Stempool} (stem txs kept out of the mempool), the
 * parameters and their derivation. docs/p2p.md §Dandelion++.
 * @module
 */
export * from "./params.ts";
export * from "./random.ts";
export * from "./router.ts";
export * from "./stempool.ts";
export * from "./transport.ts";

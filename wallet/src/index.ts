/**
 * `@baios/wallet`: wallet library (keys, addresses, encrypted wallet file, scanning, decoy
 * selection, transaction building, payment proofs), the wallet JSON-RPC server and the `baios`
 * CLI (see docs/wallet.md).
 * @module
 */
export * from "./address.ts";
export * from "./keys.ts";
export * from "./walletfile.ts";
export * from "./decoys.ts";
export * from "./state.ts";
export * from "./scanner.ts";
export * from "./builder.ts";
export * from "./txkey.ts";
export * from "./wallet.ts";
export * from "./amount.ts";
export * from "./scan-match.ts";
export * from "./scan-workers.ts";

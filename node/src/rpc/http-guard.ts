/**
 * The HTTP guard of the node's RPC listener lives in `@baios/api/server` (node/api/src/http-guard.ts),
 * shared with the wallet's RPC server; this module re-exports it for the node's modules.
 * @module
 */
export * from "@baios/api/server";

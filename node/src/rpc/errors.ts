/**
 * Server-side JSON-RPC errors of the node: {@link rpcError} and {@link invalidParams} build the
 * throwable `JSONRPCErrorException`s with the codes of {@link RPC_ERRORS} (defined in `@baios/api`,
 * docs/node.md §RPC errors).
 * @module
 */
import { JSONRPCErrorException } from "json-rpc-2.0";
import { RPC_ERRORS, type RpcErrorName } from "@baios/api";

export { RPC_ERRORS, type RpcErrorName };

/** Throws-able JSON-RPC error with one of {@link RPC_ERRORS}. */
export function rpcError(name: RpcErrorName, message: string, data?: unknown): JSONRPCErrorException {
  return new JSONRPCErrorException(message, RPC_ERRORS[name], data);
}

/** Shorthand for an INVALID_PARAMS error. */
export function invalidParams(message: string): JSONRPCErrorException {
  return rpcError("INVALID_PARAMS", message);
}

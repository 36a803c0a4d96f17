/** The wallet RPC's error mapping keeps the typed code of a wallet-file or node-trust failure in `data.reason`. */
import { describe, expect, it } from "vitest";
import { WALLET_RPC_ERRORS, walletRpcError } from "../src/rpc.ts";
import { NodeTrustError } from "../src/trust.ts";
import { WalletFileError } from "../src/walletfile.ts";

describe("walletRpcError", () => {
  it("a NodeTrustError keeps its code", () => {
    const e = walletRpcError(new NodeTrustError("BAD_LINK", "block 5: parent hash does not link"));
    expect(e.code).toBe(WALLET_RPC_ERRORS.NODE_UNTRUSTED);
    expect(e.data).toEqual({ reason: "BAD_LINK" });
    expect(e.message).toContain("does not link");
  });
  it("a WalletFileError keeps its code", () => {
    const e = walletRpcError(new WalletFileError("IN_USE", "wallet file is in use by another process"));
    expect(e.code).toBe(WALLET_RPC_ERRORS.WALLET_FILE_ERROR);
    expect(e.data).toEqual({ reason: "IN_USE" });
  });
  it("an unknown error hides its message", () => {
    const e = walletRpcError(new TypeError("secret detail"));
    expect(e.code).toBe(WALLET_RPC_ERRORS.INTERNAL_ERROR);
    expect(e.message).not.toContain("secret");
  });
});

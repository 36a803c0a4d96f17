/**
 * Wallet-file management over the wallet JSON-RPC, with monero-wallet-rpc semantics
 * (docs/wallet.md §8.1): `create_wallet {filename, password, network?}`, `open_wallet {filename,
 * password}` and `close_wallet`, on files in one wallet directory (`--wallet-dir`). The server
 * holds a swappable wallet ({@link WalletHolder}); opening or creating one closes the current one
 * first-or-after (saving it and releasing its lock). Methods that need a wallet answer NO_WALLET
 * (-32107) while none is open.
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { JSONRPCErrorException } from "json-rpc-2.0";
import * as v from "valibot";
import { NETWORKS, type Network } from "./address.ts";
import { Wallet } from "./wallet.ts";
import { DEFAULT_SCRYPT, type ScryptParams } from "./walletfile.ts";

/** The wallet the RPC server serves now; `undefined` = none open. */
export interface WalletHolder {
  current: Wallet | undefined;
}

/** Options of {@link walletFileMethods}. */
export interface WalletDirOptions {
  /** Directory the wallet files live in; `undefined` = create/open answer WALLET_FILE_ERROR `NO_WALLET_DIR`. */
  walletDir: string | undefined;
  /** KDF cost of files made by `create_wallet` (default {@link DEFAULT_SCRYPT}; tests use a cheap one). */
  scrypt?: ScryptParams;
  /** Network of `create_wallet` when the call names none (default: the open wallet's, else devnet). */
  network?: Network;
}

/** Codes these methods answer (the same numbers as WALLET_RPC_ERRORS). */
const INVALID_PARAMS = -32602;
const WALLET_FILE_ERROR = -32105;

const bad = (m: string): never => {
  throw new JSONRPCErrorException(m, INVALID_PARAMS);
};
const fileError = (reason: string, m: string): never => {
  throw new JSONRPCErrorException(m, WALLET_FILE_ERROR, { reason });
};

/**
 * A wallet file name inside the wallet directory: 1..255 characters, no `/`, `\`, NUL, and not
 * starting with `.` (so never `.` or `..`, never an absolute path, never outside the directory).
 */
const FILENAME = v.pipe(
  v.string("filename: expected a string"),
  v.minLength(1, "filename: expected 1 to 255 characters"),
  v.maxLength(255, "filename: expected 1 to 255 characters"),
  v.regex(/^[^/\\\0.][^/\\\0]*$/, "filename: a plain file name inside the wallet directory (no '/', '\\', or leading '.')"),
);
const PASSWORD = v.pipe(v.string("password: expected a string (may be empty)"), v.maxLength(1024, "password: at most 1024 characters"));
const NOT_OBJECT = "params: expected an object (by-name parameters)";
/** `open_wallet` params (valibot schema). */
const OPEN_PARAMS = v.object({ filename: FILENAME, password: PASSWORD }, NOT_OBJECT);
/** `create_wallet` params (valibot schema). */
const CREATE_PARAMS = v.object({ filename: FILENAME, password: PASSWORD, network: v.optional(v.picklist(NETWORKS, `network: expected one of ${NETWORKS.join("|")}`)) }, NOT_OBJECT);

/** Validates `raw` against `schema`. @throws JSONRPCErrorException INVALID_PARAMS with the first issue's message */
function parseParams<T extends v.GenericSchema>(schema: T, raw: unknown): v.InferOutput<T> {
  const r = v.safeParse(schema, raw);
  return r.success ? r.output : bad(r.issues[0].message);
}

/** A wallet file name inside the wallet directory ({@link FILENAME}). @throws JSONRPCErrorException INVALID_PARAMS otherwise */
export const walletFileName = (raw: unknown): string => parseParams(FILENAME, raw);

/** `create_wallet`, `open_wallet`, `close_wallet` over `holder` (run one at a time by the server's queue). */
export function walletFileMethods(holder: WalletHolder, opts: WalletDirOptions): Record<string, (p: unknown) => Promise<unknown>> {
  const dir = (): string => opts.walletDir ?? fileError("NO_WALLET_DIR", "this wallet RPC has no wallet directory (start it with --wallet-dir)");
  const closeCurrent = (): void => {
    holder.current?.close(); // saves and releases the lock
    holder.current = undefined;
  };
  return {
    create_wallet: async (raw) => {
      const { filename: name, password: pw, network: net } = parseParams(CREATE_PARAMS, raw);
      const network: Network = net ?? holder.current?.network ?? opts.network ?? "devnet";
      const path = join(dir(), name);
      if (existsSync(path)) fileError("EXISTS", `wallet file ${name} already exists`);
      const { wallet } = Wallet.create(network);
      wallet.saveAs(path, pw, opts.scrypt ?? DEFAULT_SCRYPT);
      closeCurrent();
      holder.current = wallet;
      return { address: wallet.address, network };
    },
    open_wallet: async (raw) => {
      const { filename: name, password: pw } = parseParams(OPEN_PARAMS, raw);
      const path = join(dir(), name);
      if (!existsSync(path)) fileError("NOT_FOUND", `no wallet file ${name} in the wallet directory`);
      if (holder.current?.file?.path === path) closeCurrent(); // reopening the same file: release its lock first
      const wallet = Wallet.open(path, pw, opts.scrypt ?? DEFAULT_SCRYPT);
      closeCurrent();
      holder.current = wallet;
      return { address: wallet.address, network: wallet.network };
    },
    close_wallet: async () => {
      closeCurrent();
      return {};
    },
  };
}

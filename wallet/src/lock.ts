/**
 * The wallet file's exclusive lock (docs/wallet.md §3.1), with `proper-lockfile`: a lock
 * directory `<wallet file>.lock` made with an atomic `mkdir`, its mtime refreshed every
 * {@link LOCK_UPDATE_MS} while the process holds it, and taken over as stale only when it has not
 * been refreshed for {@link LOCK_STALE_MS} (a process killed with SIGKILL). The lock is removed on
 * {@link WalletLock.release} and, by the library, when the process exits.
 *
 * Two processes (or two `Wallet.open` calls in one process) can therefore never both hold a
 * wallet file: the second gets {@link WalletFileError} `IN_USE`, so neither can overwrite what the
 * other saved (a stale in-memory state overwriting a stored tx key: issue 6).
 * @module
 */
import { resolve } from "node:path";
import lockfile from "proper-lockfile";
import { ensureWalletDir, WalletFileError } from "./walletfile.ts";

/** A lock not refreshed for this long (ms) belongs to a dead process and may be taken over: 10 000. */
export const LOCK_STALE_MS = 10_000;
/** How often (ms) a holder refreshes its lock's mtime: 2 000. */
export const LOCK_UPDATE_MS = 2_000;

/** A held wallet-file lock. */
export interface WalletLock {
  /** Absolute path of the locked wallet file. */
  readonly path: string;
  /** True once the lock was lost (not refreshed in time and taken over): the holder must not write any more. */
  readonly compromised: boolean;
  /** Releases the lock (idempotent). */
  release(): void;
}

/**
 * Takes the exclusive lock of the wallet file at `path` (the file need not exist yet; a missing
 * directory is created with mode 0700).
 * @throws WalletFileError `IN_USE` ("wallet file is in use by another process") when it is held
 */
export function lockWalletFile(path: string): WalletLock {
  const abs = resolve(path);
  ensureWalletDir(abs); // the lock lives beside the file; a new directory is made 0700
  let compromised = false;
  let released = false;
  let release: () => void;
  try {
    release = lockfile.lockSync(abs, {
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new WalletFileError("IN_USE", `wallet file is in use by another process: ${abs} (lock ${abs}.lock; a lock left by a killed process expires after ${LOCK_STALE_MS / 1000} s)`);
    }
    throw e;
  }
  return {
    path: abs,
    get compromised() {
      return compromised;
    },
    release() {
      if (released) return;
      released = true;
      try {
        release();
      } catch {
        // already released or taken over: nothing of ours to remove
      }
    },
  };
}

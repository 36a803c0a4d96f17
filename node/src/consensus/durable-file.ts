/**
 * Crash-safe whole-file replacement for small state files (the double-sign guard's record, the
 * consensus WAL's rotation).
 *
 * {@link writeFileDurable} writes `<path>.tmp`, fsyncs it, renames it over `path` (atomic on
 * POSIX file systems: a reader sees either the old or the new file, never a mix), then fsyncs the
 * directory so the rename itself survives power loss. Only when all four steps succeeded does it
 * resolve. Source: POSIX `rename(2)`; the "write, fsync, rename, fsync dir" recipe of
 * T. Pillai et al., "All File Systems Are Not Created Equal" (OSDI 2014) §2.
 * @module
 */
import { open, rename } from "node:fs/promises";
import { dirname } from "node:path";

/** The temporary file {@link writeFileDurable} writes before the rename: `<path>.tmp`. */
export const tmpPathOf = (path: string): string => `${path}.tmp`;

/**
 * Fsyncs a directory (makes a rename or create inside it durable).
 * @throws the `fs` error (`EIO`, …) when the directory cannot be opened or synced
 */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Replaces `path` with `bytes` durably (temp file, fsync, rename, fsync of the parent directory).
 * A crash at any point leaves `path` holding either its old or its new content; a leftover
 * `<path>.tmp` is harmless and overwritten by the next call.
 * @throws the `fs` error (`ENOSPC`, `EIO`, …); `path` then still holds its old content or, if the
 *   rename happened but the directory sync failed, possibly the new one
 */
export async function writeFileDurable(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = tmpPathOf(path);
  const h = await open(tmp, "w", 0o600);
  try {
    let off = 0;
    while (off < bytes.length) off += (await h.write(bytes, off, bytes.length - off, off)).bytesWritten;
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

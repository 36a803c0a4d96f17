/**
 * An exclusive, process-level lock file: `<lockPath>` holds the owner's pid (decimal ASCII and a
 * newline). Used by the double-sign guard and the consensus WAL so that two processes can never
 * share one validator's signing state.
 *
 * Acquisition is atomic: the pid is written to a private temporary file which is then hard-linked
 * to `lockPath` (`link(2)` fails with `EEXIST` when the lock exists), so the lock file is never
 * seen half-written. A lock left behind by a crashed process (`kill -9`, power loss) is *stale*
 * and taken over when its pid no longer runs (or is a zombie), or when it names this very process
 * but this process does not hold it (pid reuse after a container restart). A live foreign pid is
 * never overridden: the caller's `onLocked` error is thrown and the operator must stop that
 * process (or, after checking that it is not a node, delete the lock file).
 *
 * Scope: this is an advisory lock between cooperating BAIOS processes on one machine and one
 * local file system (not NFS); it does not stop a copy of the data directory on another host.
 * @module
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fsyncDir } from "./durable-file.ts";

/** Absolute lock paths held by this process. */
const held = new Set<string>();

/** A held lock. */
export interface FileLock {
  /** The absolute lock file path. */
  readonly path: string;
  /** Deletes the lock file (only if it still names this process). Idempotent. */
  release(): Promise<void>;
}

/** Whether process `pid` exists and is not a zombie (Linux `/proc/<pid>/stat` state `Z`). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

const parsePid = (s: string): number | undefined => (/^[1-9]\d{0,9}\n$/.test(s) ? Number(s.trim()) : undefined);

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if (code(e) === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Takes the lock at `lockPath` (see the module doc for the protocol).
 * @param onLocked builds the error thrown when a live process holds the lock (`pid`), or when
 *   this process already holds it (`pid === process.pid`)
 * @throws the error from `onLocked`; `fs` errors (`EACCES`, `ENOSPC`, …)
 */
export async function acquireFileLock(lockPath: string, onLocked: (pid: number) => Error): Promise<FileLock> {
  const abs = resolve(lockPath);
  if (held.has(abs)) throw onLocked(process.pid);
  const mine = `${process.pid}\n`;
  for (let attempt = 0; attempt < 8; attempt++) {
    const tmp = `${abs}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, mine, { mode: 0o600 });
    try {
      await link(tmp, abs);
      held.add(abs);
      await unlink(tmp);
      await fsyncDir(dirname(abs));
      return { path: abs, release: () => release(abs) };
    } catch (e) {
      if (held.has(abs)) {
        held.delete(abs);
        await unlink(abs).catch(() => undefined);
        throw e;
      }
      await unlink(tmp).catch(() => undefined);
      if (code(e) !== "EEXIST") throw e;
    }
    const seen = await readOrUndefined(abs);
    if (seen === undefined) continue; // released meanwhile
    const pid = parsePid(seen);
    if (pid === process.pid && held.has(abs)) throw onLocked(pid);
    if (pid !== undefined && pid !== process.pid && processAlive(pid)) throw onLocked(pid);
    // stale: move it aside, and make sure what we moved is what we judged stale
    const aside = `${abs}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
    try {
      await rename(abs, aside);
    } catch (e) {
      if (code(e) === "ENOENT") continue;
      throw e;
    }
    const moved = await readFile(aside, "utf8");
    if (moved !== seen) await link(aside, abs).catch(() => undefined); // a fresh lock of someone else: put it back
    await unlink(aside);
  }
  const holder = parsePid((await readOrUndefined(abs)) ?? "");
  throw onLocked(holder ?? 0);
}

async function release(abs: string): Promise<void> {
  if (!held.delete(abs)) return;
  if ((await readOrUndefined(abs)) === `${process.pid}\n`) await unlink(abs).catch(() => undefined);
}

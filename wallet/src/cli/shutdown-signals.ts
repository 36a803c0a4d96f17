/**
 * SIGINT/SIGTERM for the long-running CLI commands (`baios node`, `baios light`, `baios wallet rpc`).
 *
 * Why a module: a process that has no listener for a signal takes the signal's default action
 * (for SIGINT/SIGTERM: it dies, exit signal set, nothing closed). The commands used to add their
 * listeners only after printing their "listening" line (`rpc <url>`, `wallet rpc <url>`, …), so a
 * supervisor or test that sent SIGTERM as soon as it read that line could land before the
 * listeners existed (`baios node`: 10 of 12 spawn-and-SIGTERM runs died by SIGTERM inside the
 * `rpc` line's write, with no SIG listener added yet; `baios light`: 5 of 8). `baios wallet rpc`
 * was spared only because proper-lockfile loads `signal-exit` v3 at import, whose listener catches
 * the signal and defers to ours. Here the listeners are added with `process.on` before anything is
 * printed and stay for the life of the process: with `process.once` a listener removes itself
 * before it runs, and a `signal-exit` listener that ran after it would see only its own listeners
 * and re-raise the signal with the default action.
 * @module
 */
import { constants } from "node:os";

/** The signals that ask a long-running command to stop. */
export type ShutdownSignal = "SIGINT" | "SIGTERM";

const SIGNALS: readonly ShutdownSignal[] = ["SIGINT", "SIGTERM"];

let first: Promise<ShutdownSignal> | undefined;

/**
 * Installs the process's SIGINT/SIGTERM listeners (once per process; later calls return the same
 * promise) and resolves with the first of these signals received. The caller stops cleanly when
 * it resolves. A second SIGINT/SIGTERM while stopping exits at once: message on stderr, exit
 * code 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, the shell convention).
 * The listeners do not keep the event loop alive (Node's signal handles are unreferenced).
 *
 * Call it before printing anything a supervisor waits for: a signal that arrives earlier takes
 * the default action. Never throws; the promise never rejects.
 */
export function shutdownSignal(): Promise<ShutdownSignal> {
  if (first !== undefined) return first;
  first = new Promise<ShutdownSignal>((resolve) => {
    let received: ShutdownSignal | undefined;
    const onSignal = (sig: ShutdownSignal): void => {
      if (received === undefined) {
        received = sig;
        resolve(sig);
        return;
      }
      process.stderr.write(`${sig} while stopping after ${received}: exiting without a clean stop\n`);
      process.exit(128 + constants.signals[sig]);
    };
    for (const s of SIGNALS) process.on(s, onSignal);
  });
  return first;
}

/** cli-progress bars for scanning and Tx-PoW mining (on stderr; silent when not a TTY). @module */
import cliProgress from "cli-progress";
import type { PowProgress } from "../builder.ts";
import type { ScanProgress } from "../scanner.ts";

/** Options of {@link scanBar} and {@link powBar}. */
export interface ProgressOptions {
  /** Label shown before the bar. */
  label: string;
  /** Disable bars entirely (e.g. --quiet). */
  quiet?: boolean;
}

/** A scan progress callback driving one bar; call `done()` at the end. */
export function scanBar(opts: ProgressOptions): { onProgress: (p: ScanProgress) => void; done: () => void } {
  if (opts.quiet === true || !process.stderr.isTTY) return { onProgress: () => undefined, done: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${opts.label} scanning [{bar}] {percentage}% | height {value}/{total}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      if (!started) {
        bar.start(Math.max(p.to, 0), Math.max(p.height, 0));
        started = true;
      }
      bar.setTotal(Math.max(p.to, 0));
      bar.update(Math.max(p.height, 0));
    },
    done: () => {
      if (started) bar.stop();
    },
  };
}

/** A Tx-PoW progress callback (hashes against the expected number). */
export function powBar(opts: ProgressOptions): { onPowProgress: (p: PowProgress) => void; done: () => void } {
  if (opts.quiet === true || !process.stderr.isTTY) return { onPowProgress: () => undefined, done: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${opts.label} Tx-PoW  [{bar}] {value} hashes (expected ~{expected})`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onPowProgress: (p) => {
      if (!started) {
        bar.start(p.expected, 0, { expected: p.expected });
        started = true;
      }
      if (p.hashes > p.expected) bar.setTotal(p.hashes);
      bar.update(p.hashes);
    },
    done: () => {
      if (started) bar.stop();
    },
  };
}

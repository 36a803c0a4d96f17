/**
 * Structured logging (pino). One root logger per node; modules take a child with `{ mod }`.
 *
 * Privacy rule: no key, amount or address is ever logged. Call sites log only public chain
 * facts (heights, hashes, txids, counts, durations, error codes). As a second line of defence
 * the logger redacts any field whose name suggests a secret or a wallet datum.
 * @module
 */
import { pino, type Logger, type DestinationStream } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger } from "pino";

/** Field names that are censored wherever they appear (top level or one level down). */
export const REDACTED_FIELDS = [
  "key",
  "seed",
  "secret",
  "validatorKey",
  "viewSecret",
  "spendSecret",
  "viewPublic",
  "spendPublic",
  "payout",
  "address",
  "amount",
  "amounts",
  "mask",
  "masks",
  "oneTimeKey",
  "commitment",
  "encryptedAmount",
  "keyImage",
] as const;

/** Creates the node's root logger writing JSON lines to `destination` (default stdout). */
export function createLogger(level: LogLevel, destination?: DestinationStream | string): Logger {
  const paths = [...REDACTED_FIELDS, ...REDACTED_FIELDS.map((f) => `*.${f}`)];
  const opts = {
    level,
    base: { svc: "baios-node" },
    redact: { paths, censor: "<redacted>" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination === undefined) return pino(opts);
  if (typeof destination === "string") return pino(opts, pino.destination({ dest: destination, mkdir: true, sync: false }));
  return pino(opts, destination);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * Structured logging (pino). One root logger per node; modules take a child with `{ mod }`.
 *
 * Privacy rule: no key, amount or address is ever logged. Call sites log only public chain
 * facts (heights, hashes, txids, counts, durations, error codes). As a second line of defence
 * the logger redacts any field whose name suggests a secret or a wallet datum.
 * @module
 */
import { pino, type Logger, type DestinationStream } from "pino";
import pretty from "pino-pretty";
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

/**
 * Creates the node's root logger. JSON lines to `destination` (a file path or a stream); with no
 * destination, to stdout: human-readable (pino-pretty, colours) when stdout is a terminal, JSON
 * lines otherwise (a pipe, a file, a log collector). Env `BAIOS_LOG_FORMAT=json|pretty` overrides.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream | string): Logger {
  const paths = [...REDACTED_FIELDS, ...REDACTED_FIELDS.map((f) => `*.${f}`)];
  const opts = {
    level,
    base: { svc: "baios-node" },
    redact: { paths, censor: "<redacted>" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination === undefined) {
    const format = process.env["BAIOS_LOG_FORMAT"] || (process.stdout.isTTY === true ? "pretty" : "json");
    if (format === "pretty") return pino(opts, pretty({ colorize: process.stdout.isTTY === true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,svc" }));
    return pino(opts);
  }
  if (typeof destination === "string") return pino(opts, pino.destination({ dest: destination, mkdir: true, sync: false }));
  return pino(opts, destination);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

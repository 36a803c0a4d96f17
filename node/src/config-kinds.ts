/**
 * Value kinds of the node's options (docs/node.md §Configuration): for each kind, one valibot
 * schema that reads a flag's or an environment variable's text (`"8192"`, `"true"`, `"a,b"`) as
 * well as a config file's JSON value (`8192`, `true`, `["a","b"]`), the `--help` value
 * placeholder, and the one message a bad value gets from every source.
 * @module
 */
import * as v from "valibot";
import { NETWORKS, type NetworkName } from "./ports.ts";

/** A configuration error (bad flag, bad value, unreadable file); the message names the flag, variable or file key as the user wrote it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Pino log levels accepted by `logLevel`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LOG_LEVELS}: the pino level of `logLevel` (`--log-level`, `BAIOS_LOG_LEVEL`, default `info`; docs/node.md §Configuration). */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validator's payout address: where the stealth coinbase output goes (hex, 32 bytes each). */
export interface PayoutAddress {
  viewPublic: string;
  spendPublic: string;
}

/** The kinds an option's value can have; add one here (schema, placeholder) to add a new kind of option. */
export type Kind = "string" | "int" | "bool" | "level" | "payout" | "list" | "network" | "mode";

/** What a kind's schema may need from the caller. */
export interface KindContext {
  /**
   * Decodes a `baios1…` (`baiosdev1…`, `baiostest1…`) address into its public keys; the wallet,
   * which owns the address format, supplies it (`baios node`). Without it `payout` takes only
   * `<viewPublicHex>:<spendPublicHex>`. @throws Error with the reason for a malformed address
   */
  decodeAddress?: (text: string) => PayoutAddress;
}

const HEX32 = /^[0-9a-f]{64}$/;
/** The 32-byte lowercase-hex check (validator seeds, payout keys). */
export const isHex32 = (s: string): boolean => HEX32.test(s);

const EXPECTED: Record<Kind, string> = {
  string: "expected a non-empty string",
  int: "expected a non-negative integer",
  bool: "expected true or false",
  level: `expected one of ${LOG_LEVELS.join("|")}`,
  payout: "expected a baios1… address or <viewPublicHex>:<spendPublicHex>",
  list: "expected a comma-separated list or an array of strings",
  network: `expected one of ${NETWORKS.join("|")}`,
  mode: "expected archive or pruned",
};

/** `--help` placeholder of each kind (an option may name its own, e.g. `<dir>`); a switch has none. */
export const PLACEHOLDER: Record<Kind, string> = { string: "<value>", int: "<n>", bool: "", level: "<level>", payout: "<address>", list: "<a,b,…>", network: "<net>", mode: "<archive|pruned>" };

type Schema = v.GenericSchema<unknown, unknown>;

function payoutSchema(ctx: KindContext): Schema {
  const m = EXPECTED.payout;
  const hex = v.pipe(v.string(m), v.regex(HEX32, m));
  // an object (config file) or a string (any source): `baios1…` or `<viewPublicHex>:<spendPublicHex>`
  return v.pipe(
    v.union([v.object({ viewPublic: hex, spendPublic: hex }, m), v.string(m)], m),
    v.rawTransform(({ dataset, addIssue, NEVER }): PayoutAddress => {
      if (typeof dataset.value !== "string") return dataset.value;
      const text = dataset.value.trim();
      if (text.startsWith("baios")) {
        if (ctx.decodeAddress === undefined) {
          addIssue({ message: "a baios… address is read by the baios CLI; here give <viewPublicHex>:<spendPublicHex>" });
          return NEVER;
        }
        try {
          return ctx.decodeAddress(text);
        } catch (e) {
          addIssue({ message: (e as Error).message });
          return NEVER;
        }
      }
      const [viewPublic, spendPublic, ...rest] = text.split(":");
      if (rest.length > 0 || viewPublic === undefined || spendPublic === undefined || !HEX32.test(viewPublic) || !HEX32.test(spendPublic)) {
        addIssue({ message: "expected a baios1… address, or two 32-byte lowercase hex public keys as <viewPublicHex>:<spendPublicHex>" });
        return NEVER;
      }
      return { viewPublic, spendPublic };
    }),
  ) as Schema;
}

/** The valibot schema of a kind: accepts the text of a flag or variable and the JSON value of a config file key. */
export function kindSchema(kind: Kind, ctx: KindContext = {}): Schema {
  const m = EXPECTED[kind];
  switch (kind) {
    case "string":
      return v.pipe(v.string(m), v.nonEmpty(m));
    case "int":
      return v.union([v.pipe(v.number(m), v.safeInteger(m), v.minValue(0, m)), v.pipe(v.string(m), v.regex(/^\d{1,15}$/, m), v.transform(Number))], m) as Schema;
    case "bool":
      return v.union(
        [v.boolean(m), v.pipe(v.picklist(["true", "1", "yes"], m), v.transform(() => true)), v.pipe(v.picklist(["false", "0", "no"], m), v.transform(() => false))],
        m,
      ) as Schema;
    case "level":
      return v.picklist(LOG_LEVELS, m);
    case "network":
      return v.picklist(NETWORKS, m) as v.GenericSchema<unknown, NetworkName>;
    case "list":
      return v.pipe(
        v.union([v.array(v.string(m), m), v.pipe(v.string(m), v.transform((s) => s.split(",")))], m),
        v.transform((xs) => xs.map((x) => x.trim()).filter((x) => x !== "")),
      ) as Schema;
    case "payout":
      return payoutSchema(ctx);
    case "mode":
      return v.picklist(["archive", "pruned"], m) as Schema;
  }
}

/**
 * Parses one value with its kind's schema.
 * @param where how the user wrote it, prefixed to the message: `flag --rpc-port`, `env BAIOS_RPC_PORT`, `config file <path>: rpcPort`
 * @throws ConfigError `<where>: <reason>` (the first issue's message)
 */
export function parseKind(kind: Kind, raw: unknown, where: string, ctx: KindContext = {}): unknown {
  const r = v.safeParse(kindSchema(kind, ctx), raw);
  if (!r.success) throw new ConfigError(`${where}: ${r.issues[0]?.message ?? EXPECTED[kind]}`);
  return r.output;
}

/** BAI amounts: 1 BAI = 10^8 atomic units. Parsing and formatting without floating point. @module */
export const ATOMIC_PER_BAI = 100_000_000n;

/** "1.5" → 150000000n. @throws on more than 8 decimals, a sign or garbage */
export function parseBai(text: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text.trim());
  if (!m) throw new Error(`invalid amount "${text}" (use e.g. 12.5; at most 8 decimals)`);
  return BigInt(m[1]!) * ATOMIC_PER_BAI + BigInt((m[2] ?? "").padEnd(8, "0"));
}

/** 150000000n → "1.5" (trailing zeros trimmed, at least one decimal shown as "1.0"? no: "1"). */
export function formatBai(atomic: bigint): string {
  const neg = atomic < 0n;
  const a = neg ? -atomic : atomic;
  const whole = a / ATOMIC_PER_BAI;
  const frac = (a % ATOMIC_PER_BAI).toString().padStart(8, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? "." + frac : ""}`;
}

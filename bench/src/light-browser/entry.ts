// Page side of bench/src/light-browser.ts: times the light client's proof checks in Chromium's
// WebAssembly (the @baios/crypto web bindings) and reports the timings to the harness.
import { run } from "@baios/crypto/testing/page";
import { lightCases, timeCases } from "./cases.ts";

/** The browser globals used here (the bench's tsconfig has no DOM library). */
const page = globalThis as unknown as { location: { search: string }; navigator: { userAgent: string }; crossOriginIsolated?: boolean };
const params = new URLSearchParams(page.location.search);
void run(() => ({
  userAgent: page.navigator.userAgent,
  crossOriginIsolated: page.crossOriginIsolated === true,
  timings: timeCases(lightCases(), { samples: Number(params.get("samples") ?? 100), inner: Number(params.get("inner") ?? 100), warmup: 50 }),
}));

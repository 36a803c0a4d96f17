// Page entry of browser.test.ts: runs every shared case of ../cases.ts in the page (bundled for the
// browser: @baios/crypto's web bindings) and reports each outcome, plus whether the bundle saw a
// Node global, and the localStorage checkpoint store round trip.
import { run } from "@baios/crypto/testing/page";
import { LocalStorageCheckpointStore } from "../../src/checkpoint.ts";
import { cases } from "../cases.ts";

void run(async () => {
  const outcomes: Record<string, string> = {};
  for (const [name, f] of Object.entries(cases)) {
    try {
      await f();
      outcomes[name] = "ok";
    } catch (e) {
      outcomes[name] = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }
  const store = new LocalStorageCheckpointStore(globalThis.localStorage, "light-test");
  await store.save('{"x":1}');
  return { outcomes, localStorage: await store.load(), hasProcess: typeof (globalThis as Record<string, unknown>)["process"] !== "undefined", hasBuffer: typeof (globalThis as Record<string, unknown>)["Buffer"] !== "undefined" };
});

#!/usr/bin/env node
// The `baios` CLI entry (Node ≥ 22.18 runs TypeScript natively). See docs/wallet.md.
import { main } from "../src/cli/index.ts";

await main();

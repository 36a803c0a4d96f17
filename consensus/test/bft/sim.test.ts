/**
 * Property tests of the BFT engine on the simulated network (test/bft/sim.ts): safety,
 * liveness after GST, evidence for every equivocation that reaches an honest node, and valid
 * finality certificates. Seeded; bounded runtime.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { check, describeCfg, scenarioArb } from "./scenario.ts";
import { Simulation } from "./sim.ts";

describe("BFT engine on a simulated network", () => {
  it("safety, liveness after GST, evidence, certificates (fast-check)", () => {
    fc.assert(
      fc.property(scenarioArb, (cfg) => {
        const sim = new Simulation(cfg);
        sim.run();
        try {
          check(sim);
        } catch (e) {
          throw new Error(`${(e as Error).message}\nconfig: ${describeCfg(cfg)}`);
        }
      }),
      { seed: 20_260_801, numRuns: 150 },
    );
  });

  it("the scenarios are not vacuous: equivocations, crashes, partitions, invalid values and later rounds occur", () => {
    let evidence = 0;
    let laterRounds = 0;
    let crashes = 0;
    let partitions = 0;
    let invalid = 0;
    for (const cfg of fc.sample(scenarioArb, { seed: 20_260_801, numRuns: 40 })) {
      const sim = new Simulation(cfg);
      sim.run();
      check(sim);
      evidence += sim.honest().reduce((a, n) => a + n.evidence.length, 0);
      laterRounds += sim.honest().filter((n) => [...n.commits.values()].some((c) => c.round > 0)).length;
      crashes += cfg.crash ? 1 : 0;
      partitions += cfg.partition ? 1 : 0;
      invalid += [...sim.valid.values()].filter((v) => !v).length;
    }
    expect(evidence).toBeGreaterThan(0);
    expect(laterRounds).toBeGreaterThan(0);
    expect(crashes).toBeGreaterThan(0);
    expect(partitions).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);
  });
});

// Statistics over SGD runs (docs/theory.md, "Matching student units across runs"): a deterministic
// start at alpha = 0, the three matching modes against an independent implementation of the
// matching rule, the count of runs per final assignment, and the restarted ODE of
// `scm compare --restart-alpha` in its table and CSV.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { compare, generalizationError, simulateSync, type SimulationResult } from "./helpers";

const reference = { T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };
const asymmetric = { T: [[1, 0], [0, 2]], Q0: [[0.5, 0], [0, 0.5]], R0: [[0.3, 0], [0, 0.4]] };
const threeTwo = {
  activation: "erf" as const, T: [[1, 0.2], [0.2, 1.5]],
  Q0: [[0.3, 0.05, 0], [0.05, 0.4, 0.02], [0, 0.02, 0.5]], R0: [[0.1, 0], [0, 0.2], [0.05, 0.05]],
};

describe("a deterministic start at alpha = 0", () => {
  // Every run starts from the prescribed Q0, R0: the mean must be exactly those values and the
  // spread exactly zero (before, the runs were relabelled by their final assignment, giving
  // Q_11 = 0.14 +- 0.052 for the reference setting, and rounding added ~1e-17 of spread).
  const settings = [["reference", reference, {}], ["asymmetric", asymmetric, {}], ["K = 3, M = 2, erf", threeTwo, {}], ["mini-batches", asymmetric, { batch: 4 }]] as const;
  for (const [name, setting, extra] of settings)
    for (const matching of ["final", "each", "none"] as const)
      it(`${name}, matching ${matching}: mean = Q0, R0, eps_g(Q0, R0) exactly, std = 0`, () => {
        const r = simulateSync({ ...setting, ...extra, d: 200, runs: 5, alphas: [0, 1, 2], seed: 4, matching });
        expect(r.Q.mean[0]).toEqual(setting.Q0);
        expect(r.R.mean[0]).toEqual(setting.R0);
        expect(r.Q.std[0].flat().every((x) => x === 0)).toBe(true);
        expect(r.R.std[0].flat().every((x) => x === 0)).toBe(true);
        expect(r.eg.std[0]).toBe(0);
        expect(r.eg.mean[0]).toBe(generalizationError({ ...setting, Q: setting.Q0, R: setting.R0 }));
        // and the runs do spread afterwards: the test is not vacuous
        expect(Math.max(...r.Q.std[2].flat())).toBeGreaterThan(1e-3);
      });
  it("compare: the simulation equals the ODE at alpha = 0 (deviation exactly 0)", async () => {
    const c = await compare({ ...reference, d: 200, runs: 4, alphas: [0, 1], seed: 2 });
    expect(c.deviation.eg[0]).toBe(0);
    expect(c.deviation.Q[0].flat().every((x) => x === 0)).toBe(true);
    expect(c.deviation.R[0].flat().every((x) => x === 0)).toBe(true);
  }, 60_000);
});

// An independent implementation of the matching rule for K = M = 2 and a diagonal T: cosine of
// the rows of R with the reference rows in the metric T^-1, the identity unless the swap scores
// higher by more than 1e-12, and the margin (score of the best minus the other) / 2.
function match2(R: number[][], ref: number[][], T: number[][]): { order: number[]; margin: number } {
  const inner = (a: number[], b: number[]) => a[0] * b[0] / T[0][0] + a[1] * b[1] / T[1][1];
  const cos = (a: number[], b: number[]) => inner(a, b) / Math.sqrt(Math.max(inner(a, a), 1e-300) * Math.max(inner(b, b), 1e-300));
  const id = cos(R[0], ref[0]) + cos(R[1], ref[1]);
  const sw = cos(R[1], ref[0]) + cos(R[0], ref[1]);
  return sw > id + 1e-12 ? { order: [1, 0], margin: (sw - id) / 2 } : { order: [0, 1], margin: (id - sw) / 2 };
}
const permuteQ = (Q: number[][], p: number[]) => p.map((i) => p.map((k) => Q[i][k]));
const permuteR = (R: number[][], p: number[]) => p.map((i) => R[i]);

/** Mean and sample std of a list, two-pass (the reference for the aggregate). */
function meanStd(x: number[]): [number, number] {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return [m, Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1))];
}

describe("matching modes (reference setting at d = 200: runs end in both assignments)", () => {
  const o = { ...reference, d: 200, runs: 8, alphaMax: 120, samples: 61, seed: 1, perRun: true };
  const run = (matching: "final" | "each" | "none") => simulateSync({ ...o, matching });
  let cache: Record<string, SimulationResult> | null = null;
  const results = () => (cache ??= { final: run("final"), each: run("each"), none: run("none") });
  const S = 61;

  it("none: every run keeps its own labels; the final assignments are still counted", () => {
    const { none } = results();
    for (const t of none.runs!) for (const p of t.relabelling) expect(p).toEqual([0, 1]);
    const counts = new Map<string, number>();
    for (const t of none.runs!) {
      const f = match2(t.R[S - 1], reference.T, reference.T).order.join(",");
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    // the constructed case: both assignments occur
    expect(counts.size).toBe(2);
    expect(none.assignments!.map((a) => [a.assignment.join(","), a.runs])).toEqual([...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
    expect(none.assignments!.reduce((s, a) => s + a.runs, 0)).toBe(o.runs);
  });

  it("each: every sample matched independently; the runs' values are the own-label values permuted", () => {
    const { none, each } = results();
    let flips = 0;
    each.runs!.forEach((t, r) => {
      const raw = none.runs![r];
      for (let s = 0; s < S; s++) {
        const p = match2(raw.R[s], reference.T, reference.T).order;
        expect(t.relabelling[s], `run ${r} sample ${s}`).toEqual(p);
        expect(t.Q[s]).toEqual(permuteQ(raw.Q[s], p));
        expect(t.R[s]).toEqual(permuteR(raw.R[s], p));
        if (s > 0 && p.join() !== t.relabelling[s - 1].join()) flips++;
      }
    });
    expect(flips).toBeGreaterThan(0); // some run changes its per-sample assignment on the way
    expect(each.assignments).toEqual(none.assignments);
  });

  it("final: the first sample's assignment until the run settles, then its final assignment", () => {
    const { none, final } = results();
    let relabelledLate = 0;
    final.runs!.forEach((t, r) => {
      const raw = none.runs![r];
      const m = raw.R.map((R) => match2(R, reference.T, reference.T));
      const F = m[S - 1].order;
      // settled: the first sample from which F is the best match at every sample with a margin
      // of at least half that of the last sample
      let settled = S - 1;
      while (settled > 0 && m[settled - 1].order.join() === F.join() && m[settled - 1].margin >= m[S - 1].margin / 2) settled--;
      expect(t.assignment).toEqual(F);
      expect(t.settledSample).toBe(settled);
      for (let s = 0; s < S; s++) {
        const p = s >= settled ? F : m[0].order;
        expect(t.relabelling[s], `run ${r} sample ${s}`).toEqual(p);
        expect(t.Q[s]).toEqual(permuteQ(raw.Q[s], p));
        expect(t.R[s]).toEqual(permuteR(raw.R[s], p));
      }
      expect(t.matched).toEqual(F);
      if (F.join() !== m[0].order.join() && settled > 0) relabelledLate++;
    });
    expect(relabelledLate).toBeGreaterThan(0);
    expect(final.assignments!.reduce((s, a) => s + a.runs, 0)).toBe(o.runs);
  });

  it("final: early samples are the unrelabelled statistics, late ones those of per-sample matching", () => {
    const { none, each, final } = results();
    const firstSettled = Math.min(...final.runs!.map((t) => t.settledSample!));
    expect(firstSettled).toBeGreaterThan(2);
    let eachDiffers = false;
    for (let s = 0; s < firstSettled; s++) {
      expect(final.Q.mean[s]).toEqual(none.Q.mean[s]);
      expect(final.R.std[s]).toEqual(none.R.std[s]);
      if (JSON.stringify(each.R.mean[s]) !== JSON.stringify(none.R.mean[s])) eachDiffers = true;
    }
    expect(eachDiffers).toBe(true); // per-sample matching does change early statistics
    expect(final.Q.mean[S - 1]).toEqual(each.Q.mean[S - 1]);
  });

  it("mean and std are those of the relabelled runs", () => {
    for (const r of Object.values(results())) {
      for (const s of [0, 10, 30, 60]) {
        for (let i = 0; i < 2; i++)
          for (let k = 0; k < 2; k++) {
            const [mq, sq] = meanStd(r.runs!.map((t) => t.Q[s][i][k]));
            const [mr, sr] = meanStd(r.runs!.map((t) => t.R[s][i][k]));
            // two summation orders: agreement to a few ulp of the values summed
            expect(Math.abs(r.Q.mean[s][i][k] - mq)).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(mq)) * 8);
            expect(Math.abs(r.R.mean[s][i][k] - mr)).toBeLessThanOrEqual(1e-15 * (1 + Math.abs(mr)) * 8);
            expect(Math.abs(r.Q.std[s][i][k] - sq)).toBeLessThanOrEqual(1e-13 * (1 + sq));
            expect(Math.abs(r.R.std[s][i][k] - sr)).toBeLessThanOrEqual(1e-13 * (1 + sr));
          }
      }
    }
  });
});

describe("matching: references and options", () => {
  const o = { ...reference, d: 200, runs: 3, alphas: [0, 5, 10], seed: 3, perRun: true };
  it("a static matchTo and one matrix per sample are the references of the rule", () => {
    const none = simulateSync({ ...o, matching: "none" });
    const ref = [[0, 2], [1, 0]]; // the teachers in the other order
    const perSample = [[[1e-3, 0], [0, 1e-3]], [[0.4, 1], [0.5, 1]], [[0, 2], [1, 0]]];
    const fixed = simulateSync({ ...o, matching: "each", matchTo: ref });
    const moving = simulateSync({ ...o, matching: "each", matchTo: perSample });
    fixed.runs!.forEach((t, r) => t.relabelling.forEach((p, s) => expect(p).toEqual(match2(none.runs![r].R[s], ref, reference.T).order)));
    moving.runs!.forEach((t, r) => t.relabelling.forEach((p, s) => expect(p).toEqual(match2(none.runs![r].R[s], perSample[s], reference.T).order)));
    expect(fixed.options.matchingRule).toMatch(/reference: matchTo\)/);
    expect(moving.options.matchingRule).toMatch(/one matrix per sample/);
  });
  it('matchTo "none" is matching "none"; K != M without matchTo has nothing to match to', () => {
    const a = simulateSync({ ...o, matchTo: "none" });
    expect(a.options.matching).toBe("none");
    expect(a.runs!.every((t) => t.relabelling.every((p) => p.join() === "0,1"))).toBe(true);
    const b = simulateSync({ ...threeTwo, d: 200, runs: 2, alphas: [0, 1], perRun: true });
    expect(b.assignments).toBeNull();
    expect(b.runs![0].assignment).toBeNull();
    expect(b.runs![0].relabelling[1]).toEqual([0, 1, 2]);
  });
  it("bad matching or matchTo is refused, naming the option", () => {
    expect(() => simulateSync({ ...o, matching: "last" as never })).toThrow(/matching must be one of final, each, none; got "last"/);
    expect(() => simulateSync({ ...o, matching: "each", matchTo: "none" })).toThrow(/matchTo "none" means matching "none"/);
    expect(() => simulateSync({ ...o, matchTo: [[[1, 0], [0, 1]]] })).toThrow(/matchTo with one matrix per sample must have 3 matrices/);
    expect(() => simulateSync({ ...o, matchTo: [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0]]] })).toThrow(/matchTo\[2\] must have 2 rows/);
  });
});

describe("scm compare --restart-alpha: the restarted ODE in the table and the CSV", () => {
  const args = ["--d", "300", "--runs", "4", "--alpha-points", "0,10,20,30", "--seed", "3", "--restart-alpha", "10", "--threads", "1"];
  const scm = (...a: string[]) => spawnSync(process.execPath, ["bin/scm.js", "compare", ...a], { encoding: "utf8" });
  it("CSV: eg_restart, <name>_restart and their deviations, empty before the restart sample", async () => {
    const p = scm(...args, "--format", "csv");
    expect(p.status, p.stderr).toBe(0);
    const [header, ...rows] = p.stdout.trim().split("\n").map((l) => l.split(","));
    const c = await compare({ ...reference, d: 300, runs: 4, alphas: [0, 10, 20, 30], seed: 3, restartAlpha: 10, threads: 1 });
    const col = (name: string) => header.indexOf(name);
    for (const name of ["eg_restart", "eg_restart_dev", "Q_11_restart", "Q_12_restart_dev", "R_21_restart"]) expect(col(name), name).toBeGreaterThan(0);
    expect(rows[0][col("eg_restart")]).toBe("");
    for (let s = 1; s < 4; s++) {
      expect(Number(rows[s][col("eg_restart")])).toBe(c.restart!.ode.eg[s - 1]);
      expect(Number(rows[s][col("Q_22_restart")])).toBe(c.restart!.ode.Q[s - 1][1][1]);
      expect(Number(rows[s][col("R_12_restart_dev")])).toBe(c.restart!.deviation.R[s - 1][0][1]);
    }
    // the restarted ODE differs from the one from alpha = 0 (else the columns would say nothing)
    expect(c.restart!.ode.eg[2]).not.toBe(c.ode.eg[3]);
  });
  it("table: a column of the restarted ODE's eps_g and its deviations", async () => {
    const p = scm(...args);
    expect(p.status, p.stderr).toBe(0);
    const lines = p.stdout.trim().split("\n");
    expect(lines[1]).toMatch(/eg ODE from 10/);
    const c = await compare({ ...reference, d: 300, runs: 4, alphas: [0, 10, 20, 30], seed: 3, restartAlpha: 10, threads: 1 });
    expect(lines[2].trim().split(/\s{2,}/).length).toBe(6); // alpha 0: no restarted value
    expect(lines[4]).toContain(c.restart!.ode.eg[1].toPrecision(6));
  });
});

describe("scm sgd --matching", () => {
  const scm = (...a: string[]) => spawnSync(process.execPath, ["bin/scm.js", "sgd", ...a], { encoding: "utf8" });
  it("passes the rule to simulate(); json has the resolved rule and the assignment counts; a bad value exits 2", () => {
    const args = ["--d", "200", "--runs", "4", "--alpha-points", "0,20,40", "--seed", "1", "--threads", "1", "--format", "json"];
    const p = scm(...args, "--matching", "none", "--per-run");
    expect(p.status, p.stderr).toBe(0);
    const j = JSON.parse(p.stdout);
    const api = simulateSync({ ...reference, d: 200, runs: 4, alphas: [0, 20, 40], seed: 1, matching: "none" });
    expect(j.options.matching).toBe("none");
    expect(j.assignments).toEqual(api.assignments);
    expect(j.Q.mean).toEqual(api.Q.mean);
    for (const run of j.runs) for (const perm of run.relabelling) expect(perm).toEqual([0, 1]);
    const bad = scm(...args, "--matching", "last");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/matching must be one of final, each, none; got "last"/);
  });
});

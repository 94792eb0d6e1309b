// Benchmarks of the site-symmetric ODE and the learning-rate limits (issue 16), in one process:
// the WebAssembly integrator against a plain-TypeScript port of the same right-hand side and RK4
// loop (bench/plain/symmetric.ts), the site-symmetric ODE against the full ODE at the same K,
// and etaLimits for 20 values of K. Writes the section between <!-- symmetric:begin --> and
// <!-- symmetric:end --> of bench/RESULTS.md (bench/run.ts keeps it), docs/eta-limits.svg and
// bench/eta-limits-{erf,relu}.{json,csv}. Run with `npm run bench:symmetric`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import wasmBytes from "../build/release.wasm";
import { etaLimits, integrate, integrateSymmetric, plateau, useCore, type EtaLimitsResult } from "../src/index";
import { integrateSymmetricPlain } from "./plain/symmetric";
import { etaLimitsCsv, etaLimitsJson, etaLimitsSpec } from "../src/report/symmetric";
import { renderSvg } from "../src/cli/optimalLrPlot";

useCore(wasmBytes as Uint8Array);
const load0 = loadavg()[0];

/** Median of `repeats` wall times of fn (ms). */
function time(fn: () => unknown, repeats = 3): number {
  const t: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(repeats / 2)];
}
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const rows: string[][] = [];
const row = (what: string, a: number, b: number | null, bName: string, note = "") => {
  rows.push([what, fmt(a), b === null ? "-" : `${fmt(b)} (${bName})`, b === null ? "-" : `${(b / a).toFixed(2)}x`, note]);
  console.log(what, fmt(a), b === null ? "" : `${bName} ${fmt(b)} ratio ${(b / a).toFixed(2)}`, note);
};

// ---- K = 1e4, alpha to 1000, RK4 step 0.01 (1e5 steps, 4e5 right-hand sides)
for (const activation of ["erf", "relu"] as const) {
  const K = 10000, eta = 0.5 / K;
  const o = { activation, K, learningRate: eta, Q0: 0.2, C0: 0, R0: 1e-3, S0: 0, alphaMax: 1000, samples: 1001, step: 0.01 };
  const w = time(() => integrateSymmetric(o), activation === "erf" ? 5 : 3);
  const p = time(() => integrateSymmetricPlain({ activation, K, learningRate: eta, y0: [0.2, 0, 1e-3, 0], alphaMax: 1000, samples: 1001, step: 0.01 }), activation === "erf" ? 3 : 1);
  const a = integrateSymmetric(o), b = integrateSymmetricPlain({ activation, K, learningRate: eta, y0: [0.2, 0, 1e-3, 0], alphaMax: 1000, samples: 1001, step: 0.01 });
  const diff = Math.max(...Array.from(a.eg, (e, s) => Math.abs(e - b.eg[s]) / Math.abs(e)));
  row(`integrateSymmetric, ${activation}, K = 1e4, eta = 0.5/K, alpha 0..1000, RK4 step 0.01 (target erf < 1 s)`, w, p, "plain TS", `${fmt(w / 4e2)} per 1000 right-hand sides; eps_g of the two differ by <= ${diff.toExponential(1)} relative`);
}

// ---- site-symmetric against the full ODE at the same K (same trajectory, RK4 step 0.01, alpha 0..100)
for (const [activation, K] of [["erf", 4], ["erf", 10], ["relu", 4]] as const) {
  const eta = 0.5 / K;
  const eye = (d: number, o: number) => Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, k) => (i === k ? d : o)));
  const full = { activation, T: eye(1, 0), Q0: eye(0.2, 0.01), R0: eye(0.01, 0.001), learningRate: eta, alphaMax: 100, samples: 101, step: 0.01 };
  const sym = { activation, K, Q0: 0.2, C0: 0.01, R0: 0.01, S0: 0.001, learningRate: eta, alphaMax: 100, samples: 101, step: 0.01 };
  const s = time(() => integrateSymmetric(sym), 3);
  const f = time(() => integrate(full), 1);
  row(`site-symmetric vs full ODE, ${activation}, K = M = ${K}, alpha 0..100, RK4 step 0.01`, s, f, "full ODE");
}

// ---- etaLimits, 20 values of K from 2 to 1e4
const results: Record<string, EtaLimitsResult> = {};
for (const activation of ["erf", "relu"] as const) {
  let r!: EtaLimitsResult;
  const w = time(() => (r = etaLimits({ activation })), 1);
  results[activation] = r;
  const sc = r.scaling;
  row(`etaLimits, ${activation}, 20 values of K in 2 .. 1e4 (target < 10 s)`, w, null, "", `${r.stats.rhsEvaluations} reduced right-hand sides; exponents (K >= 100): etaPerfectStable ${sc.etaPerfectStable?.exponent.toFixed(4)}, etaOptimalEscape ${sc.etaOptimalEscape?.exponent.toFixed(3)}, maxEscapeRate ${sc.maxEscapeRate?.exponent.toFixed(3)}`);
  writeFileSync(`bench/eta-limits-${activation}.json`, etaLimitsJson(r));
  writeFileSync(`bench/eta-limits-${activation}.csv`, etaLimitsCsv(r));
}
writeFileSync("docs/eta-limits.svg", await renderSvg(etaLimitsSpec([results.erf, results.relu])));

// ---- plateau length against K at the escape-maximising eta, delta = 1e-6 (D from the escape itself for K <= 100)
const lengths: Record<string, string[]> = {};
for (const activation of ["erf", "relu"] as const) {
  lengths[activation] = [];
  for (const row of results[activation].rows) {
    if (![2, 3, 5, 10, 30, 100, 1000, 10000].includes(row.K) || row.etaOptimalEscape === null) continue;
    const t0 = performance.now();
    const p = plateau({ activation, K: row.K, learningRate: row.etaOptimalEscape, delta: 1e-6, escapeConstant: row.K <= 100 });
    const ms = performance.now() - t0;
    lengths[activation].push(`| ${row.K} | ${row.etaOptimalEscape.toPrecision(4)} | ${p.fixedPoint!.eg.toPrecision(4)} | ${p.escapeRate!.toPrecision(5)} | ${p.plateauLengthLeading!.toPrecision(4)} | ${p.escapeConstant ? p.escapeConstant.D.toPrecision(4) : "-"} | ${p.plateauLength ? p.plateauLength.toPrecision(4) : "-"} | ${fmt(ms)} |`);
  }
}
const lengthTable = (a: string) => ["| K | eta | plateau eps_g | lambda | ln(1/delta)/lambda | D | ln(D/delta)/lambda | time |", "|---|---|---|---|---|---|---|---|", ...lengths[a]].join("\n");

const table = (r: EtaLimitsResult) => [
  "| K | etaPerfectStable | K etaPerfectStable | lost in | etaOptimalEscape | maxEscapeRate |",
  "|---|---|---|---|---|---|",
  ...r.rows.map((x) => `| ${x.K} | ${x.etaPerfectStable?.toPrecision(6) ?? "-"} | ${x.etaPerfectStable ? (x.K * x.etaPerfectStable).toPrecision(6) : "-"} | ${x.perfectLostIn ? `${x.perfectLostIn.partition} (${x.perfectLostIn.crossing})` : "-"} | ${x.etaOptimalEscape?.toPrecision(4) ?? "-"} | ${x.maxEscapeRate?.toPrecision(4) ?? "-"} |`),
].join("\n");
const fit = (f: EtaLimitsResult["scaling"]["etaPerfectStable"]) => (f ? `K^${f.exponent.toFixed(4)} (local exponents ${f.localExponents.map((e) => e.toFixed(3)).join(", ")})` : "-");

const section = `<!-- symmetric:begin -->
## Site-symmetric ODE, plateau and learning-rate limits (issue 16)

Measured by \`npm run bench:symmetric\` (bench/symmetric.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores,
Node ${process.version}, load average ${load0.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end (other work shared the machine:
absolute times are inflated by that; ratios within a row are measured back to back). Medians of 1 to 5 repeats.

| what | WebAssembly | other | other / WASM | note |
|---|---|---|---|---|
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}

Learning-rate limits (unit output weights, T = I; bench/eta-limits-{erf,relu}.{json,csv}; figure docs/eta-limits.svg):

erf: etaPerfectStable ~ ${fit(results.erf.scaling.etaPerfectStable)}; etaOptimalEscape ~ ${fit(results.erf.scaling.etaOptimalEscape)}; maxEscapeRate ~ ${fit(results.erf.scaling.maxEscapeRate)}.

${table(results.erf)}

relu: etaPerfectStable ~ ${fit(results.relu.scaling.etaPerfectStable)}; etaOptimalEscape ~ ${fit(results.relu.scaling.etaOptimalEscape)}; maxEscapeRate ~ ${fit(results.relu.scaling.maxEscapeRate)}.

${table(results.relu)}

Plateau length at the escape-maximising eta for an initial specialisation R - S = delta = 1e-6 on the plateau
(plateau(); D such that eps_g is half-way from its plateau value to 0 at ln(D/delta)/lambda, from the site-symmetric
escape itself, computed for K <= 100):

erf:

${lengthTable("erf")}

relu:

${lengthTable("relu")}
<!-- symmetric:end -->`;
const previous = existsSync("bench/RESULTS.md") ? readFileSync("bench/RESULTS.md", "utf8") : "";
const b = previous.indexOf("<!-- symmetric:begin -->"), e = previous.indexOf("<!-- symmetric:end -->");
const next = b >= 0 && e > b ? previous.slice(0, b) + section + previous.slice(e + "<!-- symmetric:end -->".length) : previous.trimEnd() + "\n\n" + section + "\n";
writeFileSync("bench/RESULTS.md", next);
console.log("wrote bench/RESULTS.md, docs/eta-limits.svg, bench/eta-limits-*.{json,csv}");

// JSON renderings of results (typed arrays become arrays): the shapes of `scm ode --format json`
// and `scm sgd --format json`, shared with `scm sweep` and the edge entry. Runtime-neutral.
import type { OdeResult } from "../online/integrate";
import type { SimulationResult } from "../simulation/aggregate";

/** Plain-data view of a result (typed arrays become arrays). */
export function resultJson(r: OdeResult, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    alpha: Array.from(r.alpha),
    eg: Array.from(r.eg),
    eta: Array.from(r.eta),
    ...(r.options.noise > 0 ? { egNoisy: Array.from(r.egNoisy) } : {}),
    Q: r.Q,
    R: r.R,
    v: r.v,
    status: r.status,
    message: r.message,
    stats: r.stats,
    options: r.options,
    hermite: r.hermite,
    ...(r.greedy ? { greedy: r.greedy } : {}),
    warnings: r.warnings,
    ...extra,
  });
}

export function simulationJson(r: SimulationResult): string {
  return JSON.stringify({
    alpha: Array.from(r.alpha),
    eg: { mean: Array.from(r.eg.mean), std: Array.from(r.eg.std) },
    ...(r.options.noise > 0 ? { egNoisy: { mean: Array.from(r.egNoisy.mean), std: Array.from(r.egNoisy.std) } } : {}),
    Q: r.Q,
    R: r.R,
    v: r.v,
    ...(r.egTest ? { egTest: { mean: Array.from(r.egTest.mean), std: Array.from(r.egTest.std), standardError: Array.from(r.egTest.standardError) } } : {}),
    ...(r.egTraining ? { egTraining: { mean: Array.from(r.egTraining.mean), std: Array.from(r.egTraining.std) } } : {}),
    eta: { mean: Array.from(r.eta.mean), std: Array.from(r.eta.std) },
    ...(r.runs ? { runs: r.runs.map((t) => ({ ...t, eg: Array.from(t.eg), egTest: t.egTest ? Array.from(t.egTest) : null, egTestStandardError: t.egTestStandardError ? Array.from(t.egTestStandardError) : null, egTraining: t.egTraining ? Array.from(t.egTraining) : null, eta: Array.from(t.eta) })) } : {}),
    assignments: r.assignments,
    status: r.status,
    message: r.message,
    stats: r.stats,
    options: r.options,
  });
}


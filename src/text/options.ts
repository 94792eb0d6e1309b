// Options of `scm ode` and `scm sgd` given as text (CLI flags, URL query parameters) turned into
// the API's options objects. Runtime-neutral: the Node CLI, `scm sweep` and the edge entry share it,
// so the same text means the same computation everywhere.
import type { IntegrateOptions } from "../online/options";
import type { SimulateOptions } from "../simulation/plan";
import { CliError, expandMatrix, parseList, parseMatrix, parseNumber, specShape } from "./args";

/** Option values as parsed from text: name (CLI spelling, without "--") -> text. */
export type TextValues = Record<string, string | boolean | string[] | undefined>;

const str = { type: "string" } as const;

/** The teacher-student setting (shared by ode, sgd and compare). */
export const settingArgs = {
  activation: str, "teacher-activation": str, K: str, M: str, T: str, Q0: str, R0: str, v: str, "v-star": str,
  eta: str, "alpha-max": str, samples: str, "alpha-points": str, "divergence-bound": str,
} as const;

/** Everything integrate() takes, in CLI spelling. */
export const odeOptionArgs = {
  ...settingArgs,
  method: str, "hermite-order": str, integrator: str, step: str, rtol: str, atol: str, "max-steps": str,
  "convergence-tolerance": str,
} as const;

/** Everything simulate() takes, in CLI spelling (threads only matters for speed). */
export const sgdOptionArgs = {
  ...settingArgs,
  d: str, runs: str, seed: str, batch: str, threads: str, "test-inputs": str, "per-run": { type: "boolean" }, matching: str,
} as const;

export function odeOptionsFromArgs(values: TextValues): IntegrateOptions {
  const s = (k: string) => values[k] as string | undefined;
  const T = parseMatrix("T", s("T"));
  const Q0 = parseMatrix("Q0", s("Q0"));
  const R0 = parseMatrix("R0", s("R0"));
  const Kopt = parseNumber("K", s("K"), { integer: true });
  const Mopt = parseNumber("M", s("M"), { integer: true });
  const o: IntegrateOptions = {};
  if (s("activation") !== undefined) o.activation = s("activation") as IntegrateOptions["activation"];
  if (s("teacher-activation") !== undefined) o.teacherActivation = s("teacher-activation") as IntegrateOptions["teacherActivation"];
  const anySetting = T || Q0 || R0 || Kopt !== undefined || Mopt !== undefined;
  if (anySetting) {
    const K = Kopt ?? specShape(Q0)?.[0] ?? specShape(R0)?.[0] ?? 2;
    const M = Mopt ?? specShape(T)?.[0] ?? specShape(R0)?.[1] ?? 2;
    for (const [name, n] of [["K", K], ["M", M]] as const)
      if (!(n >= 1 && n <= 100)) throw new CliError(`--${name} must be an integer in [1, 100]; got ${n}`, name);
    o.K = K;
    o.M = M;
    o.T = T ? expandMatrix("T", T, M, M) : undefined;
    if (!Q0) throw new CliError(`--Q0 is required (a ${K} x ${K} matrix) outside the reference setting`, "Q0");
    if (!R0) throw new CliError(`--R0 is required (a ${K} x ${M} matrix) outside the reference setting`, "R0");
    o.Q0 = expandMatrix("Q0", Q0, K, K);
    o.R0 = expandMatrix("R0", R0, K, M);
  }
  const assign = <K extends keyof IntegrateOptions>(key: K, v: IntegrateOptions[K] | undefined) => {
    if (v !== undefined) o[key] = v;
  };
  assign("v", parseList("v", s("v")));
  assign("vStar", parseList("v-star", s("v-star")));
  assign("learningRate", parseNumber("eta", s("eta")));
  assign("alphaMax", parseNumber("alpha-max", s("alpha-max")));
  assign("samples", parseNumber("samples", s("samples"), { integer: true }));
  assign("alphas", parseList("alpha-points", s("alpha-points")));
  assign("method", s("method") as IntegrateOptions["method"]);
  assign("hermiteOrder", parseNumber("hermite-order", s("hermite-order"), { integer: true }));
  assign("integrator", s("integrator") as IntegrateOptions["integrator"]);
  assign("step", parseNumber("step", s("step")));
  assign("rtol", parseNumber("rtol", s("rtol")));
  assign("atol", parseNumber("atol", s("atol")));
  assign("maxSteps", parseNumber("max-steps", s("max-steps"), { integer: true }));
  assign("divergenceBound", parseNumber("divergence-bound", s("divergence-bound")));
  assign("convergenceTolerance", parseNumber("convergence-tolerance", s("convergence-tolerance")));
  return o;
}

export function simulationOptionsFromArgs(values: TextValues): SimulateOptions {
  const s = (k: string) => values[k] as string | undefined;
  const { method: _1, hermiteOrder: _2, integrator: _3, step: _4, rtol: _5, atol: _6, maxSteps: _7, convergenceTolerance: _8, ...setting } = odeOptionsFromArgs(values);
  const o: SimulateOptions = setting;
  const assign = <K extends keyof SimulateOptions>(key: K, v: SimulateOptions[K] | undefined) => {
    if (v !== undefined) o[key] = v;
  };
  assign("d", parseNumber("d", s("d"), { integer: true }));
  assign("runs", parseNumber("runs", s("runs"), { integer: true }));
  assign("seed", parseNumber("seed", s("seed"), { integer: true }));
  assign("batch", parseNumber("batch", s("batch"), { integer: true }));
  assign("threads", parseNumber("threads", s("threads"), { integer: true }));
  assign("testInputs", parseNumber("test-inputs", s("test-inputs"), { integer: true }));
  if (values["per-run"] === true || values["per-run"] === "true") o.perRun = true;
  assign("matching", s("matching") as SimulateOptions["matching"]);
  return o;
}

/** The API's option names (as they appear in RangeError messages) in CLI spelling. */
export const CLI_NAME_OF: Record<string, string> = {
  teacherActivation: "teacher-activation", learningRate: "eta", eta: "eta", alphaMax: "alpha-max", alphas: "alpha-points", vStar: "v-star",
  hermiteOrder: "hermite-order", maxSteps: "max-steps", divergenceBound: "divergence-bound",
  convergenceTolerance: "convergence-tolerance", testInputs: "test-inputs", perRun: "per-run",
};

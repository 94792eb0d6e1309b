// The web page's online view outside the browser: its parser reads the form's text as the CLI
// does, and every invalid input, whether caught by the parser or by the API, is reported at the
// field that was corrupted (the page shows the message next to that field).
import { describe, expect, it } from "vitest";
import { online } from "../src/web/views/online";
import { regimes } from "../src/web/views/regimes";
import { popgrad } from "../src/web/views/popgrad";
import { optimalLr } from "../src/web/views/optimalLr";
import { overparameterisationView } from "../src/web/views/overparameterisation";
import { overparameterisation } from "./helpers";
import { FieldError, type Values, type ViewDefinition, type WorkerReply } from "../src/web/view";
import { handleRequest } from "../src/web/run";

const defaults: Values = Object.fromEntries(online.fields.map((f) => [f.id, f.value]));
const small: Values = { ...defaults, alphaMax: "1", samples: "2" }; // fast runs for the API's checks
/**
 * The field an invalid input is reported at, and the message, as the page gets them: the form's
 * parser (FieldError), else the worker's request handler (the API's option errors placed at the
 * field of their option).
 */
async function outcome(view: ViewDefinition<any, any>, values: Values): Promise<{ field: string | undefined; message: string }> {
  let params: unknown;
  try {
    params = view.parse(values);
  } catch (e) {
    if (e instanceof FieldError) return { field: e.field, message: e.message };
    throw e;
  }
  const replies: WorkerReply[] = [];
  await handleRequest([view], { id: 1, view: view.id, params }, (m) => replies.push(m));
  const err = replies.find((m) => m.type === "error");
  if (err && err.type === "error") return { field: err.field, message: err.message };
  return { field: undefined, message: "(accepted)" };
}
const reported = (values: Values) => outcome(online, values);

describe("online view: parsing the form", () => {
  it("the defaults are the reference setting of docs/theory.md section 1, spelled out", () => {
    const p = online.parse(defaults);
    expect(p.ode).toMatchObject({ activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]], learningRate: 1, alphaMax: 300, samples: 301 });
    expect(p.sgd).toBeNull();
    expect(online.parse({ ...defaults, sgd: "true" }).sgd).toEqual({ d: 1000, runs: 10, seed: 1, batch: 1 });
  });
  it("section 9's fields: label noise, weight decay, a trained second layer and its own rate (empty: eta's)", async () => {
    expect(online.parse(defaults).ode).toMatchObject({ noise: 0, weightDecay: 0, trainSecondLayer: false });
    expect(online.parse(defaults).ode.learningRate2).toBeUndefined();
    const p = online.parse({ ...defaults, noise: "0.3", weightDecay: "0.01", trainSecondLayer: "true", eta2: "0.25" });
    expect(p.ode).toMatchObject({ noise: 0.3, weightDecay: 0.01, trainSecondLayer: true, learningRate2: 0.25 });
    expect(online.parse({ ...defaults, trainSecondLayer: "true" }).ode.learningRate2).toBeUndefined();
    expect((await reported({ ...defaults, noise: "-1" })).field).toBe("noise");
  });
});

describe("online view: each invalid input is reported at its own field", () => {
  const cases: [string, Values, RegExp][] = [
    ["K", { K: "two" }, /must be an integer >= 1 and <= 100; got "two"/],
    ["K", { K: "0", Q0: "zeros", R0: "zeros" }, /must be an integer >= 1 and <= 100; got 0/],
    ["M", { M: "1.5" }, /must be an integer >= 1 and <= 100; got "1.5"/],
    ["T", { T: "1,0;0" }, /row 2 has 1 entries/],
    ["T", { T: "1,2;2,1" }, /positive definite/],
    ["T", { T: "1,0;0.5,2" }, /symmetric/],
    ["Q0", { Q0: "diag:1,2,3" }, /2 x 2/],
    ["Q0", { Q0: "1,0.5;0,1" }, /symmetric/],
    ["R0", { R0: "1,0;0,1" }, /positive definite/],
    ["eta", { eta: "-1" }, /^must be a finite number > 0; got -1$/],
    ["eta", { eta: "x" }, /^must be a finite number > 0; got "x"$/],
    ["alphaMax", { alphaMax: "0" }, /^must be a finite number > 0; got 0$/],
    ["samples", { samples: "1" }, /^must be an integer >= 2 and <= 1e7; got 1$/],
    ["activation", { activation: "swish" }, /^must be one of relu, erf, linear, leakyRelu, .*, hermiteCoefficients; got "swish"$/],
    ["hermiteCoefficients", { activation: "hermiteCoefficients", hermiteCoefficients: "1,x" }, /finite number/],
    ["hermiteCoefficients", { activation: "hermiteCoefficients", hermiteCoefficients: "" }, /is required with activation "hermiteCoefficients"/],
    ["method", { method: "hermite", activation: "erf" }, /"relu" only/],
    ["hermiteOrder", { method: "hermite", hermiteOrder: "-2" }, /^must be an integer >= 1 and <= 100; got -2$/],
    ["integrator", { integrator: "leapfrog" }, /^must be one of euler, rk4, adaptive; got "leapfrog"$/],
    ["step", { step: "0" }, /^must be a finite number > 0; got 0$/],
    ["d", { sgd: "true", d: "3" }, /^must be an integer >= 4 and <= 1e7; got 3$/],
    ["runs", { sgd: "true", runs: "1", d: "50" }, /^must be an integer >= 2 and <= 100000; got 1$/],
    ["seed", { sgd: "true", seed: "-1", d: "50" }, /^must be an integer >= 0 and <= 9007199254740991; got -1$/],
    ["batch", { sgd: "true", batch: "0", d: "50" }, /^must be an integer >= 1 and <= 1e6; got 0$/],
  ];
  it.each(cases)("%s: %j", async (field, change, message) => {
    const r = await reported({ ...small, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  });

  it("a valid non-default setting is accepted (no field blamed)", async () => {
    const r = await reported({ ...small, activation: "erf", K: "3", M: "1", T: "eye", Q0: "0.2*eye", R0: "0.1,0.0;0.05" });
    expect(r.message).toMatch(/R0|row|3 x 1/); // R0 "0.1,0.0;0.05" is ragged: caught by the parser
    const ok = await reported({ ...small, activation: "erf", K: "3", M: "1", T: "eye", Q0: "0.2*eye", R0: "0.1;0;0.05" });
    expect(ok).toEqual({ field: undefined, message: "(accepted)" });
  });
});

describe("regimes view: parsing and error fields", () => {
  const rd: Values = { ...Object.fromEntries(regimes.fields.map((f) => [f.id, f.value])), multiStart: "0", etas: "1", alphaMax: "1", samples: "2", precision: "1e-3" };
  const at = (values: Values) => outcome(regimes, values);
  it("the defaults spell out the reference setting, eta = 1 and [E] Fig. 2a's learning rates", () => {
    const p = regimes.parse(Object.fromEntries(regimes.fields.map((f) => [f.id, f.value])));
    expect(p.setting).toMatchObject({ activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]], method: "exact" });
    expect(p.fixedPoints).toEqual({ learningRate: 1, multiStart: 24, seed: 1 });
    expect(p.sweep.learningRates).toEqual([0.5, 1, 1.2, 1.25]);
    expect(p.precision).toBe(1e-7);
  });
  const cases: [string, Values, RegExp][] = [
    ["K", { K: "two" }, /integer/],
    ["T", { T: "1,2;2,1" }, /positive definite/],
    ["R0", { R0: "1,0;0,1" }, /positive (semi-)?definite/],
    ["eta", { eta: "-1" }, /^must be a finite number > 0; got -1$/],
    ["multiStart", { multiStart: "-1" }, /^must be an integer >= 0 and <= 10000; got -1$/],
    ["seed", { seed: "-1" }, /^must be an integer >= 0 and <= 4294967295; got -1$/],
    ["branchEta", { branchEta: "0" }, /^must be a finite number > 0; got 0$/],
    ["branchMax", { branchMax: "-1" }, /must be below max; got min = 0.001, max = -1/],
    ["etas", { etas: "0.5,x" }, /entry 2 is "x"/],
    ["etas", { etas: "0.5,-1" }, /^entry 2 must be a finite number > 0; got -1$/],
    ["alphaMax", { alphaMax: "0" }, /^must be a finite number > 0; got 0$/],
    ["step", { step: "0" }, /^must be a finite number > 0; got 0$/],
    ["precision", { precision: "2" }, /^must be a finite number >= 1e-12 and <= 0.1; got 2$/],
  ];
  it.each(cases)("%s: %j", async (field, change, message) => {
    const r = await at({ ...rd, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  }, 20_000);
});

describe("population-gradient and optimal-learning-rate views: each invalid input at its field", () => {
  const at = (view: typeof popgrad | typeof optimalLr, values: Values) => outcome(view, { ...Object.fromEntries(view.fields.map((f) => [f.id, f.value])), ...values });
  const small = { starts: "0.3,0.3", tMax: "1", grid: "3" };
  const pg: [string, Values, RegExp][] = [
    ["K", { K: "1" }, /^must be an integer >= 2 and <= 10000; got 1$/],
    ["starts", { starts: "1,2;3" }, /point 2 is "3", not "x,y"/],
    ["starts", { starts: "1,y" }, /point 1 is "1,y"/],
    ["tMax", { tMax: "0" }, /^must be a finite number > 0; got 0$/],
    ["xRange", { xRange: "1,1" }, /max > min/],
    ["yRange", { yRange: "2" }, /min < max/],
    ["grid", { grid: "1" }, /^must be an integer >= 2 and <= 2000; got 1$/],
  ];
  it.each(pg)("popgrad %s: %j", async (field, change, message) => {
    const r = await at(popgrad, { ...small, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  });
  const tiny = { steps: "2", testSize: "10", rates: "0.1" };
  const lr: [string, Values, RegExp][] = [
    ["rates", { rates: "0.1,-1" }, /^entry 2 must be a finite number > 0; got -1$/],
    ["rates", { rates: "" }, /comma-separated list/],
    ["n0", { n0: "0" }, /^must be an integer >= 1 and <= 100000; got 0$/],
    ["n1", { n1: "1.5" }, /integer/],
    ["noise", { noise: "-1" }, /^must be a finite number >= 0; got -1$/],
    ["testSize", { testSize: "0" }, /^must be an integer >= 1 and <= 1e6; got 0$/],
    ["seed", { seed: "-1" }, /^must be an integer >= 0/],
    ["batchSize", { batchSize: "0" }, /^must be an integer >= 1 and <= 1e6; got 0$/],
    ["steps", { steps: "-1" }, /^must be an integer >= 1 and <= 1e7; got -1$/],
    ["activation", { activation: "tanh" }, /^must be one of relu, leakyRelu, identity; got "tanh"$/],
  ];
  it.each(lr)("optimal-lr %s: %j", async (field, change, message) => {
    const r = await at(optimalLr, { ...tiny, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  });
  it("valid small settings are accepted", async () => {
    expect(await at(popgrad, small)).toEqual({ field: undefined, message: "(accepted)" });
    expect(await at(optimalLr, { ...tiny, activation: "leakyRelu", slope: "0.1" })).toEqual({ field: undefined, message: "(accepted)" });
  });
});

describe("over-parameterisation view", () => {
  const opDefaults: Values = Object.fromEntries(overparameterisationView.fields.map((f) => [f.id, f.value]));
  it("the defaults are the API's; bad input at its field; the result is overparameterisation()'s", async () => {
    expect(overparameterisationView.parse(opDefaults)).toMatchObject({ activations: ["erf"], M: 2, L: [0, 1, 2, 3, 4, 5, 6], learningRate: 0.5, noise: 0.1, alphaMax: 1e4, simulate: false });
    expect((await outcome(overparameterisationView, { ...opDefaults, L: "0,-1" })).field).toBe("L");
    const params = overparameterisationView.parse({ ...opDefaults, activations: "linear", L: "0,1", alphaMax: "100" });
    const replies: WorkerReply[] = [];
    await handleRequest([overparameterisationView], { id: 1, view: overparameterisationView.id, params }, (m) => replies.push(m));
    const done = replies.find((m) => m.type === "result");
    const api = overparameterisation({ activations: ["linear"], L: [0, 1], alphaMax: 100 });
    expect(done && done.type === "result" && (done.result as typeof api).points.map((p) => p.eg)).toEqual(api.points.map((p) => p.eg));
  });
});

describe("teacher activation field (docs/theory.md section 1 mismatch)", () => {
  it("'same' leaves the option out (bit-identical to the matched setting); a choice passes it on", async () => {
    const { parseSetting, settingFields } = await import("../src/web/views/setting");
    const base = Object.fromEntries(settingFields.map((f) => [f.id, String(f.value)])) as Values;
    expect(parseSetting(base).teacherActivation).toBeUndefined();
    expect(parseSetting({ ...base, teacherActivation: "erf" }).teacherActivation).toBe("erf");
  });
});

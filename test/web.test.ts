// The web page's online view outside the browser: its parser reads the form's text as the CLI
// does, and every invalid input, whether caught by the parser or by the API, is reported at the
// field that was corrupted (the page shows the message next to that field).
import { describe, expect, it } from "vitest";
import { online } from "../src/web/views/online";
import { regimes } from "../src/web/views/regimes";
import { popgrad } from "../src/web/views/popgrad";
import { optimalLr } from "../src/web/views/optimalLr";
import { FieldError, fieldOfMessage, type Values } from "../src/web/view";

const defaults: Values = Object.fromEntries(online.fields.map((f) => [f.id, f.value]));
const small: Values = { ...defaults, alphaMax: "1", samples: "2" }; // fast runs for the API's checks
const quiet = { progress: () => {}, partial: () => {} };

/** The field an invalid input is reported at, and the message (parser or API, as in the page). */
async function reported(values: Values): Promise<{ field: string | undefined; message: string }> {
  try {
    const params = online.parse(values);
    await online.compute(params, quiet);
  } catch (e) {
    if (e instanceof FieldError) return { field: e.field, message: e.message };
    if (e instanceof RangeError || e instanceof TypeError) return { field: fieldOfMessage(online, e.message), message: e.message };
    throw e;
  }
  return { field: undefined, message: "(accepted)" };
}

describe("online view: parsing the form", () => {
  it("the defaults are the reference setting of THEORY section 1, spelled out", () => {
    const p = online.parse(defaults);
    expect(p.ode).toMatchObject({ activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]], learningRate: 1, alphaMax: 300, samples: 301 });
    expect(p.sgd).toBeNull();
    expect(online.parse({ ...defaults, sgd: "true" }).sgd).toEqual({ d: 1000, runs: 10, seed: 1, batch: 1 });
  });
});

describe("online view: each invalid input is reported at its own field", () => {
  const cases: [string, Values, RegExp][] = [
    ["K", { K: "two" }, /finite number/],
    ["K", { K: "0", Q0: "zeros", R0: "zeros" }, /\[1, 100\]/],
    ["M", { M: "1.5" }, /integer/],
    ["T", { T: "1,0;0" }, /row 2/],
    ["T", { T: "1,2;2,1" }, /positive definite/],
    ["T", { T: "1,0;0.5,2" }, /symmetric/],
    ["Q0", { Q0: "diag:1,2,3" }, /2 x 2/],
    ["Q0", { Q0: "1,0.5;0,1" }, /symmetric/],
    ["R0", { R0: "1,0;0,1" }, /positive definite/],
    ["eta", { eta: "-1" }, /learningRate must be .*> 0/],
    ["eta", { eta: "x" }, /finite number/],
    ["alphaMax", { alphaMax: "0" }, /alphaMax must be/],
    ["samples", { samples: "1" }, /samples must be/],
    ["activation", { activation: "swish" }, /activation must be one of/],
    ["method", { method: "hermite", activation: "erf" }, /"relu" only/],
    ["hermiteOrder", { method: "hermite", hermiteOrder: "-2" }, /hermiteOrder/],
    ["integrator", { integrator: "leapfrog" }, /integrator must be one of/],
    ["step", { step: "0" }, /step must be/],
    ["d", { sgd: "true", d: "3" }, /d must be/],
    ["runs", { sgd: "true", runs: "1", d: "50" }, /runs must be >= 2/],
    ["seed", { sgd: "true", seed: "-1", d: "50" }, /seed must be/],
    ["batch", { sgd: "true", batch: "0", d: "50" }, /batch must be/],
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
  async function at(values: Values): Promise<{ field: string | undefined; message: string }> {
    try {
      await regimes.compute(regimes.parse(values), quiet);
    } catch (e) {
      if (e instanceof FieldError) return { field: e.field, message: e.message };
      if (e instanceof RangeError || e instanceof TypeError) return { field: fieldOfMessage(regimes, e.message), message: e.message };
      throw e;
    }
    return { field: undefined, message: "(accepted)" };
  }
  it("the defaults spell out the reference setting, eta = 1 and [E] Fig. 2a's learning rates", () => {
    const p = regimes.parse(Object.fromEntries(regimes.fields.map((f) => [f.id, f.value])));
    expect(p.setting).toMatchObject({ activation: "relu", K: 2, M: 2, T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[0.001, 0], [0, 0.001]], method: "exact" });
    expect(p.fixedPoints).toEqual({ learningRate: 1, multiStart: 24, seed: 1 });
    expect(p.sweep.learningRates).toEqual([0.5, 1, 1.2, 1.25]);
    expect(p.precision).toBe(1e-7);
  });
  const cases: [string, Values, RegExp][] = [
    ["K", { K: "two" }, /finite number/],
    ["T", { T: "1,2;2,1" }, /positive definite/],
    ["R0", { R0: "1,0;0,1" }, /positive (semi-)?definite/],
    ["eta", { eta: "-1" }, /learningRate must be/],
    ["multiStart", { multiStart: "-1" }, /multiStart must be/],
    ["seed", { seed: "-1" }, /seed must be/],
    ["branchEta", { branchEta: "0" }, /^plateau branch: learningRate must be/],
    ["branchMax", { branchMax: "-1" }, /^plateau branch: min must be below max/],
    ["etas", { etas: "0.5,x" }, /finite number/],
    ["etas", { etas: "0.5,-1" }, /learningRates\[1\] must be/],
    ["alphaMax", { alphaMax: "0" }, /alphaMax must be/],
    ["step", { step: "0" }, /step must be/],
    ["precision", { precision: "2" }, /^precision must be/],
  ];
  it.each(cases)("%s: %j", async (field, change, message) => {
    const r = await at({ ...rd, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  }, 20_000);
});

describe("population-gradient and optimal-learning-rate views: each invalid input at its field", () => {
  async function at(view: typeof popgrad | typeof optimalLr, values: Values): Promise<{ field: string | undefined; message: string }> {
    const all = { ...Object.fromEntries(view.fields.map((f) => [f.id, f.value])), ...values };
    try {
      await (view.compute as (p: unknown, c: typeof quiet) => Promise<unknown>)(view.parse(all), quiet);
    } catch (e) {
      if (e instanceof FieldError) return { field: e.field, message: e.message };
      if (e instanceof RangeError || e instanceof TypeError) return { field: fieldOfMessage(view, e.message), message: e.message };
      throw e;
    }
    return { field: undefined, message: "(accepted)" };
  }
  const small = { starts: "0.3,0.3", tMax: "1", grid: "3" };
  const pg: [string, Values, RegExp][] = [
    ["K", { K: "1" }, /^K must be/],
    ["starts", { starts: "1,2;3" }, /point 2 must be "x,y"/],
    ["starts", { starts: "1,y" }, /finite number/],
    ["tMax", { tMax: "0" }, /^tMax must be/],
    ["xRange", { xRange: "1,1" }, /max > min/],
    ["yRange", { yRange: "2" }, /max > min/],
    ["grid", { grid: "1" }, /^n must be/],
  ];
  it.each(pg)("popgrad %s: %j", async (field, change, message) => {
    const r = await at(popgrad, { ...small, ...change });
    expect(r.message).toMatch(message);
    expect(r.field).toBe(field);
  });
  const tiny = { steps: "2", testSize: "10", rates: "0.1" };
  const lr: [string, Values, RegExp][] = [
    ["rates", { rates: "0.1,-1" }, /^learningRate must be/],
    ["rates", { rates: "" }, /comma-separated list/],
    ["n0", { n0: "0" }, /^n0 must be/],
    ["n1", { n1: "1.5" }, /integer/],
    ["noise", { noise: "-1" }, /^noise must be/],
    ["testSize", { testSize: "0" }, /^testSize must be/],
    ["seed", { seed: "-1" }, /^seed must be/],
    ["batchSize", { batchSize: "0" }, /^batchSize must be/],
    ["steps", { steps: "-1" }, /^steps must be/],
    ["activation", { activation: "tanh" }, /^activation must be one of/],
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

describe("teacher activation field (THEORY 1 mismatch)", () => {
  it("'same' leaves the option out (bit-identical to the matched setting); a choice passes it on", async () => {
    const { parseSetting, settingFields } = await import("../src/web/views/setting");
    const base = Object.fromEntries(settingFields.map((f) => [f.id, String(f.value)])) as Values;
    expect(parseSetting(base).teacherActivation).toBeUndefined();
    expect(parseSetting({ ...base, teacherActivation: "erf" }).teacherActivation).toBe("erf");
  });
});

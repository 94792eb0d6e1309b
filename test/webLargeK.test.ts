// The page's large-network view outside the browser: the form's defaults and parsing, every invalid
// input reported at its own field (by the declaration or by the API's cross-option rules), the
// computation equal to the API's, and the eta limits reused while only K or eta change.
import { describe, expect, it } from "vitest";
import { largeK, type LargeKResult } from "../src/web/views/largeK";
import { FieldError, type Values, type WorkerReply } from "../src/web/view";
import { handleRequest } from "../src/web/run";
import { etaLimits, integrateSymmetric, plateau } from "./helpers";

const defaults: Values = Object.fromEntries(largeK.fields.map((f) => [f.id, f.value]));
// small runs for the API's checks: a short trajectory and one value of K for the limits
const small: Values = { ...defaults, K: "10", eta: "0.2", alphaMax: "20", samples: "5", etaLimitsK: "2" };

async function run(values: Values): Promise<{ result?: LargeKResult; field?: string; message?: string }> {
  let params: unknown;
  try {
    params = largeK.parse(values);
  } catch (e) {
    if (e instanceof FieldError) return { field: e.field, message: e.message };
    throw e;
  }
  const replies: WorkerReply[] = [];
  await handleRequest([largeK], { id: 1, view: largeK.id, params }, (m) => replies.push(m));
  const last = replies[replies.length - 1];
  if (last.type === "error") return { field: last.field, message: last.message };
  if (last.type !== "result") throw new Error(`no result: ${JSON.stringify(last)}`);
  return { result: last.result as LargeKResult };
}

describe("large-networks view", () => {
  it("defaults: relu, K = 100, eta = 0.02, alpha to 5000 (adaptive), delta 1e-3, eta limits at K = 2, 10, 100, 1000, 10000", () => {
    const p = largeK.parse(defaults);
    expect(p.ode).toMatchObject({ activation: "relu", K: 100, T: 1, v: 1, vStar: 1, learningRate: 0.02, Q0: 0.2, C0: 0, R0: 0.001, S0: 0, alphaMax: 5000, samples: 201, integrator: "adaptive", step: 0.01 });
    expect(p.ode.teacherActivation).toBeUndefined();
    expect(p).toMatchObject({ delta: 1e-3, escapeConstant: false, limits: { K: [2, 10, 100, 1000, 10000], precision: 1e-4 } });
  });
  it("each invalid input is reported at its own field", async () => {
    const cases: [string, Values, RegExp][] = [
      ["K", { K: "0" }, /^must be an integer >= 1 and <= 1e6; got 0$/],
      ["T", { T: "eye" }, /^must be a finite number > 0; got "eye"$/],
      ["eta", { eta: "-1" }, /^must be a finite number > 0; got -1$/],
      ["delta", { delta: "1" }, /^must be a finite number > 0 and <= 0\.1; got 1$/],
      ["etaLimitsK", { etaLimitsK: "1,10" }, /^entry 1 must be an integer >= 2 and <= 1e6; got 1$/],
      ["precision", { precision: "1" }, /^must be a finite number >= 1e-8 and <= 0\.1; got 1$/],
      // cross-option rules of the API, at the field of the option they name
      ["C0", { C0: "0.5" }, /does not give a valid overlap matrix/],
    ];
    for (const [field, change, message] of cases) {
      const o = await run({ ...small, ...change });
      expect(o.field, `${field}: ${o.message}`).toBe(field);
      expect(o.message).toMatch(message);
    }
  });
  it("the numbers are the API's: trajectory bit for bit, plateau and eta limits as computed in Node; the limits are reused when only K or eta change", async () => {
    const a = await run(small);
    const r = a.result!;
    const ode = integrateSymmetric({ activation: "relu", K: 10, learningRate: 0.2, alphaMax: 20, samples: 5, integrator: "adaptive" });
    for (const k of ["eg", "Q", "C", "R", "S"] as const) expect(Array.from(r.ode[k])).toEqual(Array.from(ode[k]));
    expect(r.plateau!.escapeRate).toBe(plateau({ activation: "relu", K: 10, learningRate: 0.2, delta: 1e-3, escapeConstant: false }).escapeRate);
    expect(r.etaLimits!.rows[0].etaPerfectStable).toBe(etaLimits({ activation: "relu", K: [2] }).rows[0].etaPerfectStable);
    expect(r.errors).not.toBeNull();
    const tables = largeK.table(r) as { rows: string[][] }[];
    expect(tables.map((t) => t.rows.length)).toEqual([5, 7, 4, 1]);
    const b = (await run({ ...small, K: "20", eta: "0.1" })).result!;
    expect(b.ode.options.K).toBe(20);
    expect(b.etaLimits).toBe(r.etaLimits); // the same object: not recomputed
    const c = (await run({ ...small, activation: "erf" })).result!;
    expect(c.etaLimits).not.toBe(r.etaLimits);
    expect(c.etaLimits!.options.activation).toBe("erf");
  });
  it("K = 1: the trajectory, no plateau (said in the table), exports hold every sample", async () => {
    const r = (await run({ ...small, K: "1" })).result!;
    expect(r.plateau).toBeNull();
    expect(r.plateauError).toMatch(/K = 1: no plateau/);
    const csv = largeK.csv(r).trim().split("\n");
    expect(csv[0]).toBe("dataset,K,eta,alpha,quantity,value");
    expect(csv.filter((l) => l.startsWith("trajectory,")).length).toBe(5 * 5);
    const json = JSON.parse(largeK.json(r));
    expect(json.ode.alpha).toEqual([0, 5, 10, 15, 20]);
    expect(json.plateau).toBeNull();
  });
});

// Engine instances (one per problem, src/core/engine.ts) and the exports contract checked at
// load (scripts/contract.mjs, assembly/index.ts).
import { describe, expect, it } from "vitest";
import wasmRelease from "../build/release.wasm";
import wasmTest from "../build/test.wasm";
import { acquireInstance, checkExports, createEngine, ready, releaseInstance, useCore } from "../src/core/engine";
import { ACTIVATION_CODES, CORE_EXPORT_NAMES } from "../src/core/exports";
import { TEST_EXPORT_NAMES } from "./core.generated";
import { integrate, OrderParameterSystem, orderParameterDerivatives, REFERENCE_SETTING } from "./helpers";

const bytes = (w: unknown) => w as Uint8Array<ArrayBuffer>;

describe("exports contract", () => {
  it("the release module carries exactly the declared exports, and none of the test-only ones", () => {
    const m = new WebAssembly.Module(bytes(wasmRelease));
    expect(() => checkExports(m, CORE_EXPORT_NAMES)).not.toThrow();
    const names = WebAssembly.Module.exports(m).map((e) => e.name);
    for (const t of ["reluClosedForms", "reluI3At", "reluI4At", "hermiteI4Naive", "normals", "orthantProbability4"]) expect(names).not.toContain(t);
  });
  it("a missing or an extra export is named at load", () => {
    const release = new WebAssembly.Module(bytes(wasmRelease));
    expect(() => checkExports(release, [...CORE_EXPORT_NAMES, "integrateChunk"])).toThrow(/missing export integrateChunk/);
    expect(() => checkExports(release, CORE_EXPORT_NAMES.filter((n) => n !== "layout"))).toThrow(/unexpected export layout/);
    const test = new WebAssembly.Module(bytes(wasmTest));
    expect(() => checkExports(test, TEST_EXPORT_NAMES)).not.toThrow();
    // the test build offered as the library's core: refused, naming its extra exports
    expect(() => createEngine(test)).toThrow(/unexpected exports .*reluClosedForms/);
    expect(() => useCore(test)).toThrow(/does not match the exports contract/);
    expect(integrate({ alphaMax: 1, samples: 2 }).status).toBe("completed"); // the registered core is untouched
  });
  it("one table of activation codes", () => {
    expect(ACTIVATION_CODES).toEqual({
      relu: 0, erf: 1, linear: 2, leakyRelu: 3, abs: 4, square: 5, hermite2: 6, hermite3: 7, hermite4: 8,
      tanh: 9, sigmoid: 10, gelu: 11, silu: 12, softplus: 13, hermiteCoefficients: 14,
    });
  });
});

describe("the compiled module", () => {
  it("ready() is shared by concurrent callers and gives the module every instance uses", async () => {
    const [a, b] = await Promise.all([ready(), ready()]);
    expect(a).toBe(b);
    const core = acquireInstance();
    expect(core.module).toBe(a);
    releaseInstance(core);
  });
});

describe("instances per problem", () => {
  const a = { ...REFERENCE_SETTING, learningRate: 1 };
  const b = {
    activation: "erf" as const, K: 3, M: 2, T: [[1, 0.2], [0.2, 0.8]],
    Q0: [[0.5, 0.1, 0], [0.1, 0.4, 0.05], [0, 0.05, 0.3]], R0: [[0.2, 0.1], [0.05, 0.3], [0.1, 0.1]],
  };

  it("two systems evaluated alternately give the bits of each alone", () => {
    const aloneA = new OrderParameterSystem(a), aloneB = new OrderParameterSystem(b);
    const uA = aloneA.pack(a.Q0, a.R0), uB = aloneB.pack(b.Q0, b.R0);
    const refA = [0.5, 1, 2].map((eta) => aloneA.rhs(uA, eta));
    const refB = [0.5, 1, 2].map((eta) => aloneB.rhs(uB, eta));
    const sa = new OrderParameterSystem(a), sb = new OrderParameterSystem(b);
    [0.5, 1, 2].forEach((eta, k) => {
      const fa = sa.rhs(uA, eta);
      // another problem in between: a whole trajectory and a one-off right-hand side
      const t = integrate({ ...b, learningRate: eta, alphaMax: 2, samples: 3 });
      const fb = sb.rhs(uB, eta);
      expect(Array.from(fa)).toEqual(Array.from(refA[k]));
      expect(Array.from(fb)).toEqual(Array.from(refB[k]));
      expect(t.status).toBe("completed");
      expect(Array.from(sa.rhs(uA, eta))).toEqual(Array.from(refA[k]));
    });
    // and a trajectory of one system between evaluations of the other
    const ta = aloneA.trajectory(uA, 1, { integrator: "rk4", step: 0.05, rtol: 1e-9, atol: 1e-12, maxSteps: 1e6, alphaMax: 5, convergenceTolerance: 0, divergenceBound: 1e6 });
    const tb = sb.trajectory(uB, 1, { integrator: "rk4", step: 0.05, rtol: 1e-9, atol: 1e-12, maxSteps: 1e6, alphaMax: 5, convergenceTolerance: 0, divergenceBound: 1e6 });
    const ta2 = sa.trajectory(uA, 1, { integrator: "rk4", step: 0.05, rtol: 1e-9, atol: 1e-12, maxSteps: 1e6, alphaMax: 5, convergenceTolerance: 0, divergenceBound: 1e6 });
    expect(Array.from(ta2.u)).toEqual(Array.from(ta.u));
    expect(tb.status).toBe("completed");
  });

  it("integrate() between two halves of raw kernel work on another instance changes nothing", () => {
    const ref = integrate({ ...a, alphaMax: 10, samples: 11 });
    const core = acquireInstance();
    core.loadModel({ K: 3, M: 2, T: b.T, v: [1, 1, 1], vStar: [1, 1] }, 2);
    const inner = integrate({ ...a, alphaMax: 10, samples: 11 });
    releaseInstance(core);
    expect(Array.from(inner.eg)).toEqual(Array.from(ref.eg));
    expect(inner.Q).toEqual(ref.Q);
  });

  it("the learning rate does not depend on the order of layout and configuration", () => {
    const core = createEngine(bytes(wasmRelease));
    const x = core.exports;
    const u = new OrderParameterSystem(a).pack(a.Q0, a.R0);
    // configure first, lay out after: the learning rate set stays in force
    x.configureModel(0, 0, 10, 0.37, 0);
    core.loadModel({ K: 2, M: 2, T: a.T, v: [1, 1], vStar: [1, 1] }, 2);
    core.f64.set(u, x.ptrU() >> 3);
    x.evaluateRhs();
    const du = core.f64.slice(x.ptrDu() >> 3, (x.ptrDu() >> 3) + x.stateDimension());
    const want = orderParameterDerivatives({ ...a, Q: a.Q0, R: a.R0, learningRate: 0.37 });
    expect([want.dQ[0][0], want.dQ[0][1], want.dQ[1][1], ...want.dR.flat()]).toEqual(Array.from(du));
  });
});

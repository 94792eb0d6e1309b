// Bad input: every error names the option, the value and what is accepted.
import { describe, expect, it } from "vitest";
import { i4, integrate, hermiteI4 } from "./helpers";

const ok = { T: [[1, 0], [0, 2]], Q0: [[0.1, 0], [0, 0.2]], R0: [[1e-3, 0], [0, 1e-3]] };

describe("integrate() rejects bad options with TypeError / RangeError", () => {
  const cases: [string, object, ErrorConstructor, RegExp][] = [
    ["eta <= 0", { ...ok, learningRate: 0 }, RangeError, /learningRate must be a finite number > 0; got 0/],
    ["eta alias", { ...ok, eta: -1 }, RangeError, /^eta must be a finite number > 0; got -1$/],
    ["NaN eta", { ...ok, learningRate: NaN }, RangeError, /learningRate .* got NaN/],
    ["string eta", { ...ok, learningRate: "1" }, TypeError, /learningRate must be a number; got "1"/],
    ["NaN in Q0", { ...ok, Q0: [[NaN, 0], [0, 0.2]] }, RangeError, /Q0\[0\]\[0\]/],
    ["Infinity in T", { ...ok, T: [[Infinity, 0], [0, 2]] }, RangeError, /T\[0\]\[0\]/],
    ["non-symmetric Q0", { ...ok, Q0: [[0.1, 0.01], [0, 0.2]] }, RangeError, /Q0 must be symmetric/],
    ["wrong R0 shape", { ...ok, R0: [[1e-3, 0, 0], [0, 1e-3, 0]] }, RangeError, /R0 must be 2 x 2/],
    ["K mismatch", { ...ok, K: 3 }, RangeError, /Q0 must have 3 rows \(3 x 3\); got 2/],
    ["C0 not positive definite", { ...ok, R0: [[0.5, 0], [0, 1e-3]] }, RangeError, /^R0 must keep C0 = \[\[Q0, R0\], \[R0\^T, T\]\] positive definite/],
    ["T not positive definite", { ...ok, T: [[1, 2], [2, 1]] }, RangeError, /T must be positive definite/],
    ["K too large", { ...ok, K: 101 }, RangeError, /K must be an integer >= 1 and <= 100; got 101/],
    ["K zero", { ...ok, K: 0 }, RangeError, /K must be an integer >= 1/],
    ["unknown activation", { ...ok, activation: "swish" }, RangeError, /activation must be one of relu, erf, linear, leakyRelu, abs, square, hermite2, hermite3, hermite4, tanh, sigmoid, gelu, silu, softplus, hermiteCoefficients; got "swish"/],
    ["unknown integrator", { ...ok, integrator: "rk45" }, RangeError, /integrator must be one of euler, rk4, adaptive; got "rk45"/],
    ["hermite order too large", { ...ok, method: "hermite", hermiteOrder: 500 }, RangeError, /hermiteOrder must be an integer >= 1 and <= 100; got 500/],
    ["hermite for erf", { ...ok, activation: "erf", method: "hermite" }, RangeError, /^method must be "exact" for activation "erf": the Hermite series is implemented for activation "relu" only; got "hermite"$/],
    ["decreasing alphas", { ...ok, alphas: [0, 2, 1] }, RangeError, /strictly increasing/],
    ["alphas and alphaMax", { ...ok, alphas: [0, 1], alphaMax: 3 }, RangeError, /^alphas cannot be given together with alphaMax: give the sample points either explicitly or as alphaMax\/samples/],
    ["negative step", { ...ok, step: -0.1 }, RangeError, /step must be a finite number > 0; got -0.1/],
    ["missing Q0", { T: ok.T, R0: ok.R0 }, TypeError, /Q0 is required/],
  ];
  it.each(cases)("%s", (_name, options, type, message) => {
    expect(() => integrate(options as never)).toThrow(type);
    expect(() => integrate(options as never)).toThrow(message);
  });
  it("options must be an object", () => {
    expect(() => integrate(null as never)).toThrow(TypeError);
  });
});

describe("averages reject bad covariances", () => {
  it("wrong size, asymmetric, negative eigenvalue, NaN", () => {
    expect(() => i4([[1, 0], [0, 1]])).toThrow(/cov must have 4 rows \(4 x 4\)/);
    const A = [[1, 0.1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    expect(() => i4(A)).toThrow(/cov must be symmetric/);
    const B = [[1, 2, 0, 0], [2, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    expect(() => i4(B)).toThrow(/positive semi-definite/);
    const C = [[NaN, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    expect(() => i4(C)).toThrow(RangeError);
    expect(() => hermiteI4(A.map((r, i) => r.map((_, j) => (i === j ? 1 : 0))), { hermiteOrder: 0 })).toThrow(/hermiteOrder/);
  });
});

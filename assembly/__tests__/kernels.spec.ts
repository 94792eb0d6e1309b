// Kernel internals against closed forms that do not share code with the kernels.
import { glSetup, glNode, glWeight, glCount } from "../gauss/legendre";
import { orthant2, orthant3, orthant4 } from "../gauss/orthant";
import { truncatedMoment, scratchMatrix } from "../gauss/relu";
import { thetaCoefficient, reluCoefficient, hermiteIndexSets, hermiteI4Correlation, hermiteI4Naive } from "../gauss/hermite";

const A: usize = memory.data(16 * 8, 8);
function setEquicorrelated(n: i32, rho: f64, scale: f64): void {
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) store<f64>(A + (<usize>(i * 4 + j) << 3), i < n && j < n ? (i == j ? scale : rho * scale) : (i == j ? 1.0 : 0.0));
}

describe("Gauss-Legendre on [0, 1]", () => {
  it("integrates x^k exactly up to degree 2n - 1", () => {
    glSetup(12);
    const n = glCount();
    expect<i32>(n).toBe(12);
    for (let k = 0; k < 24; k++) {
      let s = 0.0;
      for (let i = 0; i < n; i++) s += glWeight(i) * Math.pow(glNode(i), <f64>k);
      expect<f64>(Math.abs(s - 1.0 / <f64>(k + 1))).toBeLessThan(1e-15, "int_0^1 x^k = 1/(k+1)");
    }
  });
});

describe("orthant probabilities", () => {
  it("P2 and P3 at known points", () => {
    expect<f64>(Math.abs(orthant2(0.5) - 1.0 / 3.0)).toBeLessThan(1e-16);
    expect<f64>(Math.abs(orthant2(-1.0) - 0.0)).toBeLessThan(1e-16);
    expect<f64>(Math.abs(orthant3(0.5, 0.5, 0.5) - 0.25)).toBeLessThan(1e-16);
  });
  it("P4 equals 1/(n+1) = 1/5 for equicorrelation 1/2 and 1/16 for independence", () => {
    setEquicorrelated(4, 0.5, 3.0);
    expect<f64>(Math.abs(orthant4(A, 4) - 0.2)).toBeLessThan(1e-14);
    setEquicorrelated(4, 0.0, 1.0);
    expect<f64>(Math.abs(orthant4(A, 4) - 0.0625)).toBeLessThan(1e-16);
  });
  it("P4 tends to P3 as two variables become identical", () => {
    // z4 = z3: P4 = P3(r, r, r) with equicorrelation r among z1..z3
    const r = 0.3;
    setEquicorrelated(4, r, 1.0);
    store<f64>(A + (<usize>(2 * 4 + 3) << 3), 1.0 - 1e-14);
    store<f64>(A + (<usize>(3 * 4 + 2) << 3), 1.0 - 1e-14);
    expect<f64>(Math.abs(orthant4(A, 4) - orthant3(r, r, r))).toBeLessThan(1e-7);
  });
});

describe("truncated moments", () => {
  it("one variable: E[z^p theta(z)] for variance s2", () => {
    const s2 = 2.5;
    setEquicorrelated(1, 0.0, s2);
    const B = scratchMatrix(0);
    memory.copy(B, A, 16 * 8);
    expect<f64>(Math.abs(truncatedMoment(B, 1, 0, 0) - 0.5)).toBeLessThan(1e-16);
    memory.copy(B, A, 16 * 8);
    expect<f64>(Math.abs(truncatedMoment(B, 1, 1, 0) - Math.sqrt(s2 / (2.0 * Math.PI)))).toBeLessThan(1e-15);
    memory.copy(B, A, 16 * 8);
    expect<f64>(Math.abs(truncatedMoment(B, 1, 2, 0) - s2 / 2.0)).toBeLessThan(1e-15);
  });
});

describe("Hermite series", () => {
  it("coefficients <He_n, theta> and <He_n, relu> at low order", () => {
    const c = 1.0 / Math.sqrt(2.0 * Math.PI);
    expect<f64>(thetaCoefficient(0)).toBe(0.5);
    expect<f64>(Math.abs(thetaCoefficient(1) - c)).toBeLessThan(1e-17);
    expect<f64>(thetaCoefficient(2)).toBe(0.0);
    expect<f64>(Math.abs(thetaCoefficient(3) + c)).toBeLessThan(1e-17);
    expect<f64>(Math.abs(reluCoefficient(0) - c)).toBeLessThan(1e-17);
    expect<f64>(reluCoefficient(1)).toBe(0.5);
    expect<f64>(Math.abs(reluCoefficient(2) - c)).toBeLessThan(1e-17);
    expect<f64>(Math.abs(reluCoefficient(4) + c)).toBeLessThan(1e-17);
  });
  it("index sets of the truncation rule at N = 10 (docs/theory.md section 2.3)", () => {
    expect<i32>(hermiteIndexSets(10, false)).toBe(31460);
    expect<i32>(hermiteIndexSets(10, true)).toBe(5180);
  });
  it("factorised and term-by-term evaluation agree", () => {
    const f = hermiteI4Correlation(0.3, -0.2, 0.1, 0.25, 0.05, -0.4, 12);
    const g = hermiteI4Naive(0.3, -0.2, 0.1, 0.25, 0.05, -0.4, 12);
    expect<f64>(Math.abs(f - g)).toBeLessThan(1e-15);
  });
});

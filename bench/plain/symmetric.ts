// Plain-TypeScript port of assembly/ode/symmetric.ts (benchmark baseline): the site-symmetric
// right-hand side with the same classes, counts and operation order (the plain ReLU port has no
// asin table: each ReLU average computes its own asins), and a classical RK4 loop
// with samples on a uniform grid (as integrate.ts does for a fixed step that divides the spacing).
import { avgI2, avgI3, avgI4, setActivation, ACTIVATION_CODE, type PlainActivation } from "./model";

const LD = 8, NL = 4;
const COV = new Float64Array(LD * LD);
let units = 2, vOut = 1, vStarOut = 1, teacherNorm = 1, eta = 1;

const X = (a: number) => a;
const Y = (a: number) => NL + a;
const I2 = (c: number, e: number) => avgI2(COV, LD, c, e);
const I3 = (i: number, b: number, c: number) => avgI3(COV, LD, i, b, c);
const I4 = (i: number, k: number, c: number, e: number) => avgI4(COV, LD, i, k, c, e);

function buildCovariance(u: Float64Array): void {
  const [q, c, r, s] = [u[0], u[1], u[2], u[3]];
  for (let a = 0; a < NL; a++) {
    for (let b = 0; b < NL; b++) {
      COV[X(a) * LD + X(b)] = a === b ? q : c;
      const rab = a === b ? r : s;
      COV[X(a) * LD + Y(b)] = rab;
      COV[Y(b) * LD + X(a)] = rab;
      COV[Y(a) * LD + Y(b)] = a === b ? teacherNorm : 0;
    }
  }
}
function egOfCovariance(): number {
  const v = vOut, w = vStarOut;
  let total = v * v * I2(X(0), X(0)) - 2 * v * w * I2(X(0), Y(0)) + w * w * I2(Y(0), Y(0));
  if (units > 1) total += (units - 1) * (v * v * I2(X(0), X(1)) - 2 * v * w * I2(X(0), Y(1)) + w * w * I2(Y(0), Y(1)));
  return 0.5 * units * total;
}
function j3One(b: number): number {
  const v = vOut, w = vStarOut;
  let s = w * I3(X(0), b, Y(0)) - v * I3(X(0), b, X(0));
  if (units > 1) s += (units - 1) * (w * I3(X(0), b, Y(1)) - v * I3(X(0), b, X(1)));
  return s;
}
function j3Two(b: number): number {
  const v = vOut, w = vStarOut;
  let s = w * (I3(X(0), b, Y(0)) + I3(X(0), b, Y(1))) - v * (I3(X(0), b, X(0)) + I3(X(0), b, X(1)));
  if (units > 2) s += (units - 2) * (w * I3(X(0), b, Y(2)) - v * I3(X(0), b, X(2)));
  return s;
}
function sameShape(i: number, k: number, a: number, b: number): number {
  const v = vOut, w = vStarOut;
  return v * v * I4(i, k, X(a), X(b)) + w * w * I4(i, k, Y(a), Y(b)) - 2 * v * w * I4(i, k, X(a), Y(b));
}
function s4Diagonal(): number {
  const v = vOut, w = vStarOut, i = X(0);
  let s = sameShape(i, i, 0, 0);
  if (units > 1) {
    const a1 = 2 * (v * v * I4(i, i, X(0), X(1)) - v * w * (I4(i, i, X(0), Y(1)) + I4(i, i, Y(0), X(1))) + w * w * I4(i, i, Y(0), Y(1))) + sameShape(i, i, 1, 1);
    s += (units - 1) * a1;
    if (units > 2) s += (units - 1) * (units - 2) * sameShape(i, i, 1, 2);
  }
  return s;
}
function s4OffDiagonal(): number {
  const v = vOut, w = vStarOut, i = X(0), k = X(1);
  let s = 2 * (v * v * (I4(i, k, X(0), X(0)) + I4(i, k, X(0), X(1))) + w * w * (I4(i, k, Y(0), Y(0)) + I4(i, k, Y(0), Y(1)))) - 4 * v * w * (I4(i, k, X(0), Y(0)) + I4(i, k, X(0), Y(1)));
  if (units > 2) {
    const b1 = 4 * (v * v * I4(i, k, X(0), X(2)) - v * w * (I4(i, k, X(0), Y(2)) + I4(i, k, Y(0), X(2))) + w * w * I4(i, k, Y(0), Y(2))) + sameShape(i, k, 2, 2);
    s += (units - 2) * b1;
    if (units > 3) s += (units - 2) * (units - 3) * sameShape(i, k, 2, 3);
  }
  return s;
}
export function symmetricRhsPlain(u: Float64Array, du: Float64Array): void {
  buildCovariance(u);
  const v = vOut, e = eta;
  du[0] = 2 * e * v * j3One(X(0)) + e * e * v * v * s4Diagonal();
  du[2] = e * v * j3One(Y(0));
  if (units > 1) {
    du[1] = 2 * e * v * j3Two(X(1)) + e * e * v * v * s4OffDiagonal();
    du[3] = e * v * j3Two(Y(1));
  } else {
    du[1] = 0;
    du[3] = 0;
  }
}

export interface PlainSymmetricOptions {
  activation: PlainActivation;
  K: number;
  learningRate: number;
  y0: [number, number, number, number];
  alphaMax: number;
  samples: number;
  step: number;
}

/** RK4 with a fixed step from alpha = 0; eps_g at each of `samples` evenly spaced alphas. */
export function integrateSymmetricPlain(o: PlainSymmetricOptions): { eg: Float64Array; y: Float64Array } {
  setActivation(ACTIVATION_CODE[o.activation]);
  units = o.K; vOut = 1; vStarOut = 1; teacherNorm = 1; eta = o.learningRate;
  const u = Float64Array.from(o.y0), ut = new Float64Array(4);
  const k1 = new Float64Array(4), k2 = new Float64Array(4), k3 = new Float64Array(4), k4 = new Float64Array(4);
  const eg = new Float64Array(o.samples);
  const perSample = Math.round(o.alphaMax / (o.samples - 1) / o.step);
  buildCovariance(u);
  eg[0] = egOfCovariance();
  const h = o.step;
  for (let s = 1; s < o.samples; s++) {
    for (let n = 0; n < perSample; n++) {
      symmetricRhsPlain(u, k1);
      for (let i = 0; i < 4; i++) ut[i] = u[i] + 0.5 * h * k1[i];
      symmetricRhsPlain(ut, k2);
      for (let i = 0; i < 4; i++) ut[i] = u[i] + 0.5 * h * k2[i];
      symmetricRhsPlain(ut, k3);
      for (let i = 0; i < 4; i++) ut[i] = u[i] + h * k3[i];
      symmetricRhsPlain(ut, k4);
      for (let i = 0; i < 4; i++) u[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    buildCovariance(u);
    eg[s] = egOfCovariance();
  }
  return { eg, y: u };
}

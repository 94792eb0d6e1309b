// plateau(): the unspecialised plateau of the site-symmetric ODE for any K (docs/theory.md
// section 11) and how it is left. The plateau is the fixed point in the subspace R = S (every
// student overlaps every teacher equally; invariant, since there students and teachers can be
// permuted independently): found by integrating the three-variable flow (Q, C, R = S) towards it
// and Newton. Its stability comes from the eigenvalues of the FULL ODE's Jacobian, block by block
// in the irreducible representations of S_K (blocks.ts). The escape rate lambda is the largest
// positive real part; a deviation delta along the unstable direction grows like delta e^(lambda
// alpha), so the plateau lasts about ln(D / delta) / lambda.
import { Matrix, solve } from "ml-matrix";
import { centralJacobian } from "../fixedpoints/jacobian";
import { eigenvectorFor } from "../numerics/eigen";
import { bisect } from "../numerics/bisection";
import { newton } from "../numerics/newton";
import { maxAbs } from "../numerics/norms";
import { integrateSymmetric, symmetricOdeEstimate } from "./integrateSymmetric";
import type { RunControl } from "../core/control";
import { WorkBudget, fmtSeconds, resolveControl } from "../work/budget";
import { estimate, hostUnit, type Estimate } from "../work/estimates";
import { SymmetricField } from "./field";
import { symmetryBlocks, type Representation, type SymmetryBlock } from "./blocks";
import { checkObject, learningRateOption, numberOption, resolveSymmetricSetting, symmetricBlocksMinEigenvalue, type ResolvedSymmetricSetting, type SymmetricSetting } from "./options";
import { OptionError } from "../core/errors";
import { resolveIntegrateSymmetricOptions } from "./options";

/** Options of plateau(). */
export interface PlateauOptions extends SymmetricSetting {
  /** Learning rate eta > 0 (alias eta; default 1). */
  learningRate?: number;
  eta?: number;
  /** Where the approach to the plateau starts: Q, C and R = S (defaults 0.2, 0, 0). */
  Q0?: number;
  C0?: number;
  R0?: number;
  /** Initial specialisation R - S on the plateau (along the unstable direction): with it, the predicted plateau length. */
  delta?: number;
  /** Also determine D of ln(D / delta) / lambda by integrating the escape (default true when delta is given). */
  escapeConstant?: boolean;
}

/** PlateauOptions resolved (the result's `options`). */
export interface ResolvedPlateauOptions extends ResolvedSymmetricSetting {
  learningRate: number;
  Q0: number;
  C0: number;
  R0: number;
  delta: number | null;
  escapeConstant: boolean;
}

/** The eigenvalues of one block of the Jacobian: an irreducible representation of S_K, its block size and its dimension (each eigenvalue's multiplicity). */
export interface BlockEigenvalues {
  representation: Representation;
  partition: string;
  size: number;
  multiplicity: number;
  values: { re: number; im: number }[];
}

/** The plateau, its block eigenvalues, escape rate and length (plateau()). */
export interface PlateauResult {
  status: "found" | "not-found";
  message: string;
  fixedPoint: { Q: number; C: number; R: number; S: number; eg: number } | null;
  /** max |dF/dalpha| at the fixed point (rates of Q, C, R). */
  residual: number | null;
  eigenvalues: BlockEigenvalues[];
  /** Largest positive real part of the full Jacobian's eigenvalues (null: none positive, the plateau is stable). */
  escapeRate: number | null;
  /** The representations whose blocks carry the escape rate, and its eigenvector in the trivial block (d(Q, C, R, S), largest entry 1). */
  escapeDirection: { representations: string[]; trivialEigenvector: number[] | null; description: string } | null;
  /** ln(1/delta) / lambda (when delta is given). */
  plateauLengthLeading: number | null;
  /** ln(D/delta) / lambda with D determined as below (when delta is given and D could be determined). */
  plateauLength: number | null;
  /** D: the alpha at which eps_g has fallen half-way from its plateau value to 0, alpha_half, is ln(D/delta)/lambda + o(1) for an escape started on the plateau at R - S = delta along the unstable direction. */
  escapeConstant: { D: number; definition: string; check: string } | null;
  stats: { rhsEvaluations: number; newtonIterations: number; approachPseudoTime: number; jacobianError: number; wallTimeMs: number };
  options: ResolvedPlateauOptions;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

export function resolvePlateauOptions(o: PlateauOptions): ResolvedPlateauOptions {
  checkObject(o);
  const s = resolveSymmetricSetting(o);
  if (s.K < 2) throw new OptionError({ option: "K", value: o.K, accepted: "an integer >= 2 (the plateau R = S needs a teacher other than the student's own)" });
  const learningRate = learningRateOption(o, 1) as number;
  const Q0 = numberOption("Q0", o.Q0, 0.2, { min: 0, minExclusive: true });
  const C0 = numberOption("C0", o.C0, 0);
  const R0 = numberOption("R0", o.R0, 0);
  const [lead, rest] = symmetricBlocksMinEigenvalue(s.K, s.T, Q0, C0, R0, R0);
  if (lead < 0 || rest < 0) {
    throw new OptionError({ option: "C0", value: C0, related: ["Q0", "R0", "K", "T"], accepted: "a value making (Q0, C0, R0 = S0) valid overlaps", reason: `with Q0 = ${Q0}, R0 = S0 = ${R0}, K = ${s.K}, T = ${s.T} does not give a valid overlap matrix (smallest block eigenvalues ${lead.toPrecision(3)}, ${rest.toPrecision(3)})` });
  }
  const delta = o.delta === undefined ? null : numberOption("delta", o.delta, 0, { min: 0, minExclusive: true, max: 0.1 });
  const escapeConstant = o.escapeConstant === undefined ? delta !== null : typeof o.escapeConstant === "boolean" ? o.escapeConstant : (() => { throw new OptionError({ option: "escapeConstant", value: o.escapeConstant, accepted: "true or false" }); })();
  return { ...s, learningRate, Q0, C0, R0, delta, escapeConstant };
}

export interface PlateauPoint {
  y: [number, number, number, number];
  residual: number;
  iterations: number;
  /** Pseudo-time of the continuation towards the plateau (a measure of its work, not an alpha of the dynamics). */
  approachPseudoTime: number;
}

/** max over the blocks' eigenvalue-multiplicity-free spectrum. */
const validSym = (s: ResolvedSymmetricSetting, y: ArrayLike<number>) => {
  const [a, b] = symmetricBlocksMinEigenvalue(s.K, s.T, y[0], y[1], y[2], y[3]);
  return y[0] > 0 && a >= 0 && b >= 0;
};

/**
 * Newton on G(Q, C, R) = (dQ, dC, dR) at S = R, from x0, with a central-difference Jacobian and
 * backtracking on max |G| (steps leaving the valid overlaps are shortened; a step below 1e-13 of
 * the state's size is taken even if |G| did not decrease). Converged when such a tiny step no
 * longer halves |G|, or |G| = 0, or when no shortened step is taken and the last one tried is
 * below 1e-12 of the state's size.
 */
export function plateauNewton(field: SymmetricField, eta: number, x0: ArrayLike<number>, maxIterations = 40): { x: Float64Array; residual: number; iterations: number; converged: boolean } {
  const s = field.setting;
  const G = (x: ArrayLike<number>) => {
    const d = field.rhs([x[0], x[1], x[2], x[2]], eta);
    return Float64Array.of(d[0], d[1], d[2]);
  };
  const size = (x: ArrayLike<number>) => Math.max(Math.abs(x[0]), s.T, Math.abs(x[1]), Math.abs(x[2]));
  const r = newton(G, x0, {
    tolerance: 0,
    maxIterations,
    maxTrials: 40,
    jacobian: (x) => centralJacobian(G, x, 1e-5 * size(x)).J,
    valid: (y) => validSym(s, [y[0], y[1], y[2], y[2]]),
    accept: (c) => c.residual < c.previousResidual || c.lambda * maxAbs(c.direction) <= 1e-13 * size(c.previous),
    stop: (st) => st.lambda * maxAbs(st.direction) <= 1e-13 * size(st.x) && !(st.residual < 0.5 * st.previousResidual),
    stalled: (st) => st.lambda * maxAbs(st.direction) <= 1e-12 * size(st.x),
  });
  return { x: r.value, residual: r.residual, iterations: r.iterations, converged: r.converged };
}

/**
 * The plateau at learning rate eta. From (Q0, C0, R0 = S0) the three-variable flow
 * G(Q, C, R) = (dQ, dC, dR) at S = R is followed by pseudo-transient continuation (implicit Euler
 * steps x += (I/dt - G')^-1 G with dt grown as |G| falls, "switched evolution relaxation"): it
 * approaches the attracting fixed point of the flow like the flow itself but is not held back by
 * the flow's stiffness (rates from ~eta to ~eta/K^2 at large K). Then Newton. With `guess`,
 * Newton only.
 */
export function findPlateau(field: SymmetricField, eta: number, start: [number, number, number], guess?: ArrayLike<number>): PlateauPoint | null {
  const s = field.setting;
  let x0: Float64Array;
  let approachPseudoTime = 0;
  if (guess) {
    x0 = Float64Array.from(guess);
  } else {
    const G = (x: ArrayLike<number>) => {
      const d = field.rhs([x[0], x[1], x[2], x[2]], eta);
      return Float64Array.of(d[0], d[1], d[2]);
    };
    const norm = (g: ArrayLike<number>) => Math.max(...Array.from(g, Math.abs));
    let x = Float64Array.from(start);
    let g = G(x);
    const res0 = norm(g);
    let res = res0;
    const size = () => Math.max(Math.abs(x[0]), s.T, Math.abs(x[1]), Math.abs(x[2]));
    let J = centralJacobian(G, x, 1e-5 * size()).J;
    let dt = 0.1 / Math.max(1e-300, ...J.map((r) => r.reduce((a, v) => a + Math.abs(v), 0)));
    let settled = false;
    for (let it = 0; it < 300 && !settled; it++) {
      const A = J.map((row, i) => row.map((v, j) => (i === j ? 1 / dt : 0) - v));
      let dx: number[];
      try {
        dx = solve(new Matrix(A), Matrix.columnVector(Array.from(g))).to1DArray();
      } catch {
        return null;
      }
      const y = Float64Array.from(x, (v, i) => v + dx[i]);
      const gy = validSym(s, [y[0], y[1], y[2], y[2]]) && y[0] < 1e6 * Math.max(1, start[0]) ? G(y) : null;
      if (!gy || !gy.every(Number.isFinite)) {
        dt /= 4;
        if (dt < 1e-300) return null;
        continue;
      }
      const r = norm(gy);
      approachPseudoTime += dt;
      // dt ~ 1/|G| (switched evolution relaxation), but grown at least geometrically while |G|
      // falls: along the flow's slow directions |G| falls too slowly for dt ~ 1/|G| to reach
      // the Newton limit in reasonable time. (|G| may rise during the transient: no rejection.)
      const ratio = res / Math.max(r, 1e-300);
      dt *= r < res ? Math.min(10, Math.max(2, ratio)) : Math.max(0.25, ratio);
      x = y;
      g = gy;
      res = r;
      if (res <= 1e-9 * res0) settled = true;
      J = centralJacobian(G, x, 1e-5 * size()).J;
    }
    if (!settled) return null;
    x0 = x;
  }
  const n = plateauNewton(field, eta, x0);
  if (!n.converged) return null;
  return { y: [n.x[0], n.x[1], n.x[2], n.x[2]], residual: n.residual, iterations: n.iterations, approachPseudoTime };
}

export function blockEigenvalues(blocks: SymmetryBlock[]): BlockEigenvalues[] {
  return blocks.map((b) => ({ representation: b.representation, partition: b.partition, size: b.size, multiplicity: b.multiplicity, values: b.eigenvalues.map((e) => ({ re: e.re, im: e.im })) }));
}

/** Largest real part over the blocks, and the blocks that carry it (within tol). */
export function leadingEigenvalue(blocks: SymmetryBlock[], tol: number): { value: number; representations: Representation[] } {
  const top = Math.max(...blocks.map((b) => b.eigenvalues[0]?.re ?? -Infinity));
  return { value: top, representations: blocks.filter((b) => Math.abs((b.eigenvalues[0]?.re ?? -Infinity) - top) <= tol).map((b) => b.representation) };
}

function describeDirection(d: number[], K: number): string {
  const [dQ, dC, dR, dS] = d;
  const small = (x: number) => Math.abs(x) < 1e-6;
  if (small(dQ) && small(dC) && Math.abs(dR + (K - 1) * dS) < 1e-6 * Math.max(Math.abs(dR), 1e-300)) {
    return `specialisation: R_ii - R_in grows (each student towards its own teacher, away from the others) with Q, C and the total overlap R + (K-1) S fixed to first order (dR : dS = 1 : -1/(K-1))`;
  }
  return `d(Q, C, R, S) = (${d.map((x) => x.toPrecision(4)).join(", ")})`;
}

/**
 * The work estimate of plateau(): the approach, Newton and the block eigenvalues (measured per
 * call, src/work/costModel.ts, by student activation; their cost hardly depends on K). The escape
 * constant's two integrations run until the escape, whose rate is known only once the plateau is
 * found: plateau() estimates them then (escapeEstimate) and refuses there when they do not fit.
 */
export function plateauEstimate(o: ResolvedPlateauOptions): Estimate {
  const seconds = hostUnit(`plateau.${o.activation}`, "plateau.relu");
  const later = o.delta !== null && o.escapeConstant ? "; the escape constant's two integrations are estimated once the escape rate is known" : "";
  return estimate(seconds, 4 * 65536 + 64 * 1024, `the plateau by continuation and Newton, and its block eigenvalues (${o.activation}, K = ${o.K})${later}`, ["activation", ...(o.escapeConstant ? ["delta", "escapeConstant"] : [])], seconds, seconds);
}

/** The two integrations of the escape constant (halfwayAlpha at delta = 1e-7 and 1e-9) once the escape rate lambda is known. */
export function escapeEstimate(o: ResolvedPlateauOptions, lambda: number): Estimate {
  const parts = ESCAPE_DELTAS.map((d) => symmetricOdeEstimate(resolveIntegrateSymmetricOptions(escapeRun(o, [o.Q0, 0, 0, 0], d, lambda))));
  const seconds = parts[0].seconds + parts[1].seconds;
  return { ...estimate(seconds, Math.max(parts[0].memoryBytes, parts[1].memoryBytes), `escape constant: two integrations to alpha = ${parts.map((_, i) => (+escapeAlphaMax(ESCAPE_DELTAS[i], lambda).toPrecision(3))).join(" and ")} (escape rate ${lambda.toPrecision(3)}), each ${parts[0].detail}`, ["delta", "escapeConstant", "learningRate", "K"], parts[0].unitSeconds, seconds), memoryDrivers: ["escapeConstant"] };
}

/**
 * The unspecialised plateau R = S of the site-symmetric setting for any K: the fixed point, the
 * full ODE's Jacobian eigenvalues block by block in the irreducible representations of S_K, the
 * escape rate (largest positive eigenvalue) and its direction, and with `delta` the plateau length.
 * With RunControl fields: the estimate is checked before any work (the escape constant's part once
 * the escape rate is known: refused there, before its integrations, when it does not fit);
 * progress in seconds of estimated work, abort between evaluations. No partial result: "truncate"
 * refuses what does not fit.
 */
export function plateau(options: PlateauOptions & RunControl = {}): PlateauResult {
  const t0 = now();
  const o = resolvePlateauOptions(options);
  const control = resolveControl(options);
  const est = plateauEstimate(o);
  const budget = new WorkBudget("plateau", est, control, est.firstChunkSeconds, false);
  const report = () => budget.step("plateau", Math.min(budget.spent, est.seconds), est.seconds, "s of estimated work");
  budget.begin("plateau", est.seconds, "s of estimated work");
  const field = new SymmetricField(o);
  field.meter = field.meterFor(budget, report);
  const eta = o.learningRate;
  const p = findPlateau(field, eta, [o.Q0, o.C0, o.R0]);
  const empty = { eigenvalues: [], escapeRate: null, escapeDirection: null, plateauLengthLeading: null, plateauLength: null, escapeConstant: null };
  if (!p) {
    return {
      status: "not-found", fixedPoint: null, residual: null, ...empty, options: o,
      message: `no plateau found at learning rate ${eta}: the flow in the subspace R = S from (Q, C, R) = (${o.Q0}, ${o.C0}, ${o.R0}) did not settle (it diverged, left the valid overlaps or did not converge) or Newton failed; above some learning rate the plateau ceases to exist`,
      stats: { rhsEvaluations: field.evaluations, newtonIterations: 0, approachPseudoTime: 0, jacobianError: 0, wallTimeMs: now() - t0 },
    };
  }
  const b = symmetryBlocks(o, p.y, eta);
  const lead = leadingEigenvalue(b.blocks, Math.max(1e-8 * Math.abs(b.blocks[0].eigenvalues[0].re), 100 * b.errorEstimate));
  const escapeRate = lead.value > 0 ? lead.value : null;
  let escapeDirection: PlateauResult["escapeDirection"] = null;
  let trivialVector: number[] | null = null;
  if (escapeRate !== null) {
    const triv = b.blocks.find((x) => x.representation === "trivial")!;
    if (lead.representations.includes("trivial")) {
      // z = sqrt(class size) y in the trivial block's coordinates (Q, C, R, S)
      const sizes = [o.K, (o.K * (o.K - 1)) / 2, o.K, o.K * (o.K - 1)];
      const z = eigenvectorFor(triv.matrix, escapeRate);
      const active = triv.basis.map((v) => v[0].name);
      const y = [0, 0, 0, 0];
      const names = ["Q_bb", "Q_bb'", "R_bb", "R_bb'"];
      active.forEach((nm, a) => (y[names.indexOf(nm)] = z[a] / Math.sqrt(sizes[names.indexOf(nm)])));
      const big = y.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      trivialVector = y.map((x) => x / big);
    }
    escapeDirection = {
      representations: lead.representations.map((r) => b.blocks.find((x) => x.representation === r)!.partition),
      trivialEigenvector: trivialVector,
      description: trivialVector ? describeDirection(trivialVector, o.K) : `the escape is not in the trivial block (blocks ${lead.representations.join(", ")})`,
    };
  }
  const eg = field.eg(p.y);
  let plateauLengthLeading: number | null = null, plateauLength: number | null = null;
  let escapeConstant: PlateauResult["escapeConstant"] = null;
  if (o.delta !== null && escapeRate !== null) {
    plateauLengthLeading = Math.log(1 / o.delta) / escapeRate;
    if (o.escapeConstant && trivialVector) {
      // admitted now that the escape rate fixes the integrations' length (a second estimate)
      const esc = escapeEstimate(o, escapeRate);
      const whole = { ...esc, seconds: budget.spent + esc.seconds, breakdown: `${est.detail}: about ${fmtSeconds(budget.spent)} spent; ${esc.breakdown}` };
      const escBudget = new WorkBudget("plateau", whole, control, 0, false);
      escapeConstant = determineEscapeConstant(o, p.y, trivialVector, escapeRate, eg, { signal: control.signal, onProgress: control.onProgress ? (q) => { escBudget.step("plateau: escape constant", q.done, q.total, q.unit); } : undefined });
      if (escapeConstant) plateauLength = Math.log(escapeConstant.D / o.delta) / escapeRate;
    }
  }
  const [Q, C, R, S] = p.y;
  return {
    status: "found",
    message: escapeRate === null ? "plateau found; every eigenvalue has a negative real part: it is stable (no escape)" : `plateau found; escape rate ${escapeRate.toPrecision(6)} (${escapeDirection!.description})`,
    fixedPoint: { Q, C, R, S, eg },
    residual: p.residual,
    eigenvalues: blockEigenvalues(b.blocks),
    escapeRate, escapeDirection, plateauLengthLeading, plateauLength, escapeConstant,
    stats: { rhsEvaluations: field.evaluations + b.evaluations, newtonIterations: p.iterations, approachPseudoTime: p.approachPseudoTime, jacobianError: b.errorEstimate, wallTimeMs: now() - t0 },
    options: o,
  };
}

const HALF_DEFINITION = "alpha_half (eps_g half-way from its plateau value to 0) = ln(D/delta)/lambda + o(1) for a start on the plateau with R - S = delta along the unstable direction";

/** The displacements of the escape constant's two integrations. */
const ESCAPE_DELTAS = [1e-7, 1e-9] as const;
/** How far an escape from R - S = delta is integrated: past the half-way point for any D up to e^30. */
const escapeAlphaMax = (delta: number, lambda: number) => (Math.log(1 / delta) + 30) / lambda;
/** The integrateSymmetric() options of an escape from `start` displaced by delta. */
function escapeRun(o: ResolvedSymmetricSetting & { learningRate: number }, start: number[], delta: number, lambda: number) {
  return { activation: o.activation, teacherActivation: o.teacherActivation, K: o.K, T: o.T, v: o.v, vStar: o.vStar, learningRate: o.learningRate, Q0: start[0], C0: start[1], R0: start[2], S0: start[3], alphaMax: escapeAlphaMax(delta, lambda), samples: 4001, integrator: "adaptive" as const, rtol: 1e-11, atol: 1e-14 };
}

/** alpha at which eps_g first falls to egPlateau / 2, from the plateau displaced by delta along v (R - S = delta). */
export function halfwayAlpha(o: ResolvedSymmetricSetting & { learningRate: number }, y: ArrayLike<number>, v: number[], delta: number, lambda: number, egPlateau: number, control: RunControl = {}): number | null {
  const scale = delta / (v[2] - v[3]);
  const start = [0, 1, 2, 3].map((i) => y[i] + scale * v[i]);
  const r = integrateSymmetric({ ...escapeRun(o, start, delta, lambda), signal: control.signal, onProgress: control.onProgress, maxWork: Infinity });
  const target = egPlateau / 2;
  for (let s = 1; s < r.alpha.length; s++) {
    if (r.eg[s] <= target && r.eg[s - 1] > target) {
      // cubic through four samples around the crossing, solved by bisection
      const i0 = Math.max(0, Math.min(r.alpha.length - 4, s - 2));
      const xs = [0, 1, 2, 3].map((k) => r.alpha[i0 + k]), ys = [0, 1, 2, 3].map((k) => r.eg[i0 + k] - target);
      const lag = (a: number) => ys.reduce((acc, yk, k) => acc + yk * xs.reduce((pr, xj, j) => (j === k ? pr : (pr * (a - xj)) / (xs[k] - xj)), 1), 0);
      return bisect((a) => !(lag(a) > 0), r.alpha[s - 1], r.alpha[s], { maxIterations: 60 }).value;
    }
  }
  return null;
}

function determineEscapeConstant(o: ResolvedPlateauOptions, y: ArrayLike<number>, v: number[], lambda: number, eg: number, control: RunControl): PlateauResult["escapeConstant"] {
  // D from two small displacements: alpha_half(delta) lambda + ln(delta) -> ln D as delta -> 0
  const [d1, d2] = ESCAPE_DELTAS;
  const a1 = halfwayAlpha(o, y, v, d1, lambda, eg, control);
  const a2 = halfwayAlpha(o, y, v, d2, lambda, eg, control);
  if (a1 === null || a2 === null) return null;
  const D1 = d1 * Math.exp(lambda * a1), D2 = d2 * Math.exp(lambda * a2);
  return { D: D2, definition: HALF_DEFINITION, check: `D from delta = 1e-9: ${D2.toPrecision(6)}; from delta = 1e-7: ${D1.toPrecision(6)} (their difference is the O(delta) remainder plus integration error)` };
}

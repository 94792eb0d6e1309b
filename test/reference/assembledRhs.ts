// The order-parameter ODE's right-hand side (docs/theory.md sections 1 and 9: fixed output weights v, v*,
// no noise, no weight decay) assembled here, term by term in the form docs/theory.md section 9 writes it, from
// the public Gaussian averages i3, i4 and hermiteI4 (each checked against quadrature, mpmath
// and Monte Carlo in averages.test.ts, hermite.test.ts and mismatch.test.ts). It shares no
// code with the core's rhs() (assembly/ode/model.ts: one signed weight per variable, each I4
// pair once, asin tables), so it checks that bookkeeping: which averages, which v's, which
// signs and which powers of eta.
import { hermiteI4, i3, i4, pick, type Activation } from "../helpers";

export interface AssembledSetting {
  activation?: Activation;
  teacherActivation?: Activation;
  T: number[][];
  Q: number[][];
  R: number[][];
  v?: number[];
  vStar?: number[];
  learningRate: number;
  /**
   * The averages on the picked covariance (variables in the order of the argument list), each
   * argument's side (true: teacher): by default the library's public i3, i4.
   */
  averages?: {
    i3: (A: number[][], teacherC: boolean) => number;
    i4: (A: number[][], teacherC: boolean, teacherE: boolean) => number;
  };
  /** "hermite": the four-distinct-variable ReLU I4 from the truncated series at hermiteOrder. */
  method?: "exact" | "hermite";
  hermiteOrder?: number;
}

export interface AssembledRhs {
  dQ: number[][];
  dR: number[][];
  /** The O(eta) and O(eta^2) parts of dQ separately (dR has only the first). */
  dQLinear: number[][];
  dQQuadratic: number[][];
}

export function assembledRhs(o: AssembledSetting): AssembledRhs {
  const K = o.Q.length, M = o.T.length, eta = o.learningRate;
  const act = o.activation ?? "relu", tAct = o.teacherActivation ?? act;
  const v = o.v ?? new Array(K).fill(1), vs = o.vStar ?? new Array(M).fill(1);
  // variables 0..K-1: students x_i; K..K+M-1: teachers y_n
  const C = [...o.Q.map((q, i) => [...q, ...o.R[i]]), ...o.T.map((t, n) => [...o.R.map((r) => r[n]), ...t])];
  const teacher = (c: number) => c >= K;
  const own = o.averages;
  const I3 = (a: number, b: number, c: number) => own ? own.i3(pick(C, [a, b, c]), teacher(c)) : i3(pick(C, [a, b, c]), teacher(c) ? { activation: act, teacherActivation: tAct } : { activation: act });
  const I4 = (a: number, b: number, c: number, e: number) => {
    if (teacher(c) && !teacher(e)) [c, e] = [e, c]; // symmetric in its last two arguments
    const A = pick(C, [a, b, c, e]);
    if (own) return own.i4(A, teacher(c), teacher(e));
    if (!teacher(e)) return i4(A, { activation: act });
    if (!teacher(c)) return i4(A, { activation: act, teacherActivation: tAct, teacherVariables: 1 });
    const distinct = new Set([a, b, c, e]).size === 4;
    if (o.method === "hermite" && distinct) return hermiteI4(A, { hermiteOrder: o.hermiteOrder ?? 10 }).value;
    return i4(A, { activation: act, teacherActivation: tAct });
  };
  const students = [...Array(K).keys()], teachers = [...Array(M).keys()].map((n) => K + n);
  const vOf = (c: number) => (teacher(c) ? vs[c - K] : v[c]);
  // v_i [ sum_m v*_m I3(i, b, m) - sum_j v_j I3(i, b, j) ]
  const drive = (i: number, b: number) => v[i] * (teachers.reduce((s, m) => s + vOf(m) * I3(i, b, m), 0) - students.reduce((s, j) => s + v[j] * I3(i, b, j), 0));
  const dR = students.map((i) => teachers.map((n) => eta * drive(i, n)));
  const dQLinear = students.map((i) => students.map((k) => eta * (drive(i, k) + drive(k, i))));
  const dQQuadratic = students.map((i) =>
    students.map((k) => {
      let tt = 0, st = 0, ss = 0;
      for (const n of teachers) for (const m of teachers) tt += vOf(n) * vOf(m) * I4(i, k, n, m);
      for (const j of students) for (const n of teachers) st += v[j] * vOf(n) * I4(i, k, j, n);
      for (const j of students) for (const l of students) ss += v[j] * v[l] * I4(i, k, j, l);
      return eta * eta * v[i] * v[k] * (tt - 2 * st + ss);
    }),
  );
  const dQ = dQLinear.map((row, i) => row.map((x, k) => x + dQQuadratic[i][k]));
  return { dQ, dR, dQLinear, dQQuadratic };
}

// K = 2, M = 2 and K = 3, M = 2 states (C positive definite), weights of both signs and sizes != 1
export const STATE22 = { T: [[1, 0.2], [0.2, 1.5]], Q: [[0.8, 0.25], [0.25, 0.6]], R: [[0.4, -0.15], [0.1, 0.5]], v: [1.3, -0.7], vStar: [0.9, -1.2] };
export const STATE32 = {
  T: [[1.2, -0.1], [-0.1, 0.9]],
  Q: [[0.7, 0.1, -0.2], [0.1, 0.9, 0.15], [-0.2, 0.15, 0.5]],
  R: [[0.3, 0.1], [-0.2, 0.4], [0.15, -0.1]],
  v: [0.6, -1.1, 1.4], vStar: [-0.8, 1.25],
};

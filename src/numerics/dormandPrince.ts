// Adaptive Dormand-Prince 5(4) integrator (the pair of ode45 / solve_ivp "RK45") for the host-side
// low-dimensional flows (population gradient flow, the reduced 2-D system of [T]). It steps exactly
// onto every requested time, propagates the 5th-order solution (local extrapolation, FSAL) and
// controls the embedded error in the RMS norm scaled by atol + rtol max(|y|, |y_new|)
// (Hairer-Norsett-Wanner II.4).
// The order-parameter ODE has its own Dormand-Prince pair inside the WebAssembly core.

export interface DopriOptions {
  rtol: number;
  atol: number;
  maxSteps: number;
  /** First step (default: from |y| / |f(y)|, as in Hairer-Norsett-Wanner). */
  h0?: number;
}

export interface DopriRun {
  /** Times reached (the requested ones, up to where the run stopped). */
  t: number[];
  y: Float64Array[];
  /** "completed", "max-steps", "step-too-small", or the status returned by the stop test. */
  status: string;
  message: string;
  stats: { steps: number; rejectedSteps: number; rhsEvaluations: number; tReached: number };
}

const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
// 5th-order weights are A[6]; E = b5 - b4
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

/**
 * Integrates y' = f(t, y) from times[0] through the ascending `times`; `stop(t, y)` is asked after
 * every accepted step and ends the run early with its { status, message } (the state there is the
 * last sample).
 */
export function dormandPrince(
  f: (t: number, y: Float64Array, dy: Float64Array) => void,
  y0: Float64Array,
  times: ArrayLike<number>,
  o: DopriOptions,
  stop?: (t: number, y: Float64Array) => { status: string; message: string } | null,
): DopriRun {
  const n = y0.length;
  const k = Array.from({ length: 7 }, () => new Float64Array(n));
  const tmp = new Float64Array(n), ynew = new Float64Array(n);
  let y = Float64Array.from(y0);
  let t = times[0];
  const out: DopriRun = { t: [t], y: [Float64Array.from(y)], status: "completed", message: "", stats: { steps: 0, rejectedSteps: 0, rhsEvaluations: 0, tReached: t } };
  const rhs = (tt: number, yy: Float64Array, dy: Float64Array) => {
    f(tt, yy, dy);
    out.stats.rhsEvaluations++;
  };
  const first = stop?.(t, y);
  if (first) return { ...out, status: first.status, message: first.message };
  rhs(t, y, k[0]);
  const scale = (i: number, a: number, b: number) => o.atol + o.rtol * Math.max(Math.abs(a), Math.abs(b));
  let h = o.h0 ?? 0;
  if (!(h > 0)) {
    let d0 = 0, d1 = 0;
    for (let i = 0; i < n; i++) {
      const s = scale(i, y[i], y[i]);
      d0 += (y[i] / s) ** 2;
      d1 += (k[0][i] / s) ** 2;
    }
    d0 = Math.sqrt(d0 / n);
    d1 = Math.sqrt(d1 / n);
    h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  }
  for (let s = 1; s < times.length; s++) {
    const target = times[s];
    while (t < target) {
      if (out.stats.steps >= o.maxSteps) {
        out.status = "max-steps";
        out.message = `stopped at t = ${t} after maxSteps = ${o.maxSteps} steps; increase maxSteps or loosen rtol/atol`;
        out.stats.tReached = t;
        return out;
      }
      const last = t + h >= target;
      const hh = last ? target - t : h;
      if (hh <= 1e-14 * Math.max(1, Math.abs(t))) {
        out.status = "step-too-small";
        out.message = `step size underflow at t = ${t}: the vector field is not smooth enough here`;
        out.stats.tReached = t;
        return out;
      }
      for (let st = 1; st < 7; st++) {
        for (let i = 0; i < n; i++) {
          let acc = y[i];
          for (let j = 0; j < st; j++) acc += hh * A[st][j] * k[j][i];
          tmp[i] = acc;
        }
        if (st === 6) ynew.set(tmp);
        rhs(t + C[st] * hh, tmp, k[st]);
      }
      let err = 0;
      for (let i = 0; i < n; i++) {
        let e = 0;
        for (let j = 0; j < 7; j++) e += E[j] * k[j][i];
        err += ((hh * e) / scale(i, y[i], ynew[i])) ** 2;
      }
      err = Math.sqrt(err / n);
      out.stats.steps++;
      if (err <= 1) {
        t = last ? target : t + hh;
        [y, k[0], k[6]] = [Float64Array.from(ynew), k[6], k[0]]; // FSAL: f(y_new) is k[6]
        const halt = stop?.(t, y);
        if (halt) {
          out.t.push(t);
          out.y.push(Float64Array.from(y));
          out.stats.tReached = t;
          return { ...out, status: halt.status, message: halt.message };
        }
        const fac = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
        if (!last || hh * fac < h) h = hh * fac;
      } else {
        out.stats.rejectedSteps++;
        h = hh * (Number.isFinite(err) ? Math.max(0.2, 0.9 * err ** -0.2) : 0.2);
      }
    }
    out.t.push(t);
    out.y.push(Float64Array.from(y));
  }
  out.stats.tReached = t;
  out.message = `reached t = ${t}`;
  return out;
}

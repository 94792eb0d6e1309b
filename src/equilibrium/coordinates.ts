// The free energy in well-scaled coordinates for the solvers. In (R, S, C) the Hessian's entries grow
// like K^3 (S and C carry multiplicities K-1 and the b-logarithm's argument is ~K S), so at K = 10^4 an
// O(1) eigenvalue would drown in rounding. With
//     p = sqrt(K) (R - S),   m = R + (K-1) S,   c = (K-1) C
// the logarithms' arguments are a = 1 - c/(K-1) - p^2/K and b = 1 + c - m^2, and every Hessian entry
// is O(1) or O(K^0) for any K. The map is linear, so stationary points, Hessian inertia (hence
// stability) and the zero crossings of det H are the same in both sets of coordinates.
// K = 1: a single coordinate m = R (S and C do not enter).
import { egTerms, type Model } from "./freeEnergy";
import type { FreeEnergyModel } from "./freeEnergyModel";

export class Reduced implements FreeEnergyModel {
  /** Number of coordinates: 3, or 1 for K = 1. */
  readonly n: number;
  private readonly sqK: number;
  private readonly k1: number;
  /** dR/du, dS/du, dC/du. */
  private readonly dR: number[];
  private readonly dS: number[];
  private readonly dC: number[];
  private readonly e = new Float64Array(7);
  readonly rsc = new Float64Array(3);

  readonly K: number;

  constructor(readonly model: Model) {
    const K = model.K;
    this.K = K;
    this.n = K === 1 ? 1 : 3;
    this.sqK = Math.sqrt(K);
    this.k1 = K - 1;
    this.dR = K === 1 ? [1] : [(1 - 1 / K) / this.sqK, 1 / K, 0];
    this.dS = K === 1 ? [0] : [-1 / (K * this.sqK), 1 / K, 0];
    this.dC = K === 1 ? [0] : [0, 0, 1 / this.k1];
  }

  /** (R, S, C) of u, into this.rsc. */
  toRSC(u: ArrayLike<number>): Float64Array {
    const K = this.model.K;
    if (K === 1) {
      this.rsc[0] = u[0];
      this.rsc[1] = 0;
      this.rsc[2] = 0;
    } else {
      const d = u[0] / this.sqK;
      const S = (u[1] - d) / K;
      this.rsc[0] = d + S;
      this.rsc[1] = S;
      this.rsc[2] = u[2] / this.k1;
    }
    return this.rsc;
  }

  fromRSC(R: number, S: number, C: number): Float64Array {
    if (this.model.K === 1) return Float64Array.of(R);
    return Float64Array.of(this.sqK * (R - S), R + this.k1 * S, this.k1 * C);
  }

  /** [a, b]: the logarithms' arguments (a = 1 for K = 1). */
  logArgs(u: ArrayLike<number>): [number, number] {
    if (this.model.K === 1) return [1, 1 - u[0] * u[0]];
    return [1 - u[2] / this.k1 - (u[0] * u[0]) / this.model.K, 1 + u[2] - u[1] * u[1]];
  }

  /** ln a = log1p(-(c/(K-1) + p^2/K)): a is near 1 at large K and (K-1) ln a must keep its digits. */
  private lnA(u: ArrayLike<number>): number {
    return Math.log1p(-(u[2] / this.k1 + (u[0] * u[0]) / this.model.K));
  }

  inDomain(u: ArrayLike<number>): boolean {
    const [a, b] = this.logArgs(u);
    return a > 0 && b > 0;
  }

  /** beta f (Infinity outside the domain). */
  value(alpha: number, u: ArrayLike<number>): number {
    const [a, b] = this.logArgs(u);
    if (!(a > 0 && b > 0)) return Infinity;
    const x = this.toRSC(u);
    egTerms(this.model, x[0], x[1], x[2], this.e);
    return alpha * this.model.K * this.e[0] - 0.5 * Math.log(b) - (this.model.K === 1 ? 0 : 0.5 * this.k1 * this.lnA(u));
  }

  /**
   * beta f, its gradient g (n) and Hessian H (n x n, row-major) in u, and eps_g; the gradient of eps_g
   * into eg (n) if given. Returns NaN outside the domain (callers check inDomain first).
   */
  eval(alpha: number, u: ArrayLike<number>, g: Float64Array, H: Float64Array, egGrad?: Float64Array): { F: number; eg: number; a: number; b: number } {
    const n = this.n, K = this.model.K, k1 = this.k1;
    const [a, b] = this.logArgs(u);
    if (!(a > 0 && b > 0)) return { F: NaN, eg: NaN, a, b };
    const x = this.toRSC(u);
    const e = this.e;
    egTerms(this.model, x[0], x[1], x[2], e);
    // eps_g = rho(R) + (K-1) sigma(S) + (K-1) gamma(C): e holds eps_g's (R, S, C) derivatives with the
    // multiplicities already applied, so d eps_g/du = e_R dR + e_S dS + e_C dC, likewise the Hessian.
    const aK = alpha * K;
    for (let i = 0; i < n; i++) {
      const ge = e[1] * this.dR[i] + e[2] * this.dS[i] + e[3] * this.dC[i];
      if (egGrad) egGrad[i] = ge;
      g[i] = aK * ge;
      for (let j = 0; j < n; j++) H[i * n + j] = aK * (e[4] * this.dR[i] * this.dR[j] + e[5] * this.dS[i] * this.dS[j] + e[6] * this.dC[i] * this.dC[j]);
    }
    // entropy s = 1/2 ln b + (K-1)/2 ln a
    let s = 0.5 * Math.log(b);
    if (K === 1) {
      const m = u[0];
      // b = 1 - m^2: d(1/2 ln b)/dm = -m/b, second derivative -(1 + m^2)/b^2
      g[0] += m / b;
      H[0] += (1 + m * m) / (b * b);
    } else {
      const p = u[0], m = u[1];
      s += 0.5 * k1 * this.lnA(u);
      // 1/2 ln b: db = (0, -2m, 1), d2b = diag(0, -2, 0)
      const gb = [0, -2 * m, 1];
      // (K-1)/2 ln a: da = (-2p/K, 0, -1/(K-1)), d2a = diag(-2/K, 0, 0)
      const ga = [(-2 * p) / K, 0, -1 / k1];
      for (let i = 0; i < 3; i++) {
        g[i] -= (0.5 * gb[i]) / b + (0.5 * k1 * ga[i]) / a;
        for (let j = 0; j < 3; j++) H[i * 3 + j] += (0.5 * gb[i] * gb[j]) / (b * b) + (0.5 * k1 * ga[i] * ga[j]) / (a * a);
      }
      H[4] += 1 / b; // -1/2 * (-2)/b
      H[0] += k1 / (K * a); // -(K-1)/2 * (-2/K)/a
    }
    return { F: aK * e[0] - s, eg: e[0], a, b };
  }

  /** d u / d(R, S, C) as a row-major n x 3 matrix (to map Hessians back: H_x = J^T H_u J). */
  jacobianFromRSC(): number[][] {
    const K = this.model.K;
    if (K === 1) return [[1, 0, 0]];
    return [[this.sqK, -this.sqK, 0], [1, this.k1, 0], [0, 0, this.k1]];
  }
}

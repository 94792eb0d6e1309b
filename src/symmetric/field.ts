// Single evaluations of the site-symmetric right-hand side and eps_g in the core (for Newton,
// the plateau's approach and the tests), on a static buffer that no integration uses, in an
// instance of the core that belongs to this field alone.
import { acquireInstance } from "../core/engine";
import { ACTIVATION_CODE, teacherCode } from "../core/exports";
import type { ResolvedSymmetricSetting } from "./options";
import { EvaluationMeter, type WorkBudget } from "../work/budget";
import { symmetricRhsCost } from "../work/estimates";

export class SymmetricField {
  evaluations = 0;
  /** Counts evaluations against a work budget (progress, abort) when set. */
  meter: EvaluationMeter | undefined;
  private readonly core = acquireInstance();
  constructor(readonly setting: ResolvedSymmetricSetting) {}

  /** A meter charging this field's evaluations (and its instance's orthant panels) to `budget`. */
  meterFor(budget: WorkBudget, report: () => void): EvaluationMeter {
    const x = this.core.exports;
    return new EvaluationMeter(budget, symmetricRhsCost(this.setting), report, () => x.statOrthantPanels());
  }
  private load(y: ArrayLike<number>, eta: number): number {
    const e = this.core, x = e.exports, s = this.setting;
    x.configureSymmetric(s.K, s.v, s.vStar, s.T, eta, ACTIVATION_CODE[s.activation], teacherCode(s));
    const p = x.symmetricPtrState() >> 3;
    const v = e.f64;
    for (let i = 0; i < 4; i++) v[p + i] = y[i];
    return p;
  }
  /** d(Q, C, R, S)/dalpha at y = (Q, C, R, S). */
  rhs(y: ArrayLike<number>, eta: number, out: Float64Array = new Float64Array(4)): Float64Array {
    const p = this.load(y, eta);
    this.core.exports.evaluateSymmetricRhs();
    const v = this.core.f64;
    for (let i = 0; i < 4; i++) out[i] = v[p + 4 + i];
    this.evaluations++;
    this.meter?.tick();
    return out;
  }
  eg(y: ArrayLike<number>): number {
    this.load(y, 1);
    return this.core.exports.evaluateSymmetricGeneralizationError();
  }
}

// Large networks (docs/theory.md section 11): the site-symmetric setting K = M, T = t I, equal
// output weights, where T, v, v* and the initial overlaps are single numbers (per-command variants
// of the setting's matrices and vectors), and the options of the plateau and of the learning-rate
// limits against K.
import { option, variant } from "../option";
import { activation, K, Q0, R0, T, teacherActivation, v, vStar } from "./setting";
import { precision } from "./fixedPoints";
import { DEFAULT_ETA_LIMITS_K } from "../../symmetric/etaLimits";

/** Largest K of the site-symmetric functions (src/symmetric/options.ts MAX_SYMMETRIC_UNITS). */
const MAX_UNITS = 1e6;

export const symmetricActivation = variant(activation, { default: "erf", help: "activation g of the student's hidden units (and of the teacher's unless --teacher-activation)" });

export const symmetricK = variant(K, {
  range: { min: 1, max: MAX_UNITS }, default: 2, defaultText: undefined,
  help: "student hidden units = teacher hidden units (the cost does not grow with K)",
  web: { label: "K (= M, units of student and teacher)", value: "100", hint: "1 … 10⁶; the cost does not grow with K" },
});

/** The plateau R = S needs a teacher other than the student's own: K >= 2. */
export const plateauK = variant(symmetricK, { range: { min: 2, max: MAX_UNITS } });

export const symmetricT = variant(T, {
  type: "number", range: { min: 0, minExclusive: true }, default: 1, defaultText: undefined,
  help: "the teacher overlaps are T = t I: the number t",
  web: { label: "t (teacher overlaps T = t I)", value: undefined, hint: undefined },
});

export const symmetricV = variant(v, { type: "number", default: 1, defaultText: undefined, help: "output weight v of every student unit" });
export const symmetricVStar = variant(vStar, { type: "number", default: 1, defaultText: undefined, help: "output weight v* of every teacher unit" });

export const symmetricTeacherActivation = variant(teacherActivation, { help: "activation of the teacher's units only (a student/teacher mismatch)" });

/** The setting of the site-symmetric commands, in the order of the help texts. */
export const SYMMETRIC_SETTING = [symmetricActivation, symmetricTeacherActivation, symmetricK, symmetricT, symmetricV, symmetricVStar] as const;

export const symmetricQ0 = variant(Q0, {
  type: "number", range: { min: 0, minExclusive: true }, default: 0.2, defaultText: undefined,
  help: "initial Q = Q_ii (the students' squared norms)",
  web: { label: "Q0 (initial Q_ii)", value: undefined },
});

export const C0 = option({
  name: "C0", flag: "C0", type: "number", group: "setting", default: 0,
  help: "initial C = Q_ik, i != k (the overlap matrix must stay positive semi-definite)",
  web: { label: "C0 (initial Q_ik, i ≠ k)" },
});

export const symmetricR0 = variant(R0, {
  type: "number", default: 1e-3, defaultText: undefined,
  help: "initial R = R_ii (each student's overlap with its own teacher)",
  web: { label: "R0 (initial R_ii)", value: undefined, hint: undefined },
});

export const S0 = option({
  name: "S0", flag: "S0", type: "number", group: "setting", default: 0,
  help: "initial S = R_in, i != n (overlap with the other teachers)",
  web: { label: "S0 (initial R_in, i ≠ n)" },
});

/** The plateau's search starts from (Q0, C0, R0 = S0): the approach to the plateau. */
export const plateauQ0 = variant(symmetricQ0, { group: "plateau", help: "Q where the approach to the plateau starts" });
export const plateauC0 = variant(C0, { group: "plateau", help: "C where the approach to the plateau starts" });
export const plateauR0 = variant(symmetricR0, { group: "plateau", default: 0, help: "R = S where the approach to the plateau starts" });

export const delta = option({
  name: "delta", flag: "delta", type: "number", range: { min: 0, minExclusive: true, max: 0.1 }, group: "plateau",
  help: "initial specialisation R - S on the plateau: gives the predicted plateau length",
  web: { label: "δ (initial specialisation R − S)", value: "1e-3" },
});

export const escapeConstant = option({
  name: "escapeConstant", flag: "escape-constant", type: "boolean", negatable: true, group: "plateau", defaultText: "on when --delta is given",
  help: "determine D of ln(D/delta)/lambda by integrating the escape from the plateau (slow for large K: the escape takes ~ln(1/delta)/lambda)",
  web: { label: "also determine D of ln(D/δ)/λ (integrates the escape)" },
});

/** Activations of `scm eta-limits`: several give one set of rows each, drawn in one figure. */
export const etaLimitsActivation = option({
  ...symmetricActivation, multiple: true, default: ["erf"],
  help: "activation(s) g of the units; several (comma-separated) give one set of rows each, drawn in one figure",
});

export const etaLimitsK = option({
  name: "K", flag: "K", type: "list", range: { min: 2, max: MAX_UNITS, integer: true }, minLength: 1, group: "setting", default: DEFAULT_ETA_LIMITS_K,
  help: "numbers of units K = M (one row each)",
  web: { id: "etaLimitsK", label: "K of the η limits", hint: "comma-separated, 2 … 10⁶" },
});

export const etaLimitsPrecision = variant(precision, {
  range: { min: 1e-8, max: 0.1 }, default: 1e-4,
  help: "relative precision of etaOptimalEscape (the maximum of the escape rate is flat: lambda itself is known far better)",
  web: { label: "relative precision of the fastest-escape η" },
});

export const escape = option({
  name: "escape", flag: "escape", type: "boolean", negatable: true, group: "thresholds", default: true,
  help: "also find the eta that maximises the escape rate from the plateau (the costly part)",
});

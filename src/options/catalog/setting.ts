// The teacher-student setting of the order-parameter ODE and the SGD simulation (docs/theory.md
// section 1): activations, the numbers of units, the teacher's overlaps, the initial condition and
// the second-layer weights.
import { option } from "../option";
import { ACTIVATIONS } from "../values";
import { outputScaling } from "./training";

export const activation = option({
  name: "activation", flag: "activation", type: "enum", values: ACTIVATIONS, group: "setting", default: "relu",
  help: "activation g of the student's hidden units (and of the teacher's unless --teacher-activation)",
  web: { label: "activation" },
});

export const teacherActivation = option({
  name: "teacherActivation", flag: "teacher-activation", type: "enum", values: ACTIVATIONS, group: "setting", defaultText: "--activation",
  help: "activation of the teacher's units only; a different one is a student/teacher mismatch (method exact only)",
  web: { label: "teacher activation", hint: "same: the student's; a mismatch needs the exact averages" },
});

export const leakyReluSlope = option({
  name: "slope", flag: "slope", type: "number", group: "setting", default: 0.01,
  help: "slope a of leakyRelu, max(x, a x) (either side; a = -1 is abs)",
  web: { label: "leaky ReLU slope a", hint: "max(x, a x); used by leakyRelu only" },
});

export const hermiteCoefficients = option({
  name: "hermiteCoefficients", flag: "hermite-coefficients", type: "list", minLength: 1, maxLength: 9, group: "setting",
  defaultText: "required with activation hermiteCoefficients",
  help: "coefficients c_0,c_1,... of g = sum_n c_n He_n (probabilists' Hermite, n <= 8) for activation hermiteCoefficients",
  web: { label: "Hermite coefficients c₀, c₁, …", hint: "g = Σ cₙ Heₙ(x), comma-separated; activation hermiteCoefficients only" },
});

export const K = option({
  name: "K", flag: "K", type: "integer", range: { min: 1, max: 100 }, group: "setting", defaultText: "from --Q0 or --R0, else 2",
  help: "student hidden units",
  web: { label: "K (student units)", value: "2" },
});

export const M = option({
  name: "M", flag: "M", type: "integer", range: { min: 1, max: 100 }, group: "setting", defaultText: "from --T or --R0, else 2",
  help: "teacher hidden units",
  web: { label: "M (teacher units)", value: "2" },
});

export const T = option({
  name: "T", flag: "T", type: "matrix", group: "setting", defaultText: "eye; diag:1,2 in the reference setting",
  help: "teacher overlaps T_nm, M x M, positive definite",
  web: { label: "T (teacher overlaps, M × M)", value: "diag:1,2", hint: `rows separated by ";" ("1,0;0,2"), "diag:1,2", "eye", "0.5*eye" or "zeros"` },
});

export const Q0 = option({
  name: "Q0", flag: "Q0", type: "matrix", group: "setting", defaultText: "diag:0.1,0.2 in the reference setting; required when --K, --M, --T or --R0 is given",
  help: "initial student overlaps Q_ik, K x K",
  web: { label: "Q0 (initial student overlaps, K × K)", value: "diag:0.1,0.2" },
});

export const R0 = option({
  name: "R0", flag: "R0", type: "matrix", group: "setting", defaultText: "1e-3*eye in the reference setting; required when --K, --M, --T or --Q0 is given",
  help: "initial student-teacher overlaps R_in, K x M; C0 = [[Q0, R0], [R0^T, T]] must be positive definite",
  web: { label: "R0 (initial student-teacher overlaps, K × M)", value: "0.001*eye", hint: "[[Q0, R0], [R0ᵀ, T]] must be positive definite" },
});

export const v = option({
  name: "v", flag: "v", type: "vector", group: "setting", defaultText: "all 1",
  help: "second-layer weights of the student, one per student unit",
});

export const vStar = option({
  name: "vStar", flag: "v-star", type: "vector", group: "setting", defaultText: "all 1",
  help: "second-layer weights of the teacher, one per teacher unit",
});

/** The setting of the ODE and the simulation, in the order of the help texts. */
export const SETTING = [activation, teacherActivation, leakyReluSlope, hermiteCoefficients, K, M, T, Q0, R0, v, vStar, outputScaling] as const;

/** Overlaps given directly (eps_g of a state): Q and R instead of the initial Q0 and R0. */
export const Q = option({ name: "Q", flag: "Q", type: "matrix", group: "setting", help: "student overlaps Q_ik, K x K (required)" });
export const R = option({ name: "R", flag: "R", type: "matrix", group: "setting", help: "student-teacher overlaps R_in, K x M (required)" });

// Fixed points of the ODE, continuation of a branch and the learning-rate thresholds
// (docs/theory.md section 4).
import { option, variant } from "../option";
import { learningRate } from "./learning";
import { step } from "./numerics";

export const symmetric = option({
  name: "symmetric", flag: "symmetric", type: "boolean", group: "fixedPoints", default: false,
  help: "search only the unspecialised subspace (Q_ii = q, Q_ik = c, R_in = r_n)",
});

export const multiStart = option({
  name: "multiStart", flag: "multi-start", type: "integer", range: { min: 0, max: 10000 }, group: "fixedPoints", default: 24,
  help: "seeded random Newton starts",
  web: { label: "random Newton starts" },
});

export const fixedPointSeed = option({
  name: "seed", flag: "seed", type: "integer", range: { min: 0, max: 2 ** 32 - 1 }, group: "fixedPoints", default: 1,
  help: "seed of the random starts",
  web: { label: "seed of the starts" },
});

export const guessQ = option({ name: "guessQ", flag: "guess-Q", type: "matrix", group: "fixedPoints", help: "Q of an extra starting point (with --guess-R)" });
export const guessR = option({ name: "guessR", flag: "guess-R", type: "matrix", group: "fixedPoints", help: "R of an extra starting point (with --guess-Q)" });

/** Continuation starts at this learning rate (default 0.5: below the plateau's fold). */
export const branchLearningRate = variant(learningRate, { default: 0.5, help: "learning rate where the branch starts", web: { id: "branchEta", label: "η where the plateau branch starts" } });

export const parameter = option({
  name: "parameter", flag: "parameter", type: "text", group: "continuation", default: "eta", placeholder: "eta|T:n,m",
  help: "continuation parameter: eta, or T:n,m for the teacher overlap T_nm = T_mn (1-based, 1 <= n, m <= M)",
});

export const min = option({ name: "min", flag: "min", type: "number", group: "continuation", defaultText: "0.001 for eta", help: "smallest parameter value" });
export const max = option({
  name: "max", flag: "max", type: "number", group: "continuation", defaultText: "10 for eta", help: "largest parameter value",
  web: { id: "branchMax", label: "largest η of the continuation" },
});

export const continuationStep = variant(step, { group: "continuation", range: { min: 1e-8, max: 1, minExclusive: true }, default: 0.02, help: "first arclength step" });

export const full = option({ name: "full", flag: "full", type: "boolean", group: "continuation", default: false, help: "continue in the full space instead of the symmetric subspace (needs --guess-Q and --guess-R)" });

export const direction = option({ name: "direction", flag: "direction", type: "enum", values: ["1", "-1"], group: "continuation", default: "1", help: "initial direction of the parameter" });

export const precision = option({
  name: "precision", flag: "precision", type: "number", range: { min: 1e-12, max: 0.1 }, group: "thresholds", default: 1e-7,
  help: "absolute precision of each threshold in eta",
  web: { label: "precision of the thresholds (absolute, in η)" },
});

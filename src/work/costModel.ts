// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by `npm run bench:calibrate` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: "2026-12-06, AMD EPYC, 2 cores, Node v20.20.2",
  /**
   * Right-hand side per "student/teacher" activation: [c0, c3, c4, c4d], seconds = c0 + c3 nI3 +
   * c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: {"relu/relu":[6.208e-7,0,0,0.000002118],"relu/erf":[0,0,5.443e-7,0.000006397],"relu/linear":[3.94e-7,0,4.535e-7,0.000002297],"erf/relu":[0.000001292,1.823e-7,6.557e-10,4.393e-7],"erf/erf":[1.883e-7,0,6.931e-8,0],"erf/linear":[0,0,2.626e-7,2.311e-7],"linear/relu":[0,8.719e-9,2.299e-7,4.145e-8],"linear/erf":[0,2.7e-7,0,2.114e-7],"linear/linear":[1.8e-7,0,2.099e-8,0]} as Record<string, [number, number, number, number]>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: {"ratioAt10":9.057,"exponent":2.031},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: {"relu":[0.00000125,1.036e-9],"erf":[3.507e-7,1.477e-9],"linear":[6.884e-7,1.725e-9]} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: 3.039e-10,
  /** Instantiating the core. */
  instance: 0.0004387,
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: 28.31,
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: {"gradient":2.087e-7,"hessian":0.000001891,"vectorFieldPoint":0.000007817,"criticalStart":0.00008185,"sampledInput":3.462e-7,"trainUnit":3.778e-8,"minimization":0.0005404,"transitionMinimization":0.000241,"siteCheck":3.341e-8} as Record<string, number>,
};

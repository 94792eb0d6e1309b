// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by `npm run bench:calibrate` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: "2026-12-06, AMD EPYC, 2 cores, Node v20.20.2",
  /**
   * Right-hand side per "student/teacher" activation: [c0, c3, c4, c4d], seconds = c0 + c3 nI3 +
   * c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: {"relu/relu":[0.00000307,0,0,0.000002678],"relu/erf":[0,0,0.000001111,0.000003112],"relu/linear":[0,1.47e-7,3.967e-8,0.000001044],"erf/relu":[0,3.035e-7,0,3.625e-7],"erf/erf":[5.998e-8,0,8.663e-8,4.171e-8],"erf/linear":[0,9.95e-8,1.31e-7,2.669e-7],"linear/relu":[3.577e-7,0,2.079e-7,8.986e-8],"linear/erf":[0,2.695e-7,0,0.000001127],"linear/linear":[8.559e-8,2.506e-8,0,2.421e-8]} as Record<string, [number, number, number, number]>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: {"ratioAt10":9.433,"exponent":2.266},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: {"relu":[6.504e-7,1.085e-9],"erf":[3.883e-7,1.773e-9],"linear":[5.002e-7,1.428e-9]} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: 4.245e-10,
  /** Instantiating the core. */
  instance: 0.0001456,
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: 28.31,
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: {"gradient":1.403e-7,"hessian":3.721e-7,"vectorFieldPoint":0.000001161,"criticalStart":0.00002532,"sampledInput":3.227e-7,"trainUnit":1.796e-8,"minimization":0.0007105,"transitionMinimization":0.000126,"siteCheck":1.091e-9} as Record<string, number>,
};

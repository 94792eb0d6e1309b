// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by `npm run bench:calibrate` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: "2026-12-06, AMD EPYC, 2 cores, Node v20.20.2",
  /**
   * Right-hand side per "student/teacher" activation: [c0, c3, c4, c4d], seconds = c0 + c3 nI3 +
   * c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: {"relu/relu":[0.000002599,0,0,0.000005349],"relu/erf":[0,0.000001834,0,0.000006985],"relu/linear":[0,4.342e-7,0,0.00000247],"erf/relu":[0,1.887e-7,3.497e-7,5.301e-7],"erf/erf":[2.608e-7,1.15e-7,0,6.657e-8],"erf/linear":[0,3.632e-7,0,0.000002328],"linear/relu":[7.36e-7,4.311e-7,0,5.38e-7],"linear/erf":[0.000001766,6.067e-7,0,2.88e-7],"linear/linear":[2.426e-7,2.386e-8,6.907e-9,4.316e-8]} as Record<string, [number, number, number, number]>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: {"ratioAt10":6.217,"exponent":1.98},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: {"relu":[9.753e-7,1.599e-9],"erf":[0.00000136,2.008e-9],"linear":[9.757e-7,2.085e-9]} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: 1.664e-9,
  /** Instantiating the core. */
  instance: 0.0004984,
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: 28.31,
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: {"gradient":8.117e-7,"hessian":0.00001742,"vectorFieldPoint":0.000007375,"criticalStart":0.00007024,"sampledInput":3.643e-7,"trainUnit":1.602e-8,"minimization":0.0007847,"transitionMinimization":0.0002687} as Record<string, number>,
};

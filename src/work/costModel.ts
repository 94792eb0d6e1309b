// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by `npm run bench:calibrate` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: "2026-12-06, AMD EPYC, 2 cores, Node v20.20.2",
  /**
   * Right-hand side per "student/teacher" activation, without its orthant panels: [c0, c3, c4, c4d],
   * seconds = c0 + c3 nI3 + c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: {"relu/relu":[0.000001391,4.427e-8,0,3.508e-7],"relu/erf":[0.000001177,2.069e-7,0,5.763e-7],"relu/linear":[6.376e-7,7.366e-8,9.329e-8,2.531e-7],"erf/relu":[0.000001442,1.401e-7,0,1.806e-7],"erf/erf":[8.406e-7,5.389e-10,1.461e-8,5.335e-9],"erf/linear":[7.795e-7,0,1.469e-7,1.117e-7],"linear/relu":[7.258e-7,9.072e-8,9.309e-9,8.029e-8],"linear/erf":[6.411e-7,1.699e-7,0,3.283e-7],"linear/linear":[0.000001032,0,9.247e-9,4.448e-9]} as Record<string, [number, number, number, number]>,
  /** Right-hand side of each other activation (docs/theory.md section 10; student and teacher alike) relative to relu's, panels included (bench/calibrateActivations.ts). */
  activationFactor: {"leakyRelu":1.057,"abs":1.037,"square":0.4163,"hermite2":0.4145,"hermite3":0.5596,"hermite4":0.7934,"tanh":1070,"sigmoid":161.6,"gelu":60.76,"silu":302.4,"softplus":370.9,"hermiteCoefficients":0.8147} as Record<string, number>,
  /** Seconds of one Gauss-Kronrod panel of the ReLU orthant quadrature (charged per panel the kernel counts). */
  orthantPanel: 3.363e-7,
  /** Typical orthant panels per distinct I4, per activation pair that uses them (mean over the calibration's states), for estimates. */
  panelsPerDistinctI4: {"relu/relu":10.85,"relu/erf":6.606,"relu/linear":2.444} as Record<string, number>,
  /** Site-symmetric right-hand side (K-independent) per "student/teacher" activation, without its orthant panels. */
  symmetricRhs: {"relu/relu":0.000007178,"relu/erf":0.00002112,"relu/linear":0.000006413,"erf/relu":0.000005077,"erf/erf":0.000001572,"erf/linear":0.000004772,"linear/relu":0.000004469,"linear/erf":0.000004859,"linear/linear":0.000001068} as Record<string, number>,
  /** Typical orthant panels of a site-symmetric right-hand side (mean over the calibration's states), for estimates. */
  symmetricPanels: {"relu/relu":65.33,"relu/erf":74.33,"relu/linear":14} as Record<string, number>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: {"ratioAt10":25.46,"exponent":2.243},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: {"relu":[1.599e-7,7.462e-10],"erf":[5.561e-7,6.673e-10],"linear":[2.109e-7,6.319e-10],"leakyRelu":[1.912e-7,8.099e-10],"abs":[2.298e-7,7.092e-10],"square":[2.373e-7,7.182e-10],"hermite2":[2.404e-7,7.186e-10],"hermite3":[2.382e-7,7.154e-10],"hermite4":[2.278e-7,7.072e-10],"tanh":[3.022e-7,7.395e-10],"sigmoid":[2.593e-7,7.233e-10],"gelu":[2.988e-7,7.454e-10],"silu":[2.839e-7,7.347e-10],"softplus":[2.951e-7,7.926e-10],"hermiteCoefficients":[2.341e-7,7.739e-10]} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: 2.638e-10,
  /** Instantiating the core. */
  instance: 0.0003762,
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: 28.31,
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: {"gradient":7.793e-8,"hessian":0.000001457,"vectorFieldPoint":0.000002114,"criticalStart":0.00001258,"sampledInput":1.84e-7,"trainUnit":1.323e-8,"minimization":0.0003121,"transitionMinimization":0.0001168,"siteCheck":3.145e-9,"plateau.relu":0.05222,"etaLimitsRow.relu":1.741,"etaLimitsPerfect.relu":0.08904,"plateau.erf":0.01672,"etaLimitsRow.erf":0.1394,"etaLimitsPerfect.erf":0.01733} as Record<string, number>,
};

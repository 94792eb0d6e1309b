// Measured cost constants of the work estimates (src/work/estimates.ts), in seconds on one
// thread. Written by `npm run bench:calibrate` (bench/calibrate.ts); do not edit by hand: rerun it
// on an idle machine after changing a kernel. The fit residuals are in bench/RESULTS.md.
export const COST_MODEL = {
  measured: "2026-12-06, AMD EPYC, 2 cores, Node v20.20.2",
  /**
   * Right-hand side per "student/teacher" activation, without its orthant panels: [c0, c3, c4, c4d],
   * seconds = c0 + c3 nI3 + c4 (nI4 - nI4distinct) + c4d nI4distinct (src/work/estimates.ts rhsAverages).
   */
  rhs: {"relu/relu":[0.000001038,0,6.96e-8,3.927e-7],"relu/erf":[5.972e-7,2.855e-7,0,6.508e-7],"relu/linear":[6.499e-7,8.497e-8,5.786e-8,3.33e-7],"erf/relu":[6.811e-7,1.482e-7,0,1.735e-7],"erf/erf":[7.666e-7,8.759e-9,2.209e-8,2.052e-8],"erf/linear":[6.682e-7,1.229e-7,0,1.44e-7],"linear/relu":[7.291e-7,8.959e-8,0,8.099e-8],"linear/erf":[7.837e-7,1.44e-7,0,1.272e-7],"linear/linear":[7.883e-7,6.827e-9,3.868e-9,4.131e-9]} as Record<string, [number, number, number, number]>,
  /** Right-hand side of each other activation (docs/theory.md section 10; student and teacher alike) relative to relu's, panels included (bench/calibrateActivations.ts). */
  activationFactor: {"leakyRelu":1.265,"abs":1.111,"square":0.4222,"hermite2":0.4367,"hermite3":0.4304,"hermite4":0.7901,"tanh":3598,"sigmoid":511.9,"gelu":57.26,"silu":749.7,"softplus":552.8,"hermiteCoefficients":1.021} as Record<string, number>,
  /** Seconds of one Gauss-Kronrod panel of the ReLU orthant quadrature (charged per panel the kernel counts). */
  orthantPanel: 3.065e-7,
  /** Typical orthant panels per distinct I4, per activation pair that uses them (mean over the calibration's states), for estimates. */
  panelsPerDistinctI4: {"relu/relu":10.85,"relu/erf":6.606,"relu/linear":2.444} as Record<string, number>,
  /** Site-symmetric right-hand side (K-independent) per "student/teacher" activation, without its orthant panels. */
  symmetricRhs: {"relu/relu":0.000007609,"relu/erf":0.00001201,"relu/linear":0.000006641,"erf/relu":0.000004988,"erf/erf":0.000001528,"erf/linear":0.000004274,"linear/relu":0.000003215,"linear/erf":0.000004849,"linear/linear":0.000001005} as Record<string, number>,
  /** Typical orthant panels of a site-symmetric right-hand side (mean over the calibration's states), for estimates. */
  symmetricPanels: {"relu/relu":65.33,"relu/erf":74.33,"relu/linear":14} as Record<string, number>,
  /** Hermite method (series only for four distinct variables): c4d times ratioAt10 (N / 10)^exponent. */
  hermite: {"ratioAt10":17.16,"exponent":2.39},
  /** SGD per input of a step, per student activation: [s0, s1], seconds = s0 + s1 d (K + M). */
  sgd: {"relu":[2.103e-7,5.259e-10],"erf":[2.81e-7,6.707e-10],"linear":[2.127e-7,6.018e-10],"leakyRelu":[3.188e-7,7.681e-10],"abs":[2.5e-7,9.312e-10],"square":[3.038e-7,8.308e-10],"hermite2":[2.255e-7,8.293e-10],"hermite3":[2.147e-7,8.286e-10],"hermite4":[1.955e-7,7.862e-10],"tanh":[3.511e-7,8.931e-10],"sigmoid":[2.851e-7,9.321e-10],"gelu":[2.69e-7,1.019e-9],"silu":[4.774e-7,8.395e-10],"softplus":[2.976e-7,8.769e-10],"hermiteCoefficients":[2.501e-7,7.791e-10]} as Record<string, [number, number]>,
  /** Recording one SGD sample: seconds per d D (D = K(K+1)/2 + K M order parameters). */
  sgdRecord: 2.657e-10,
  /** Instantiating the core. */
  instance: 0.0003014,
  /** Right-hand sides of one Newton start, in units of 2D + 2 (a central Jacobian and a step). */
  newtonJacobiansPerStart: 28.31,
  /** Host computations: seconds per unit (units in bench/calibrate.ts). */
  host: {"gradient":9.369e-8,"hessian":0.000001675,"vectorFieldPoint":4.696e-7,"criticalStart":0.00001351,"sampledInput":1.373e-7,"trainUnit":9.289e-9,"minimization":0.0002389,"transitionMinimization":0.00009697,"siteCheck":1.446e-9,"plateau.relu":0.04639,"etaLimitsRow.relu":0.5074,"etaLimitsPerfect.relu":0.03614,"plateau.erf":0.01062,"etaLimitsRow.erf":0.1074,"etaLimitsPerfect.erf":0.01684} as Record<string, number>,
};

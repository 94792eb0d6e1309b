// The commands of `scm`: what each does (one line for the command list, a paragraph for its help)
// and which options it takes. The CLI's parser, every --help text and docs/cli.md are derived from
// this table. Adding a command: one entry here and its run function in src/cli/commands.ts.
import type { OptionSpec } from "./option";
import { SETTING } from "./catalog/setting";
import { TRAINING, trainingSetSize } from "./catalog/training";
import { alphaMax, alphas, etaMax, learningRate, learningRateSchedule, learningRates, samples, sgdAlphaMax, sgdSamples } from "./catalog/learning";
import { atol, averageTolerance, convergenceTolerance, divergenceBound, hermiteOrder, integrator, maxSteps, method, rtol, step } from "./catalog/numerics";
import { batch, compareRuns, d, matching, perRun, restartAlpha, runs, seed, testInputs, threads } from "./catalog/simulation";
import { branchLearningRate, continuationStep, direction, fixedPointSeed, full, guessQ, guessR, max, min, multiStart, parameter, precision, symmetric } from "./catalog/fixedPoints";
import { regimesConvergenceTolerance, regimesIntegrator, regimesRtol } from "./catalog/thresholds";
import { equilibriumActivation, equilibriumAlphaMax, equilibriumK, equilibriumSamples, siteSymmetry, transitionsK } from "./catalog/equilibrium";
import { angleCount, checkDimension, grid, popgradK, sampleSizes, starts, tMax, trials, xRange, yRange } from "./catalog/populationGradient";
import { batchFile, batchJson, batchSize, n0, n1, noise, optimalRateMethod, rates, singleLayerActivation, slope, testSize, trainingSeed, trainingSteps } from "./catalog/optimalLearningRate";
import { concurrency, errorEstimate, every, format, formatJsonTable, mergeOut, out, outDir, plot, plotAt, plotFlatness, plotOut, plotThreshold, plotX, plotY, plotZ, remote, retries, shard, sweepOut, timeout, workers } from "./catalog/output";
import { PLOT_QUANTITIES_HELP } from "../sweep/heatmap";
import { maxWork } from "./catalog/control";
import { extraUnits, overActivations, overAlphaMax, overConvergenceTolerance, overD, overLearningRate, overM, overNoise, overRtol, overRuns, overSeed, simulatePoints, simulationAlpha } from "./catalog/overparameterisation";
import { learningRate2 } from "./catalog/training";
import { C0, delta, escape, escapeConstant, etaLimitsActivation, etaLimitsK, etaLimitsPrecision, plateauC0, plateauK, plateauQ0, plateauR0, S0, symmetricActivation, symmetricK, symmetricTeacherActivation, symmetricQ0, symmetricR0, symmetricT, symmetricV, symmetricVStar, SYMMETRIC_SETTING } from "./catalog/symmetric";
import { curveSamples, gradientTolerance, horizon, initialRates, intervals, maxIterations, objective, scheduleEtaMax, scheduleStep } from "./catalog/schedules";
import { variant } from "./option";

export interface CommandSpec {
  name: string;
  /** One line: the command list of `scm --help` and docs/cli.md. */
  summary: string;
  /** After "scm <name>" in the usage line (default "[options]"). */
  usage?: string;
  /** What it computes and how (paragraphs of the help text). */
  description: string;
  /** Every option, in the order of the help text (grouped by their group there). */
  options: readonly OptionSpec[];
  /** Closing paragraphs: output keys, exit codes, how to read the digits. */
  notes?: string;
}

const checkSeed = variant(seed, { group: "populationGradient", help: "seed of the sampled inputs" });
const numericsOfRhs = [method, hermiteOrder, averageTolerance] as const;
const odeNumerics = [method, hermiteOrder, averageTolerance, integrator, step, rtol, atol, maxSteps, divergenceBound, convergenceTolerance] as const;
const REFERENCE = "Without any of --K --M --T --Q0 --R0: the reference setting of [E] Fig. 1 (relu, K = M = 2, T = diag(1,2), Q0 = diag(0.1,0.2), R0 = 1e-3*eye).";
const MATRICES = `MATRIX is "1,0;0,2" (rows separated by ';'), "diag:1,2", "eye", "0.1*eye" or "zeros".`;

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "figure1",
    summary: "the main job (npm start): [E] Fig. 1, the ODE next to 10 SGD runs at d = 1000; a table on stdout, figure and data in output/",
    description: `[E] Fig. 1 reproduced: the reference setting (relu, K = M = 2, T = diag(1,2), Q0 = diag(0.1,0.2), R0 = 1e-3*eye, eta = 1), its ODE (exact averages, RK4, step 0.01) and online-SGD runs (seed 1) on alpha = 0, 1, ..., 300. Prints alpha, the ODE's eps_g and the simulation's mean ± std every 20 alpha, and writes <out-dir>/figure1.svg (Q, R, eps_g panels), figure1.json and figure1.csv (every sample of both curves, deviations in standard errors).`,
    options: [outDir, variant(compareRuns, { help: "SGD runs (at least 2, for a standard error), seeded from seed 1" }), d, threads, maxWork],
    notes: "Exit code 0 when both the ODE and the runs completed, 1 otherwise, 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "reference",
    summary: "integrate the reference setting, print a table with verified digits, write JSON and CSV (default folder output/)",
    description: "Integrates the reference setting of [E] Fig. 1 (relu, K = M = 2, T = diag(1,2), Q0 = diag(0.1,0.2), R0 = 1e-3*eye, eta = 1, exact averages, RK4 with step 0.01, alpha = 0..300 in 301 samples), prints every 30th sample with the digits confirmed by a half-step rerun, and writes <out-dir>/reference.json and <out-dir>/reference.csv.",
    options: [outDir, maxWork],
  },
  {
    name: "ode",
    summary: "typical learning curve of online SGD from the order-parameter ODE",
    description: `The typical learning curve of online SGD in a teacher-student soft committee machine: the order-parameter ODE (docs/theory.md section 1). ${REFERENCE}\n${MATRICES} The initial C0 = [[Q0, R0], [R0^T, T]] must be symmetric positive definite.`,
    options: [...SETTING, learningRate, learningRateSchedule, etaMax, ...TRAINING, alphaMax, samples, alphas, ...odeNumerics, format, out, every, errorEstimate, maxWork],
    notes: "JSON keys: alpha, eg, eta (the learning rate per sample), Q, R, v (the student's output weights per sample), egNoisy (eps_g + noise^2 / 2), status, message, stats, options (plus hermite, greedy with --eta-schedule greedy, warnings). --eta-schedule greedy is myopic: on a plateau its rate shrinks and the trajectory may never escape; the greedy report (and a warning) says when it stalled. Data goes to stdout (or --out), status and warnings to stderr. Exit code 0 when a curve was computed (whatever its status), 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "sgd",
    summary: "finite-d online SGD simulations: mean and spread of many seeded runs",
    description: `Online SGD of the teacher-student soft committee machine at finite input dimension d (docs/theory.md section 3): many seeded runs, their mean and standard deviation. ${REFERENCE}\n${MATRICES} Samples are rounded to whole SGD steps: alpha = steps * batch / d.`,
    options: [...SETTING, learningRate, learningRateSchedule, etaMax, ...TRAINING, sgdAlphaMax, sgdSamples, alphas, d, runs, seed, batch, trainingSetSize, threads, testInputs, divergenceBound, matching, perRun, format, out, every, maxWork],
    notes: "JSON keys: alpha, eg, eta (the learning rate of the step at each sample; greedy: each run's own, so mean and std), Q, R (each {mean, std}), egTest (with --test-inputs), runs (with --per-run), assignments, status, message, stats, options. Student units are matched to teachers (student i <-> teacher i) by the permutation maximising the summed cosine of their overlaps with the teachers (docs/theory.md section 3.5); json lists how many runs end in each assignment. Tables print each mean with the digits its standard error supports. Exit code 0 when the runs finished (whatever their status), 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "compare",
    summary: "ODE and simulation on one alpha grid, deviation in standard errors, --plot FILE.svg",
    description: `The ODE (d -> infinity) next to the mean of finite-d SGD runs, on the simulation's alpha grid, with the deviation of the simulation mean from the ODE in standard errors (std / sqrt(runs)); runs are matched to the ODE's student units at the same alpha. ${REFERENCE}\n${MATRICES}`,
    options: [...SETTING, learningRate, learningRateSchedule, etaMax, ...TRAINING, sgdAlphaMax, sgdSamples, alphas, d, compareRuns, seed, batch, trainingSetSize, threads, testInputs, divergenceBound, matching, method, hermiteOrder, averageTolerance, integrator, step, rtol, atol, restartAlpha, plot, format, out, every, maxWork],
    notes: "JSON keys: alpha, ode {eg, Q, R, status}, simulation {eg, Q, R (each {mean, std}), status, stats}, deviation {eg, Q, R, maxAbs}, restart, options. Before the plateau escape, and over the whole curve from a strongly asymmetric start, the two agree within a few standard errors; around the escape finite-d fluctuations make the simulation escape earlier and more spread out (docs/theory.md section 3), which --restart-alpha shows. The figure (--plot) has three panels (Q, R, eps_g against alpha; simulation mean with a band of one standard deviation, ODE dashed).",
  },
  {
    name: "sweep",
    summary: "a command (ode, sgd, eta-regimes, optimal-schedule, transitions, ode-symmetric, plateau) over a grid of parameters on worker threads, one JSON line per point, resumable",
    usage: "<command> <options of the command> --out FILE [--workers N | --remote URL,...] [--shard I/N]  |  merge FILE... --out FILE  |  plot FILE --x X --y Y --z Z",
    description: "Runs a command over a grid of parameters, the points in parallel, each result appended to FILE as one JSON line. e.g. scm sweep ode --eta 0.5,1,1.2 --K 2:4:1 --Q0 0.2*eye --R0 zeros --alpha-max 50 --out runs.jsonl",
    options: [sweepOut, workers, shard, remote, concurrency, timeout, retries, maxWork],
    notes: "Options are those of the command (scm <command> --help) without its output options. Every option given as a list or a range spans an axis; the grid is the cartesian product (the option given last varies fastest): a,b,c is a list; start:stop:step a range, stop included when a whole number of steps away (computed in decimal: 0.1:0.3:0.1 is exactly 0.1, 0.2, 0.3); lists may contain ranges. Matrices, vectors, lists and schedules (--T, --Q0, --R0, --v, --v-star, --alpha-points, --eta-schedule) contain commas themselves: lists of them are separated by \"|\", no ranges (in ode-symmetric and plateau --T, --Q0, --R0, --v and --v-star are numbers: lists and ranges as usual). Flags are never swept. At most 100000 points. Each line is {\"command\", \"options\" (the API's options, keys sorted), \"version\" (package version and WebAssembly core hash), \"result\" (the command's --format json object)} or, for a point that failed, \"error\" instead of \"result\"; \"note\" says how a point was computed when that is not the usual way. Rerunning the same command skips the points already in FILE (a FILE of another version is refused); a half-written last line left by an interrupted run is removed before appending. --shard I/N: a job array of N tasks covers the grid once (scm sweep merge joins their files). --remote: the points go to deployments of the edge entry (POST /point), the secret from the environment variable SCM_EDGE_SECRET; failed or late requests are retried with exponential back-off on another endpoint; a point above the endpoints' work limit is split by runs (sgd) or computed locally with a note; results equal a local run's bit for bit. Exit code 0 when every point has a result, 1 when some point failed (its line holds the error) or could not be computed remotely (rerun to resume), 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "fixed-points",
    summary: "fixed points of the ODE with residuals, eigenvalues and stability (--symmetric)",
    description: `Fixed points of the order-parameter ODE, F(u; eta) = 0 (docs/theory.md section 4), by Newton's method from perfect learning, the unspecialised ansatz and seeded random starts; each with its residual max |F|, eps_g, the Jacobian's eigenvalues and stability. ${REFERENCE} (--Q0 and --R0 only define the setting's shape here.)`,
    options: [...SETTING, learningRate, ...TRAINING, symmetric, multiStart, fixedPointSeed, guessQ, guessR, ...numericsOfRhs, formatJsonTable, out, maxWork],
    notes: "JSON: {fixedPoints: [{Q, R, eg, eigenvalues: [{re, im}], stability, unstableDirections, residual, jacobianError, ...}], learningRate, stats}. Values are printed to the digits they are known to.",
  },
  {
    name: "continue",
    summary: "continuation of a fixed point (default: the plateau) in eta or T_nm, folds, --plot",
    description: `Pseudo-arclength continuation of a fixed point in eta (or a teacher overlap), with folds (saddle-nodes) located to ~1e-10; by default the unspecialised plateau of the setting's initial condition, in the symmetric subspace ([E] Fig. 2b). ${REFERENCE}`,
    options: [...SETTING, branchLearningRate, ...TRAINING, parameter, min, max, continuationStep, full, guessQ, guessR, direction, ...numericsOfRhs, format, out, plot, maxWork],
    notes: "JSON: {parameter, values, Q, R, eg, stability, eigenvalues, folds: [{value, Q, R, eg, smallestSingularValue, eigenvalues}], status, message}. The figure (--plot): the branch's Q, R and eps_g against the parameter.",
  },
  {
    name: "eta-regimes",
    summary: "the learning-rate thresholds of docs/theory.md section 4 (non-monotonic eps_g, fold, divergence, perfect-learning stability)",
    description: `The learning-rate thresholds of docs/theory.md section 4 for a setting and initial condition, each by bisection or continuation to an absolute precision in eta, with its definition and bracket: etaNonmonotonic, etaFold, etaDivergence, etaPerfectStable. ${REFERENCE}`,
    options: [...SETTING, ...TRAINING, precision, regimesIntegrator, step, regimesRtol, atol, regimesConvergenceTolerance, divergenceBound, ...numericsOfRhs, formatJsonTable, out, maxWork],
    notes: "JSON: {etaNonmonotonic, etaFold, etaDivergence, etaPerfectStable: each {value, bracket, definition, method, message, accuracy}, settings, stats}. Each value is printed with no digit finer than its bracket.",
  },
  {
    name: "eta-sweep",
    summary: "learning curves for several learning rates, --plot FILE.svg",
    description: `Learning curves eps_g(alpha) of the ODE for several learning rates ([E] Fig. 2a). ${REFERENCE}`,
    options: [...SETTING, learningRates, ...TRAINING, alphaMax, samples, alphas, ...odeNumerics, format, out, variant(every, { default: undefined, defaultText: "10 for tables, else 1" }), plot, maxWork],
    notes: "JSON: {learningRates, curves: [{eta, alpha, eg, status, message}]}. The figure (--plot): eps_g against alpha, one curve per eta (log axis).",
  },
  {
    name: "overparameterisation",
    summary: "final eps_g of students with K = M + L units against L, first layer only vs both layers, with label noise; --plot FILE.svg",
    description: "The central result of Goldt et al. 2019 (docs/theory.md section 9): students with K = M + L hidden units learn from a teacher with M units (T = identity, v* = 1) whose labels carry Gaussian noise; for each L and activation, the ODE with the first layer only trained (v = 1) and with both layers trained (v from N(0, 1)) runs from a seeded initial condition until it converges or reaches --alpha-max, and its eps_g there is the point. With --simulate, SGD runs at finite d for each point, compared with the ODE at --simulation-alpha.",
    options: [overActivations, overM, extraUnits, overLearningRate, learningRate2, overNoise, overAlphaMax, overConvergenceTolerance, overRtol, overSeed, simulatePoints, overD, overRuns, simulationAlpha, format, out, plot, maxWork],
    notes: "JSON: {points: [{activation, layers, L, K, eg, egNoisy, status, alphaReached, steps, v, norms, initial, simulation}], status, message, stats, options}; csv: one row per point. status \"converged\": max |du/dalpha| fell below --convergence-tolerance; \"completed\": --alpha-max came first, and eps_g is the value there. The table prints eps_g to 4 significant digits. The figure (--plot): final eps_g against L on a log axis, one panel per activation.",
  },
  {
    name: "optimal-lr",
    summary: "the exact optimal step of [L] for one batch of a single-layer network (JSON in)",
    usage: "--batch FILE.json | --json TEXT | --batch -",
    description: "The exact optimal step a* = num / den of [L] (docs/theory.md section 6) for one mini-batch of a single-layer network y = s(W x + b), s = relu, leakyRelu or identity. The JSON object holds W (n1 rows of n0 numbers), b (n1 numbers, optional: zeros), X (M rows of n0), Y (M rows of n1), and optionally activation and slope; --activation and --slope override them.",
    options: [batchFile, batchJson, variant(singleLayerActivation, { default: undefined, defaultText: "the batch's, else relu" }), variant(slope, { default: undefined, defaultText: "the batch's, else 0.01" }), optimalRateMethod, formatJsonTable, out, maxWork],
    notes: "JSON keys: learningRate (null when not defined), numerator, denominator, defined, loss, predictedLoss, firstKink, exact, method, shape, agreement. The table prints each number with the digits on which the Gram and gradient routes (two different summation orders) agree, at most 12. \"exact: yes\" means no pre-activation crosses a kink of s between 0 and a*, where [L]'s step is the exact minimiser of the loss along -grad L; otherwise a* minimises the local quadratic model only. Exit code 0 when a* is defined, 1 when the denominator is not positive, 2 on invalid input.",
  },
  {
    name: "optimal-lr-demo",
    summary: "training with the optimal step against fixed rates, --plot FILE.svg",
    description: "Mini-batch training of a single-layer network y = s(W x + b) on data from a random teacher (same seed: same teacher, test set, initial weights and batches for every run), with [L]'s optimal step against fixed learning rates (docs/theory.md section 6).",
    options: [singleLayerActivation, slope, n0, n1, batchSize, trainingSteps, rates, noise, testSize, trainingSeed, format, variant(every, { default: 20 }), out, plot, maxWork],
    notes: "Table: the test loss every --every steps and a summary; csv: one row per step, a test-loss column per run; json: every run. The figure (--plot): test loss against step for every run (log scale) and the optimal step per step. Losses are printed to at most 6 significant digits, fewer where the rounding of the residuals (~1e-15 of the output scale) limits them; \"<x\" means below that floor.",
  },
  {
    name: "optimal-schedule",
    summary: "the optimal learning-rate schedule of the ODE over a horizon, against greedy and the best constant rate, --plot",
    description: `The learning-rate schedule eta(alpha), constant on --intervals equal intervals of [0, alpha_end] with 0 < eta <= --eta-max, that minimises eps_g(alpha_end) (--objective final) or the integral of eps_g (integral) in the order-parameter ODE (docs/theory.md section 12). The ODE is discretised by RK4 with --step (steps landing on the intervals' bounds); the gradient in the rates is exact for that discretisation (the discrete adjoint of RK4), and a projected quasi-Newton method minimises ln Phi from the better of the greedy schedule (its mean per interval) and the best constant rate (a rate scan, then Brent). The result is a local optimum. ${REFERENCE}`,
    options: [...SETTING, horizon, intervals, objective, scheduleEtaMax, scheduleStep, initialRates, maxIterations, gradientTolerance, curveSamples, method, hermiteOrder, divergenceBound, format, out, plot, maxWork],
    notes: "Table: the objective for the optimal, greedy and best constant schedules with the digits their discretisation error (a half-step rerun) supports, the gains, and the optimal rate of every interval; csv: eps_g and eta of the three schedules per sample; json: eta, bounds, optimal, greedy (with its stall report), constant {schedule, learningRate, value, discretisationError, curve}, gains, iterations, converged, gradientNorm, gradient, status, message, stats, options. The greedy schedule is myopic: on a plateau its rate shrinks and it may never escape (reported, and warned about). The figure (--plot): eps_g against alpha for the three schedules (log scale) and the schedules eta(alpha). Exit code 0 when a schedule was computed, 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "popgrad",
    summary: "population gradient flow of a two-layer ReLU net on [T]'s symmetric subspace: critical points, trajectories, --plot",
    description: "Gradient flow of the population loss of a two-layer ReLU network on the symmetric subspace of [T] Theorem 7 (docs/theory.md section 7): orthonormal teacher w*_j = e_j, students w_j = x e_j + y sum_{k != j} e_k, a 2-D flow (dx/dt, dy/dt) for any K.",
    options: [popgradK, starts, tMax, xRange, yRange, grid, format, out, plot, maxWork],
    notes: "Table: critical points and where each trajectory ends; csv: the trajectories (start, t, x, y, loss); json: criticalPoints, trajectories, field. The figure (--plot): vector field with trajectories and critical points, as in [T] Fig. 8. Critical points are every zero of the field (the origin, every w_j = 0, is singular and excluded): Newton from the closed-form saddle on x = y, from (1, 0) and from a grid over the disc x^2 + (K-1) y^2 <= 1 + (K-1)/pi that provably holds all of them. Their type is that of the 2-D flow; \"full space\" classifies the point in all K x K weights (d = K) by the eigenvalues of the Hessian of J (central differences of the closed-form gradient, ~1e-10 relative): a 2-D attractor can be a saddle there. Coordinates are printed with the digits supported by residual / smallest |eigenvalue| (at most 10).",
  },
  {
    name: "popgrad-check",
    summary: "closed-form population gradient against sampled estimates ([T] Fig. 7), --plot",
    description: "[T] Fig. 7: the closed form Fbar(e, w) = E[x x^T 1(e.x > 0) 1(w.x > 0)] w (docs/theory.md section 7) against estimates from N sampled Gaussian inputs: relative RMS error over --trials estimates, against the angle between e and w and against N, next to its exact expectation sqrt((E|s|^2 - |Fbar|^2) / N) / |Fbar| with E|s|^2 = |w|^2 (d + 2)/pi ((pi - theta)/2 + sin(2 theta)/4).",
    options: [checkDimension, sampleSizes, angleCount, trials, checkSeed, format, out, plot, maxWork],
    notes: "Sampled RMS values carry a relative standard error of roughly 1/sqrt(2 trials); the table prints 3 digits. The figure (--plot): relative RMS error against angle, one curve per N (log scale), dashed: expectation.",
  },
  {
    name: "equilibrium",
    summary: "every local minimum of the free energy of [O] over alpha, per branch, --plot FILE.svg",
    description: "Every local minimum of the site-symmetric free energy beta f(R, S, C) of [O] (docs/theory.md section 5) over an alpha grid, by multistart and continuation in both directions, labelled unspecialized (R = S), specialized (R > S) or antiSpecialized (R < S).",
    options: [equilibriumActivation, equilibriumK, equilibriumAlphaMax, equilibriumSamples, alphas, siteSymmetry, format, out, every, plot, maxWork],
    notes: "JSON keys: alpha, branches (each label, R, S, C, eg, freeEnergy arrays over alpha, null where the branch does not exist; hessianEigenvalues, siteSymmetry), global. The figure (--plot): R, S, C and eps_g against alpha per branch (the figures of [O]).",
  },
  {
    name: "transitions",
    summary: "alpha_s, alpha_c, alpha_inst and the kind of the specialisation transition of [O]",
    description: "Characteristic alphas of hidden-unit specialisation (docs/theory.md section 5): alpha_s (a specialised minimum appears), alpha_c (it becomes global, or |R - S| starts to grow), alpha_inst (the R = S minimum loses stability), the kind of the transition and the branches there. alpha_s and alpha_inst by Newton on extended systems (fold: grad f = 0, H v = 0), alpha_c by Brent on the free-energy difference; the table prints the digits each value's tolerance supports (at most 10; json: tolerances, methods). About 1 s each at K = 10^4.",
    options: [equilibriumActivation, transitionsK, formatJsonTable, out, maxWork],
    notes: "JSON: {alphaS, alphaC, alphaInst (number or null), definitions, kind, jump, exponent, branches {alphaS, alphaC, alphaInst}, ...} (an array of those for several K).",
  },
  {
    name: "ode-symmetric",
    summary: "site-symmetric ODE for K = M up to 1e6 (T = t I, equal output weights): Q, C, R, S and eps_g, --plot FILE.svg",
    description: "The order-parameter ODE of online SGD restricted to its site-symmetric subspace (docs/theory.md section 11): K = M units, teacher overlaps T = t I, output weights v_i = v and v*_n = v*, and a start with Q_ii = Q0, Q_ik = C0, R_ii = R0, R_in = S0 (i != k, n). The state stays there (Saad & Solla 1995): four order parameters Q, C, R, S whose right-hand side costs the same for every K (each average computed once per index-coincidence class and multiplied by its count). With unit output weights eps_g grows like K, so eta of order 1/K is the natural scale.",
    options: [...SYMMETRIC_SETTING, learningRate, symmetricQ0, C0, symmetricR0, S0, alphaMax, samples, alphas, integrator, step, rtol, atol, maxSteps, divergenceBound, convergenceTolerance, format, out, every, errorEstimate, plot, maxWork],
    notes: "JSON keys: alpha, eg, Q, C, R, S (arrays over alpha: Q = Q_ii, C = Q_ik, R = R_ii, S = R_in), status, message, stats, options. The table prints only the digits a rerun with half the step (adaptive: rtol/100) confirms; eps_g \"unresolved\" past the first sample not confirmed to 10%. The figure (--plot): Q, C, R, S and eps_g against alpha. Exit code 0 when a curve was computed (whatever its status), 2 on invalid input, 130 when interrupted.",
  },
  {
    name: "plateau",
    summary: "the unspecialised plateau R = S for any K, its eigenvalues block by block, escape rate and plateau length",
    description: "The unspecialised plateau of the site-symmetric setting (docs/theory.md section 11): the fixed point with R = S (every student overlaps every teacher equally), reached by following the flow in (Q, C, R = S) from the start given, then Newton; the eigenvalues of the full ODE's Jacobian there, block by block in the irreducible representations of the permutation group S_K (trivial, standard [K-1,1], [K-2,2], [K-2,1,1], each eigenvalue with the multiplicity of its block); the escape rate lambda (largest positive real part) and its direction; with --delta the predicted plateau length ln(1/delta)/lambda and, integrating the escape, ln(D/delta)/lambda.",
    options: [symmetricActivation, symmetricTeacherActivation, plateauK, symmetricT, symmetricV, symmetricVStar, learningRate, plateauQ0, plateauC0, plateauR0, delta, escapeConstant, formatJsonTable, out, maxWork],
    notes: "JSON keys: status, message, fixedPoint {Q, C, R, S, eg}, residual, eigenvalues (per block: representation, partition, size, multiplicity, values), escapeRate (null: no positive eigenvalue, the plateau is stable), escapeDirection, plateauLengthLeading = ln(1/delta)/lambda, plateauLength = ln(D/delta)/lambda, escapeConstant {D, definition, check}, stats, options. The table prints the fixed point to the digits residual / smallest |eigenvalue| supports and the eigenvalues to the block size times the Jacobian entries' estimated error. Exit code 0 when the plateau was found, 1 when it was not (above some eta it ceases to exist), 2 on invalid input.",
  },
  {
    name: "eta-limits",
    summary: "learning-rate limits against K: largest eta with perfect learning stable, eta of the fastest plateau escape; --plot FILE.svg",
    usage: "[--K 2,3,5,10,...] [options]",
    description: "For each K (= M; T = t I, equal output weights; docs/theory.md section 11): etaPerfectStable, the largest eta for which perfect learning is a stable fixed point of the full ODE (its Jacobian eta (J_A + eta J_B) block by block in the irreducible representations of S_K, bisected), and etaOptimalEscape, the eta that maximises the escape rate from the unspecialised plateau (the plateau continued in eta, Brent's maximisation), with the largest escape rate; power laws c K^a fitted over K >= 100.",
    options: [etaLimitsActivation, symmetricTeacherActivation, etaLimitsK, symmetricT, symmetricV, symmetricVStar, etaLimitsPrecision, escape, format, out, plot, maxWork],
    notes: "JSON keys: rows (each K, etaPerfectStable, perfectBracket, perfectAccuracy, perfectLostIn, etaOptimalEscape, maxEscapeRate, plateauAtOptimum, message), scaling, definitions, stats, options (an array of those for several activations). The table prints etaPerfectStable to the digits its estimated accuracy supports, etaOptimalEscape to --precision and the escape rate to 4 digits. The figure (--plot): the two learning rates and the escape rate against K (log axes), all activations in one figure. About 0.1-1 s per K.",
  },
];

export const commandByName = (name: string) => COMMANDS.find((c) => c.name === name);

/** The API options a command passes on: its options without the CLI's own (output, files, work limit). */
export const apiOptionsOf = (name: string): readonly OptionSpec[] => commandByName(name)!.options.filter((o) => !o.cliOnly && o.group !== "output" && o.group !== "control");

/** A sweepable command: the options one grid point takes (no output options). */
export interface SweepSpec {
  command: string;
  summary: string;
  options: readonly OptionSpec[];
}

const pointOptions = (name: string) => commandByName(name)!.options.filter((o) => o.sweep !== false && o.group !== "output" && o.group !== "control");

export const SWEEPS: readonly SweepSpec[] = [
  { command: "ode", summary: "order-parameter ODE (result: the JSON of scm ode --format json)", options: pointOptions("ode") },
  { command: "sgd", summary: "finite-d SGD runs, each point in one worker thread (result: the JSON of scm sgd --format json)", options: pointOptions("sgd") },
  { command: "eta-regimes", summary: "learning-rate thresholds (result: the JSON of scm eta-regimes --format json)", options: pointOptions("eta-regimes") },
  { command: "optimal-schedule", summary: "optimal learning-rate schedules (result: the JSON of scm optimal-schedule --format json)", options: pointOptions("optimal-schedule") },
  { command: "transitions", summary: "alpha_s, alpha_c, alpha_inst of [O] (result: the JSON of scm transitions --format json for one K)", options: [equilibriumActivation, equilibriumK] },
  { command: "ode-symmetric", summary: "site-symmetric ODE for large K (result: the JSON of scm ode-symmetric --format json)", options: pointOptions("ode-symmetric") },
  { command: "plateau", summary: "plateau, block eigenvalues and escape rate (result: the JSON of scm plateau --format json)", options: pointOptions("plateau") },
];

export const sweepByCommand = (name: string) => SWEEPS.find((s) => s.command === name);


/** `scm sweep merge` and `scm sweep plot`: tools for sweep files (help texts and docs/cli.md). */
export const SWEEP_TOOLS: readonly CommandSpec[] = [
  {
    name: "sweep merge",
    summary: "merge sweep files (shards of a job array, resumed runs) into one",
    usage: "FILE.jsonl FILE.jsonl ... --out FILE.jsonl",
    description: "Merges the lines of sweep files into one file, one line per point, sorted by point key. Refused: a file that is not a sweep file, lines computed by another build (version stamp: package version and core hash) or by another command than the first line's, and a point found twice with different results (computed with different options or builds). A point found twice with the same result (timings aside) is kept once; a result is kept over an error. A partial last line (an interrupted write) of an input is left out with a note; the inputs are not changed.",
    options: [mergeOut],
  },
  {
    name: "sweep plot",
    summary: "a phase diagram of a sweep file: heatmap (SVG, PNG) and CSV grid of a quantity over two swept options",
    usage: "FILE.jsonl --x OPTION --y OPTION --z QUANTITY [--threshold EG] [--at OPTION=VALUE ...] --out map.svg|map.png|map.csv",
    description: "Reads a sweep file and draws the quantity --z over the options --x and --y (their flags or API names, e.g. eta and K): a heatmap with a colour scale (SVG, or PNG: the same Vega-Lite figure rasterised) and the grid as CSV (rows y, columns x). Every other option that varies in the file must be fixed with --at. Missing points and points without the quantity are blank cells.",
    options: [plotX, plotY, plotZ, plotThreshold, plotFlatness, plotAt, plotOut],
    notes: `Quantities: ${PLOT_QUANTITIES_HELP}`,
  },
];

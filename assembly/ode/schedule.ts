// Learning-rate schedules eta(alpha) (docs/theory.md section 12), evaluated by the ODE's
// integrators at every stage and by the SGD kernel at every step:
//   constant   eta                                   (the model's learning rate; nothing evaluated)
//   inverse    eta0 / (1 + alpha / a0)
//   power      eta0 min(1, (alpha / a0)^-beta)       (a kink at a0: a breakpoint)
//   piecewise  values[p] from breaks[p] on (breaks[0] = 0; every break is a breakpoint)
//   greedy     the locally optimal rate of the state (greedy.ts), not a function of alpha
// The integrators land steps on breakpoints, and a step takes the piece of its start (the rate
// is right-continuous), so no step straddles a jump. `offset` is added to the integrator's alpha
// (a trajectory restarted at alpha0 keeps the schedule's clock).

export const SCHEDULE_CONSTANT: i32 = 0;
export const SCHEDULE_INVERSE: i32 = 1;
export const SCHEDULE_POWER: i32 = 2;
export const SCHEDULE_PIECEWISE: i32 = 3;
export const SCHEDULE_GREEDY: i32 = 4;

export let kind: i32 = SCHEDULE_CONSTANT;
let eta0: f64 = 1, a0: f64 = 1, beta: f64 = 0;
/** Cap of the greedy rate. */
export let etaMax: f64 = Infinity;
let offset: f64 = 0;
// piecewise: nPieces breaks (ascending, the first 0) and values, in the buffer given by the host
let BREAKS: usize = 0;
let VALUES: usize = 0;
let nPieces: i32 = 0;

@inline function f(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/**
 * Selects the schedule. p1, p2, p3: (eta0, a0, beta) of inverse and power; pieces: breaks at
 * `breaks`, values at `values` (piecewise); cap: etaMax of greedy; alphaOffset: the schedule's
 * alpha at the integrator's alpha = 0.
 */
export function setSchedule(k: i32, p1: f64, p2: f64, p3: f64, cap: f64, alphaOffset: f64, breaks: usize, values: usize, pieces: i32): void {
  kind = k;
  eta0 = p1;
  a0 = p2;
  beta = p3;
  etaMax = cap;
  offset = alphaOffset;
  BREAKS = breaks;
  VALUES = values;
  nPieces = pieces;
}

/** Back to the constant rate (the model's). */
export function clearSchedule(): void {
  kind = SCHEDULE_CONSTANT;
}

/** True when the rate depends on alpha (inverse, power, piecewise). */
@inline export function alphaDependent(): bool {
  return kind == SCHEDULE_INVERSE || kind == SCHEDULE_POWER || kind == SCHEDULE_PIECEWISE;
}

/** Index of the piece holding alpha (the last break <= alpha + offset), for piecewise. */
export function pieceAt(alpha: f64): i32 {
  if (kind != SCHEDULE_PIECEWISE) return 0;
  // compared in the integrator's alpha, as nextBreak() reports breaks (a step landed on a break
  // then finds the new piece exactly)
  let p = 0;
  while (p + 1 < nPieces && f(BREAKS, p + 1) - offset <= alpha) p++;
  return p;
}

/** The rate at integrator alpha `alpha`, on piece `piece` (from pieceAt at the step's start). */
export function rateAt(alpha: f64, piece: i32): f64 {
  const a = alpha + offset;
  if (kind == SCHEDULE_INVERSE) return eta0 / (1.0 + a / a0);
  if (kind == SCHEDULE_POWER) return a <= a0 ? eta0 : eta0 * Math.pow(a / a0, -beta);
  if (kind == SCHEDULE_PIECEWISE) return f(VALUES, piece);
  return NaN;
}

/**
 * The first breakpoint strictly after integrator alpha `alpha` (power's a0, piecewise breaks),
 * in integrator alpha; Infinity when none is left.
 */
export function nextBreak(alpha: f64): f64 {
  if (kind == SCHEDULE_POWER) return a0 - offset > alpha ? a0 - offset : Infinity;
  if (kind == SCHEDULE_PIECEWISE) {
    for (let p = 1; p < nPieces; p++) {
      const b = f(BREAKS, p) - offset;
      if (b > alpha) return b;
    }
  }
  return Infinity;
}

/** True when the rate jumps at integrator alpha `alpha` (a piecewise break): FSAL stages are stale there. */
export function jumpsAt(alpha: f64): bool {
  if (kind != SCHEDULE_PIECEWISE) return false;
  for (let p = 1; p < nPieces; p++) if (f(BREAKS, p) - offset == alpha) return true;
  return false;
}

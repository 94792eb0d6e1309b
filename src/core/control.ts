// How a caller watches and bounds a long computation. Every public function whose cost grows
// with its options takes these fields in its options object (next to the mathematical options):
// it estimates its cost before starting, refuses what exceeds `maxWork`, reports progress and
// stops when `signal` is aborted.
import type { WorkEstimate } from "./errors";

/** What onProgress receives after each chunk of work. */
export interface Progress {
  /** What is being computed, e.g. "ODE", "SGD runs", "fixed points". */
  label: string;
  /** Work done and total in `unit` (alpha reached / alpha wanted, SGD steps over all runs, starts). */
  done: number;
  total: number;
  unit: string;
  /** done / total, in [0, 1]. */
  fraction: number;
  /** Seconds of the estimate still to go (null when unknown). */
  remainingSeconds: number | null;
}

/** Progress, abort and work limits of one computation (fields of its options object). */
export interface RunControl {
  /** Called after each chunk of work (about every 0.1 s of computation). */
  onProgress?: (p: Progress) => void;
  /** Checked between chunks; an aborted signal stops the computation with an AbortError. */
  signal?: AbortSignal;
  /** Largest estimated work allowed, in seconds (default DEFAULT_MAX_WORK_SECONDS). */
  maxWork?: number;
  /**
   * What to do when the estimate exceeds maxWork: "refuse" (default) throws WorkLimitError before
   * any work; "truncate" runs until maxWork seconds of estimated work are spent and returns the part
   * computed with status "max-work" (the edge function's mode).
   */
  workLimitAction?: "refuse" | "truncate";
}

/** Default of maxWork: ten minutes of estimated single-thread work. */
export const DEFAULT_MAX_WORK_SECONDS = 600;

/** Largest WebAssembly memory a problem may ask for (the 32-bit address space minus headroom). */
export const MAX_MEMORY_BYTES = 3 * 2 ** 30;

export type { WorkEstimate };

// Learning-rate schedules written as text (docs/theory.md section 12), parsed once for the API,
// the CLI (--eta-schedule), the edge (eta-schedule=), the page's field and sweeps:
//   constant                   the constant learningRate (eta)
//   inverse:ETA0,A0            eta0 / (1 + alpha / a0)
//   power:ETA0,A0,BETA         eta0 min(1, (alpha / a0)^-beta)
//   piecewise:A1:E1,A2:E2,...  eta = E_i from alpha = A_i on (A1 = 0 < A2 < ...)
//   greedy                     the locally optimal rate of the state, capped at etaMax
// The API takes the text or the object form (LearningRateSchedule); results carry the canonical
// text (numbers in their shortest round-trip form), so a resolved schedule is a plain string.
import { OptionError, OptionTypeError } from "../core/errors";

/** The forms of a learning-rate schedule. */
export const SCHEDULE_KINDS = ["constant", "inverse", "power", "piecewise", "greedy"] as const;
/** One of SCHEDULE_KINDS. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** A learning-rate schedule eta(alpha) in object form. */
export type LearningRateSchedule =
  | { kind: "constant" }
  | { kind: "inverse"; eta0: number; a0: number }
  | { kind: "power"; eta0: number; a0: number; beta: number }
  | { kind: "piecewise"; breaks: number[]; values: number[] }
  | { kind: "greedy" };

/** The text syntax of a schedule, for messages and help. */
export const SCHEDULE_SYNTAX = `constant, inverse:ETA0,A0 (eta0 / (1 + alpha/A0)), power:ETA0,A0,BETA (eta0 min(1, (alpha/A0)^-BETA)), piecewise:A1:E1,A2:E2,... (E_i from alpha = A_i on, A1 = 0) or greedy (the locally optimal rate, capped at eta-max)`;

const ACCEPTED = `a learning-rate schedule: ${SCHEDULE_SYNTAX}`;

const finite = (s: string) => {
  const t = s.trim();
  const x = t === "" ? NaN : Number(t);
  return Number.isFinite(x) ? x : undefined;
};

function problem(option: string, value: unknown, reason: string, type = false): Error {
  const init = { option, value, accepted: ACCEPTED, reason };
  return type ? new OptionTypeError(init) : new OptionError(init);
}

/** Checks the numbers of a schedule (ranges and order); `option` is the API name errors carry. */
function checked(option: string, value: unknown, s: LearningRateSchedule): LearningRateSchedule {
  const bad = (what: string) => problem(option, value, `must be ${ACCEPTED}; got ${typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value)}: ${what}`);
  const positive = (name: string, x: number) => {
    if (!(Number.isFinite(x) && x > 0)) throw bad(`${name} must be a finite number > 0, not ${x}`);
  };
  switch (s.kind) {
    case "constant":
    case "greedy":
      return { kind: s.kind };
    case "inverse":
      positive("ETA0", s.eta0);
      positive("A0", s.a0);
      return { kind: "inverse", eta0: s.eta0, a0: s.a0 };
    case "power":
      positive("ETA0", s.eta0);
      positive("A0", s.a0);
      if (!(Number.isFinite(s.beta) && s.beta >= 0)) throw bad(`BETA must be a finite number >= 0, not ${s.beta}`);
      return { kind: "power", eta0: s.eta0, a0: s.a0, beta: s.beta };
    case "piecewise": {
      const { breaks, values } = s;
      if (!Array.isArray(breaks) || !Array.isArray(values) || breaks.length === 0 || breaks.length !== values.length) throw bad("a piecewise schedule needs one value per break, at least one");
      if (breaks[0] !== 0) throw bad(`the first break A1 must be 0 (the rate from the start), not ${breaks[0]}`);
      breaks.forEach((a, i) => {
        if (!Number.isFinite(a) || (i > 0 && !(a > breaks[i - 1]))) throw bad(`the breaks must increase strictly; A${i + 1} = ${a} after ${breaks[i - 1]}`);
      });
      values.forEach((e, i) => positive(`E${i + 1}`, e));
      return { kind: "piecewise", breaks: [...breaks], values: [...values] };
    }
    default:
      throw problem(option, value, `must be ${ACCEPTED}; got kind ${JSON.stringify((s as { kind: unknown }).kind)}`, true);
  }
}

/** The schedule written in `text`. */
export function parseSchedule(option: string, text: string): LearningRateSchedule {
  const t = text.trim();
  const bad = (what: string) => problem(option, text, `must be ${ACCEPTED}; got ${JSON.stringify(text)}${what ? `: ${what}` : ""}`, true);
  const colon = t.indexOf(":");
  const head = (colon < 0 ? t : t.slice(0, colon)).trim();
  const body = colon < 0 ? "" : t.slice(colon + 1);
  const numbers = (count: number, names: string[]) => {
    const parts = body.split(",");
    if (parts.length !== count) throw bad(`${head} takes ${count} numbers ${names.join(",")}; got ${parts.length}`);
    return parts.map((p, i) => {
      const x = finite(p);
      if (x === undefined) throw bad(`${names[i]} is ${JSON.stringify(p.trim())}, not a finite number`);
      return x;
    });
  };
  switch (head) {
    case "constant":
    case "greedy":
      if (colon >= 0) throw bad(`${head} takes no parameters`);
      return { kind: head };
    case "inverse": {
      const [eta0, a0] = numbers(2, ["ETA0", "A0"]);
      return checked(option, text, { kind: "inverse", eta0, a0 });
    }
    case "power": {
      const [eta0, a0, beta] = numbers(3, ["ETA0", "A0", "BETA"]);
      return checked(option, text, { kind: "power", eta0, a0, beta });
    }
    case "piecewise": {
      if (body.trim() === "") throw bad("piecewise needs pieces A1:E1,A2:E2,...");
      const breaks: number[] = [], values: number[] = [];
      body.split(",").forEach((piece, i) => {
        const pair = piece.split(":");
        const a = pair.length === 2 ? finite(pair[0]) : undefined, e = pair.length === 2 ? finite(pair[1]) : undefined;
        if (a === undefined || e === undefined) throw bad(`piece ${i + 1} is ${JSON.stringify(piece.trim())}, not A:E with finite numbers`);
        breaks.push(a);
        values.push(e);
      });
      return checked(option, text, { kind: "piecewise", breaks, values });
    }
    default:
      throw bad(head === "" ? "" : `unknown kind ${JSON.stringify(head)}`);
  }
}

/** The canonical text of a schedule (shortest round-trip numbers). */
export function scheduleText(s: LearningRateSchedule): string {
  switch (s.kind) {
    case "constant":
    case "greedy":
      return s.kind;
    case "inverse":
      return `inverse:${s.eta0},${s.a0}`;
    case "power":
      return `power:${s.eta0},${s.a0},${s.beta}`;
    case "piecewise":
      return `piecewise:${s.breaks.map((a, i) => `${a}:${s.values[i]}`).join(",")}`;
  }
}

/** A schedule given as text or object, checked; returns its canonical text. */
export function checkSchedule(option: string, value: unknown): string {
  if (typeof value === "string") return scheduleText(parseSchedule(option, value));
  if (value !== null && typeof value === "object" && typeof (value as { kind?: unknown }).kind === "string") return scheduleText(checked(option, value, value as LearningRateSchedule));
  throw problem(option, value, `must be ${ACCEPTED} (text or {kind, ...}); got ${typeof value === "object" ? JSON.stringify(value) : String(value)}`, true);
}

/** The rate of an alpha-dependent schedule at alpha (right-continuous at the breaks of piecewise). */
export function rateAt(s: LearningRateSchedule, alpha: number): number {
  switch (s.kind) {
    case "inverse":
      return s.eta0 / (1 + alpha / s.a0);
    case "power":
      return alpha <= s.a0 ? s.eta0 : s.eta0 * Math.pow(alpha / s.a0, -s.beta);
    case "piecewise": {
      let p = 0;
      while (p + 1 < s.breaks.length && s.breaks[p + 1] <= alpha) p++;
      return s.values[p];
    }
    default:
      throw new Error(`rateAt: a ${s.kind} schedule is not a function of alpha`);
  }
}

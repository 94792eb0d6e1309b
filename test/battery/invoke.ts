// Running the built CLI as a user would, and the checks every invocation of the hostile battery
// must pass: it exits within 10 s, or shows progress within 2 s (then it is interrupted with
// SIGINT and must stop cleanly: exit 130, one line, no partial file); never a stack trace; no NaN
// in the output; an error is one line naming the flag as typed and what it accepts.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

export interface Outcome {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
  /** Milliseconds from spawn to the first progress line (null: none). */
  progressAt: number | null;
  /** The first progress line showed a fraction ("42%"), i.e. the API reported progress. */
  fraction: boolean;
  interrupted: boolean;
  timedOut: boolean;
}

/** A progress line of the CLI: "scm ode: working, 1.0 s" or "scm ode: [###...] ODE: 42% (...)". */
export const PROGRESS = /^\r?(?:\x1b\[K)?scm [\w-]+: (?:working, |\[|.*\d+%)/;

export const SCM = ["bin/scm.js"];

/**
 * Runs `scm args`. With `interrupt`, stops it with SIGINT once it has shown progress (after
 * `interruptAfter` ms, default at once);
 * otherwise it must end by itself within `limit` ms.
 */
export function invoke(args: string[], opts: { stdin?: string; interrupt?: boolean; interruptAfter?: number; limit?: number } = {}): Promise<Outcome> {
  const interruptAfter = opts.interruptAfter ?? 0;
  const limit = opts.limit ?? 10_000;
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [...SCM, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const o: Outcome = { args, code: null, signal: null, stdout: "", stderr: "", ms: 0, progressAt: null, fraction: false, interrupted: false, timedOut: false };
    child.stdin.on("error", () => {});
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
    child.stdout.setEncoding("utf8").on("data", (d: string) => (o.stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      o.stderr += d;
      if (o.progressAt === null) {
        const line = o.stderr.split("\n").find((l) => PROGRESS.test(l));
        if (line) {
          o.progressAt = Date.now() - t0;
          o.fraction = /\d+%/.test(line);
        }
      }
    });
    const timer = setInterval(() => {
      const t = Date.now() - t0;
      if (opts.interrupt && !o.interrupted && o.progressAt !== null && t >= Math.max(interruptAfter, o.progressAt)) {
        o.interrupted = true;
        child.kill("SIGINT");
      } else if (t > limit + (o.interrupted ? 5000 : 0)) {
        o.timedOut = true;
        child.kill("SIGKILL");
      }
    }, 50);
    child.on("close", (code, signal) => {
      clearInterval(timer);
      Object.assign(o, { code, signal, ms: Date.now() - t0 });
      // a signal sent as the command was finishing: it ended by itself
      if (o.interrupted && code !== 130 && !/scm: interrupted/.test(o.stderr)) o.interrupted = false;
      resolve(o);
    });
  });
}

/** Runs `tasks` with at most `n` at a time (the machine's cores are shared). */
export async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

/** Lines of stderr that are not progress lines. */
export const messages = (o: Outcome) => o.stderr.split("\n").map((l) => l.replace(/^.*\r(?:\x1b\[K)?/, "")).filter((l) => l !== "" && !PROGRESS.test(l));

/** What an invocation is expected to do. */
export interface Expect {
  /**
   * "ok": exit 0; "error": exit 2 (1 for a file that fails after the computation) with one error
   * line; "usage": the command list on stdout, exit 2; "any": any clean end, or progress within
   * 2 s and a clean stop on SIGINT (the invocation is interrupted once it shows progress).
   */
  kind: "ok" | "error" | "usage" | "any";
  /** The flag the error must name, as typed (e.g. "--eta", "--learning-rate"). */
  names?: string;
  /** What the error must say about accepted values (default: a generic phrase of acceptance). */
  accepts?: RegExp;
  /** Exit code of an error (default 2). */
  code?: number;
  /** Files that must not exist afterwards when the run failed or was interrupted (no partial output). */
  absent?: string[];
  /** Folders that must hold no temporary file afterwards. */
  clean?: string[];
}

const ACCEPTS = /must|one of|did you mean|needs a value|more than once|is required|unknown (option|command)|unexpected argument|not a folder|cannot (write|read)|format follows|written as SVG|refused|out of memory|cannot be given|takes no value/;

/** Every check of the battery for one invocation; returns the problems found (empty: passed). */
export function problems(o: Outcome, e: Expect): string[] {
  const p: string[] = [];
  const all = o.stdout + o.stderr;
  if (o.timedOut) p.push(`neither exited within 10 s nor stopped after progress (progress at ${o.progressAt} ms)`);
  if (!o.interrupted && o.ms > 10_000) p.push(`took ${o.ms} ms`);
  if (o.interrupted && (o.progressAt ?? Infinity) > 2000) p.push(`first progress after ${o.progressAt} ms`);
  if (/^\s+at .+(:\d+:\d+|\(native\))/m.test(all) || /node:internal/.test(all) || /^\w*Error(: |$)/m.test(o.stderr)) p.push("a stack trace or a raw JavaScript error");
  if (/NaN/.test(o.stdout)) p.push("NaN on stdout");
  // the user's own text is quoted in messages ("NaN"); a bare NaN would be a computed one
  if (/\bNaN\b/.test(o.stderr.replace(/"[^"\n]*"/g, '""'))) p.push("a computed NaN on stderr");
  const msgs = messages(o);
  const errors = msgs.filter((l) => l.startsWith("scm: error: "));
  if (o.interrupted) {
    if (o.code !== 130) p.push(`interrupted: exit code ${o.code} (signal ${o.signal}), expected 130`);
    if (msgs.at(-1) !== "scm: interrupted") p.push(`interrupted: last line ${JSON.stringify(msgs.at(-1))}`);
  } else if (e.kind === "usage") {
    if (o.code !== 2 || !/^Usage: scm /m.test(o.stdout) || msgs.length) p.push(`usage: exit code ${o.code}, stdout ${JSON.stringify(o.stdout.slice(0, 40))}, stderr ${msgs.join(" | ")}`);
  } else if (e.kind === "ok") {
    if (o.code !== 0) p.push(`exit code ${o.code}, expected 0: ${msgs.join(" | ")}`);
    if (errors.length) p.push(`error line: ${errors[0]}`);
  } else if (e.kind === "error") {
    if (o.code !== (e.code ?? 2)) p.push(`exit code ${o.code}, expected ${e.code ?? 2}`);
    if (errors.length !== 1) p.push(`${errors.length} error lines: ${msgs.join(" | ")}`);
    else {
      if (msgs.at(-1) !== errors[0]) p.push(`the error is not the last line: ${msgs.join(" | ")}`);
      if (e.names && !errors[0].includes(e.names)) p.push(`error does not name ${e.names}: ${errors[0]}`);
      if (!(e.accepts ?? ACCEPTS).test(errors[0])) p.push(`error does not say what is accepted: ${errors[0]}`);
    }
    if (o.stdout !== "" && (e.code ?? 2) === 2) p.push("output on stdout despite the error");
  } else {
    // any: a clean end (0), a clean refusal (2 or 1 with one error line) or a clean stop
    if (![0, 1, 2, 130].includes(o.code ?? -1)) p.push(`exit code ${o.code} (signal ${o.signal})`);
    if ((o.code === 2 || (o.code === 1 && errors.length)) && errors.length !== 1) p.push(`${errors.length} error lines: ${msgs.join(" | ")}`);
    if (o.code === 2 && e.names && !errors[0]?.includes(e.names)) p.push(`error does not name ${e.names}: ${errors[0]}`);
    if (o.code === 2 && errors[0] && !ACCEPTS.test(errors[0])) p.push(`error does not say what is accepted: ${errors[0]}`);
  }
  if (o.code !== 0 || o.interrupted) for (const f of e.absent ?? []) if (existsSync(f)) p.push(`partial output left: ${f}`);
  for (const d of e.clean ?? []) if (existsSync(d)) for (const n of readdirSync(d)) if (n.includes("scm-tmp")) p.push(`temporary file left: ${d}/${n}`);
  return p;
}

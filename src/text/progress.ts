// Progress of a computation as the front-ends show it (the CLI's stderr line, the page's status).
// The API reports Progress objects (src/core/control.ts); simulate() still reports (done, total)
// runs, so the listener accepts both.
import type { Progress, RunControl } from "../core/control";

/** An onProgress callback for any API function: Progress objects, or (done, total) of `unit`. */
export function progressListener(label: string, unit: string, report: (p: Progress) => void): (p: Progress | number, total?: number) => void {
  const t0 = Date.now();
  return (p, total) => {
    if (typeof p === "number") {
      const done = p, all = total ?? 0;
      const fraction = all > 0 ? Math.min(1, done / all) : 0;
      const elapsed = (Date.now() - t0) / 1000;
      report({ label, done, total: all, unit, fraction, remainingSeconds: fraction > 0 && fraction < 1 ? (elapsed * (1 - fraction)) / fraction : null });
    } else report(p);
  };
}

const duration = (s: number) => (s < 60 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);

const amount = (x: number) => (Number.isInteger(x) ? String(x) : String(+x.toPrecision(4)));

/** "ODE: 42% (alpha 126 of 300), 3.1 s, about 4.2 s left" or, without a report, "working, 2.0 s". */
export function progressText(p: Progress | null, elapsedSeconds: number): string {
  if (!p) return `working, ${duration(elapsedSeconds)}`;
  const pct = `${Math.floor(100 * Math.min(1, Math.max(0, p.fraction)))}%`;
  const of = p.total > 0 ? ` (${p.unit ? `${p.unit} ` : ""}${amount(p.done)} of ${amount(p.total)})` : "";
  const left = p.remainingSeconds !== null && Number.isFinite(p.remainingSeconds) ? `, about ${duration(p.remainingSeconds)} left` : "";
  return `${p.label}: ${pct}${of}, ${duration(elapsedSeconds)}${left}`;
}

/** "[##########..........]" for a fraction in [0, 1]. */
export function progressBarText(fraction: number, width = 24): string {
  const filled = Math.round(width * Math.min(1, Math.max(0, fraction)));
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

/**
 * `options` with RunControl fields (src/core/control.ts) added: API functions take them in their
 * options object (those that do not report yet ignore them).
 */
export function withControl<T extends object>(options: T, control: Omit<RunControl, "onProgress"> & { onProgress?: ((p: Progress | number, total?: number) => void) | RunControl["onProgress"] }): T {
  return { ...options, ...control } as T;
}

// The progress shown on stderr while a command computes: on a terminal one line redrawn in place
// (a bar when the API reports a fraction), otherwise a plain line every few seconds. Nothing in
// the first second after the process started, so quick commands print no progress at all; the
// API's fraction from then on, a bare elapsed-time line only after two seconds without a report
// (a refusal or the API's first report arrives first even on a loaded machine).
import type { Progress } from "../core/control";
import { progressBarText, progressText } from "../text/progress";

export interface ProgressSink {
  write(s: string): void;
  isTTY: boolean;
  /** Milliseconds (injectable for tests). */
  now(): number;
}

export interface ProgressTiming {
  /** First line after this long (ms), when the API has reported progress. */
  firstAfter: number;
  /** First line without any report from the API (the elapsed time) after this long (ms). */
  workingAfter: number;
  /** Plain (non-terminal) lines at most this often (ms). */
  plainEvery: number;
}

export const DEFAULT_TIMING: ProgressTiming = { firstAfter: 1000, workingAfter: 2000, plainEvery: 5000 };

export class ProgressDisplay {
  private latest: Progress | null = null;
  /** Elapsed time counts from the sink's time 0 (the process start in the CLI). */
  private readonly t0 = 0;
  private lastPlain = -Infinity;
  private shown = false; // a terminal line is on screen
  private stopped = false;

  constructor(private readonly sink: ProgressSink, private readonly name: string, private readonly timing: ProgressTiming = DEFAULT_TIMING) {}

  update(p: Progress): void {
    this.latest = p;
  }

  private line(): string {
    const elapsed = (this.sink.now() - this.t0) / 1000;
    const text = progressText(this.latest, elapsed);
    const bar = this.latest && this.latest.total > 0 ? `${progressBarText(this.latest.fraction)} ` : "";
    return `${this.name}: ${bar}${text}${this.latest ? "" : " (Ctrl-C stops)"}`;
  }

  /** Draws when due; called by a timer. */
  tick(): void {
    if (this.stopped) return;
    const t = this.sink.now();
    if (t - this.t0 < (this.latest ? this.timing.firstAfter : this.timing.workingAfter)) return;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[K${this.line()}`);
      this.shown = true;
    } else if (t - this.lastPlain >= this.timing.plainEvery) {
      this.sink.write(`${this.line()}\n`);
      this.lastPlain = t;
    }
  }

  /** A message on stderr: the terminal line is cleared first and redrawn at the next tick. */
  message(s: string): void {
    this.clear();
    this.sink.write(s);
  }

  private clear(): void {
    if (this.shown) {
      this.sink.write("\r\x1b[K");
      this.shown = false;
    }
  }

  stop(): void {
    this.clear();
    this.stopped = true;
  }
}

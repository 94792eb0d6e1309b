// `scm sweep --remote URL,...`: the points sent to deployments of the edge entry, which run them
// with the same WebAssembly as a local worker thread, so each line reads as a local run writes it.
// Whole points go in batches (POST /points, src/edge/points.ts) answered line by line, each point
// written as its line arrives; a batch that fails or whose next line passes the deadline has its
// unanswered points retried after an exponential back-off with seeded jitter, on another endpoint
// when there is one, and a failing endpoint rests for a growing time. Requests go to the least
// busy endpoint. A point whose estimate exceeds the endpoints' maxWork is split by runs when it is
// an SGD point (POST /point with a range of runs; run r depends only on the options and r; the
// runs are aggregated here by simulateSync's own aggregation) or else runs locally, with a note in
// its line. Node only (the CLI).
import { estimateWork } from "../api";
import { OptionError } from "../core/errors";
import { MAX_BATCH_POINTS } from "../edge/points";
import { keyHash } from "../sweep/key";
import { HttpFailure, request, type HttpAnswer } from "./http";
import { aggregateSgdRuns, pointSeconds, type RawRunJson } from "../sweep/points";
import { parseStamp, sameStamp, stampText, VERSION_STAMP, type VersionStamp } from "../sweep/version";

/** The header the edge stamps its answers with (src/edge/point.ts). */
const VERSION_HEADER = "x-soft-committee-version";
/** The edge's paths for one point (or a range of an SGD point's runs) and for a batch of points. */
const POINT_PATH = "/point";
const POINTS_PATH = "/points";
/** The environment variable holding the shared secret (never a command-line flag: those leak into process lists). */
export const SECRET_VARIABLE = "SCM_EDGE_SECRET";

export interface RemotePoint {
  key: string;
  command: string;
  options: object;
}

/** One deployment of the edge entry and what the sweep knows of it. */
export interface Endpoint {
  url: string;
  /** Its work limit per request (GET / limits.maxWork). */
  maxWork: number;
  inFlight: number;
  /** Consecutive failures (0 after a success). */
  failures: number;
  /** Not used before this time (ms). */
  restUntil: number;
  /** Never used again (refused the secret, answered with another version). */
  dropped: string | null;
  requests: number;
}

/** A failure of the remote path that is not the point's fault (network, timeout, 5xx): retried. */
class Transient extends Error {}
/** The endpoint refused the point as too large for one request. */
class TooLarge extends Error {}

const authHeaders = (secret: string | undefined): Record<string, string> => (secret ? { authorization: `Bearer ${secret}` } : {});

/** The endpoints of --remote, checked: http(s) URLs without query. */
export function parseRemote(text: string): string[] {
  const urls = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const accepted = "URLs of deployments of the edge entry, http:// or https://, separated by commas";
  if (urls.length === 0) throw new OptionError({ option: "remote", value: text, accepted, reason: "must name at least one URL" });
  return urls.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new OptionError({ option: "remote", value: text, accepted, reason: `has ${JSON.stringify(u)}, which is not a URL` });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new OptionError({ option: "remote", value: text, accepted, reason: `has ${JSON.stringify(u)}: only http:// and https:// URLs` });
    if (url.search || url.hash) throw new OptionError({ option: "remote", value: text, accepted, reason: `has ${JSON.stringify(u)}: a base URL without ?query or #fragment` });
    return url.href.replace(/\/+$/, "");
  });
}

/**
 * GET / of every endpoint before any work: its version stamp must be this build's (else the
 * numbers could differ), the secret must be accepted. Unreachable endpoints are left out with a
 * message; none reachable is an error.
 */
export async function connectEndpoints(urls: readonly string[], secret: string | undefined, timeoutMs: number, message: (s: string) => void): Promise<Endpoint[]> {
  const answers = await Promise.all(urls.map(async (url) => {
    try {
      const r = await request(`${url}/`, { headers: authHeaders(secret), signal: AbortSignal.timeout(timeoutMs) });
      const text = await r.text();
      return { url, status: r.status, text };
    } catch (err) {
      return { url, status: 0, text: err instanceof HttpFailure && err.timedOut ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message };
    }
  }));
  const endpoints: Endpoint[] = [];
  const accepted = "deployments of this build's edge entry that accept the secret";
  for (const a of answers) {
    if (a.status === 0) {
      message(`sweep: ${a.url} is not reachable (${a.text}); left out\n`);
      continue;
    }
    if (a.status === 401) throw new OptionError({ option: "remote", value: a.url, accepted, reason: `has ${a.url}, which refused ${secret ? `the secret in ${SECRET_VARIABLE}` : `the request: it needs a secret; set the environment variable ${SECRET_VARIABLE}`}` });
    let body: { version?: VersionStamp; limits?: { maxWork?: number } } = {};
    try {
      body = JSON.parse(a.text);
    } catch {
      /* not the edge entry: said below */
    }
    if (a.status !== 200 || typeof body.limits?.maxWork !== "number") throw new OptionError({ option: "remote", value: a.url, accepted, reason: `has ${a.url}, which does not answer as the edge entry of soft-committee (GET / gave ${a.status})` });
    if (!sameStamp(body.version, VERSION_STAMP))
      throw new OptionError({ option: "remote", value: a.url, accepted, reason: `has ${a.url}, which runs soft-committee ${body.version ? stampText(body.version) : "without a version stamp"}; this is ${stampText(VERSION_STAMP)}: deploy this build there (results must be those of a local run bit for bit)` });
    endpoints.push({ url: a.url, maxWork: body.limits.maxWork, inFlight: 0, failures: 0, restUntil: 0, dropped: null, requests: 0 });
  }
  if (endpoints.length === 0) throw new RangeError(`no endpoint of --remote is reachable (${urls.join(", ")})`);
  return endpoints;
}

/** A point's outcome as its line holds it. */
export type Outcome = { result: string } | { error: string };

export interface RemoteHooks {
  /** Writes the point's line (once). */
  write(p: RemotePoint, outcome: Outcome, note?: string): void;
  /** Runs the point on a local worker thread. */
  runLocal(p: RemotePoint): Promise<Outcome>;
  /** A line on stderr. */
  message(s: string): void;
}

export interface RemoteSettings {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  secret: string | undefined;
  /** The sweep's own --max-work: a point estimated above it is refused as a local run would refuse it. */
  maxWork: number;
  /** Back-off before retry k (0-based) is about backoffMs * 2^k (jittered), at most maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** Counts of a remote sweep (for its last message and the benchmark). */
export interface RemoteStats {
  requests: number;
  retries: number;
  split: number;
  local: number;
  /** Points not computed (every attempt failed): not written, a rerun resumes them. */
  lost: { point: RemotePoint; reason: string }[];
  perEndpoint: Record<string, number>;
}

/** A number in [0, 1) from (seed, n): splitmix32, for jitter that a rerun reproduces. */
function unitRandom(seed: number, n: number): number {
  let z = (seed + Math.imul(n + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
}

/** Milliseconds before retry `attempt` of the point with this key: exponential, jittered in [1/2, 1] of it. */
export function backoff(key: string, attempt: number, baseMs: number, maxMs: number): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempt);
  return full * (0.5 + 0.5 * unitRandom(keyHash(key), attempt));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A whole point waiting to be sent in a batch, and its failed attempts so far. */
interface Task {
  p: RemotePoint;
  /** Its estimated seconds (estimateWork, as the endpoint adds them up). */
  seconds: number;
  /** Attempts that failed (network, deadline, 5xx). */
  attempt: number;
  /** Not sent before this time (Date.now() ms): the back-off after a failed attempt. */
  notBefore: number;
  /** The endpoint of the last failed attempt: another one is preferred. */
  avoid?: Endpoint;
  /** The last failure, for the message when every attempt failed. */
  reason: string;
  /** Sent alone: its batch was refused as a whole. */
  alone: boolean;
  /** Too large for one request (why): split by runs or computed locally. */
  tooLarge?: string;
  /** Sent or settled: skipped by the queue. */
  taken: boolean;
}

/** A line of a POST /points answer (src/edge/points.ts). */
interface BatchLine { index?: unknown; status?: unknown; result?: unknown; name?: string; error?: string; estimate?: unknown }

/** The endpoint refused a batch as a whole (its estimates add up to more than its maxWork): its points go alone. */
class BatchTooLarge extends Error {}

export class RemoteSweep {
  readonly stats: RemoteStats = { requests: 0, retries: 0, split: 0, local: 0, lost: [], perEndpoint: {} };
  private readonly locals: Promise<void>[] = [];
  private turn = 0;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /** Points waiting for a request, in order (retries appended); `head` is the first not taken. */
  private queue: Task[] = [];
  private head = 0;
  private waiting = 0;
  /** Requests in flight (batches and points split by runs). */
  private active = 0;
  private wakers: (() => void)[] = [];

  constructor(private readonly endpoints: Endpoint[], private readonly settings: RemoteSettings, private readonly hooks: RemoteHooks) {
    this.backoffMs = settings.backoffMs ?? 250;
    this.maxBackoffMs = settings.maxBackoffMs ?? 8000;
  }

  /**
   * Runs every point; resolves when each is written or lost. Whole points go in batches (POST
   * /points) sized as guided self-scheduling sizes its chunks: about the points still waiting over
   * twice the concurrency, so batches are large while much is left and single points at the end
   * (no endpoint left with a long batch while the other idles), and never more estimated work than
   * the endpoint's maxWork per request.
   */
  async run(points: readonly RemotePoint[]): Promise<RemoteStats> {
    for (const p of points) this.admit(p);
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, this.waiting) }, () => this.slot()));
    if (this.waiting !== 0 || this.queue.some((t) => !t.taken)) throw new Error(`remote sweep: ${this.waiting} points left in the queue`);
    await Promise.all(this.locals);
    for (const e of this.endpoints) this.stats.perEndpoint[e.url] = e.requests;
    return this.stats;
  }

  private live(): Endpoint[] {
    return this.endpoints.filter((e) => e.dropped === null);
  }

  /** The largest work one request may carry: the smallest maxWork of the live endpoints. */
  private cap(): number {
    return Math.min(...this.live().map((e) => e.maxWork));
  }

  private admit(p: RemotePoint): void {
    let seconds: number;
    try {
      seconds = pointSeconds(p.command, p.options);
    } catch {
      return this.local(p); // the local run says what is wrong, as a local sweep would
    }
    if (seconds > this.settings.maxWork) return this.local(p); // refused as a local run refuses it
    this.enqueue({ p, seconds, attempt: 0, notBefore: 0, reason: "", alone: false, taken: false });
  }

  /** Appends the task (a copy: its earlier place in the queue stays taken, so it is never taken twice). */
  private enqueue(t: Task): void {
    this.queue.push({ ...t, taken: false });
    this.waiting++;
  }

  private take(t: Task): void {
    t.taken = true;
    this.waiting--;
    while (this.head < this.queue.length && this.queue[this.head].taken) this.head++;
  }

  /** Drops the taken entries before `head` once they are most of the queue (never while a batch is being gathered). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Resolves at the next change of the queue or the endpoints, or after `ms`. */
  private changed(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => wake(), Math.max(1, ms));
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wakers.push(wake);
    });
  }

  private notify(): void {
    for (const w of this.wakers.splice(0)) w();
  }

  /** One of `concurrency` loops: each sends one request at a time until no point is left. */
  private async slot(): Promise<void> {
    for (;;) {
      this.compact();
      if (this.waiting === 0) {
        if (this.active === 0) return this.notify(); // done: the other loops end too
        await this.changed();
        continue;
      }
      if (this.live().length === 0) {
        for (const t of this.queue.slice(this.head)) {
          if (t.taken) continue;
          this.take(t);
          this.lose(t.p, `no endpoint left${t.reason ? ` (the last failure: ${t.reason})` : ""}`);
        }
        continue;
      }
      const now = Date.now();
      let first: Task | undefined;
      let wakeAt = Infinity;
      for (let i = this.head; i < this.queue.length && first === undefined; i++) {
        const t = this.queue[i];
        if (t.taken) continue;
        if (t.notBefore <= now) first = t;
        else wakeAt = Math.min(wakeAt, t.notBefore);
      }
      if (first === undefined) {
        await this.changed(wakeAt - now);
        continue;
      }
      if (first.tooLarge !== undefined || first.seconds > this.cap()) {
        this.take(first);
        this.active++;
        try {
          await this.tooLarge(first.p, first.tooLarge ?? `estimated at ${first.seconds.toPrecision(3)} s, more than the endpoints' maxWork ${this.cap()} s`);
        } finally {
          this.active--;
          this.notify();
        }
        continue;
      }
      const e = this.pickNow(first.avoid);
      if (e === undefined) {
        await this.changed(Math.min(...this.live().map((x) => x.restUntil)) - now);
        continue;
      }
      const batch = this.batchFor(e, first, now);
      this.active++;
      try {
        await this.sendBatch(e, batch);
      } finally {
        this.active--;
        this.notify();
      }
    }
  }

  /**
   * The points of the next request to `e`, starting with `first`: ready ones in queue order, at
   * most ceil(waiting / (2 concurrency)) of them (and MAX_BATCH_POINTS), their estimates adding up to at most e.maxWork.
   * A point whose last attempt failed on `e` waits for another endpoint when one is rested.
   */
  private batchFor(e: Endpoint, first: Task, now: number): Task[] {
    const batch = [first];
    this.take(first);
    if (first.alone) return batch;
    const target = Math.min(MAX_BATCH_POINTS, Math.ceil((this.waiting + 1) / (2 * this.settings.concurrency)));
    const elsewhere = this.live().some((x) => x !== e && x.restUntil <= now);
    let seconds = first.seconds;
    for (let i = this.head; i < this.queue.length && batch.length < target; i++) {
      const t = this.queue[i];
      if (t.taken || t.alone || t.tooLarge !== undefined || t.notBefore > now || (t.avoid === e && elsewhere)) continue;
      // the sum in the batch's order, as the endpoint adds it up
      if (seconds + t.seconds > e.maxWork) break;
      seconds += t.seconds;
      batch.push(t);
      this.take(t);
    }
    return batch;
  }

  /** Back in the queue after a failed attempt on `e` (after its back-off), or lost after the last one. */
  private retry(t: Task, e: Endpoint, reason: string): void {
    t.attempt++;
    t.reason = reason;
    if (t.attempt > this.settings.retries) return this.lose(t.p, `${this.settings.retries + 1} attempts failed, the last one at ${reason}`);
    this.stats.retries++;
    t.notBefore = Date.now() + backoff(t.p.key, t.attempt - 1, this.backoffMs, this.maxBackoffMs);
    t.avoid = e;
    this.enqueue(t);
  }

  /** One POST /points: each point settled as its line arrives; the unanswered ones retried when the request fails. */
  private async sendBatch(e: Endpoint, batch: Task[]): Promise<void> {
    e.inFlight++;
    e.requests++;
    this.stats.requests++;
    const open = new Map(batch.map((t, i) => [i, t]));
    try {
      await this.stream(e, JSON.stringify({ points: batch.map((t) => ({ command: t.p.command, options: t.p.options })) }), (line) => {
        const t = typeof line.index === "number" ? open.get(line.index) : undefined;
        if (t === undefined) return; // not a point of this batch, or answered already
        open.delete(line.index as number);
        e.failures = 0;
        this.settle(t, e, line);
      });
      if (open.size > 0) throw new Transient(`the answer ended after ${batch.length - open.size} of ${batch.length} points`);
    } catch (err) {
      if (err instanceof BatchTooLarge) {
        for (const t of open.values()) {
          if (batch.length === 1) t.tooLarge = err.message;
          else t.alone = true;
          this.enqueue(t);
        }
        return;
      }
      if (!(err instanceof Transient)) throw err;
      e.failures++;
      e.restUntil = Date.now() + Math.min(30_000, this.backoffMs * 2 ** (e.failures - 1));
      for (const t of open.values()) this.retry(t, e, `${e.url}: ${err.message}`);
    } finally {
      e.inFlight--;
    }
  }

  /** A point's line of a batch answer: written, sent to the too-large path, or retried. */
  private settle(t: Task, e: Endpoint, line: BatchLine): void {
    if (line.status === 200 && typeof line.result === "string") {
      if ((JSON.parse(line.result) as { status?: string }).status === "max-work") {
        t.tooLarge = "the endpoint cut it at its work limit (status max-work)";
        return this.enqueue(t);
      }
      return this.hooks.write(t.p, { result: line.result });
    }
    if (line.status === 400 && line.estimate !== undefined) {
      t.tooLarge = line.error ?? "refused by its estimate";
      return this.enqueue(t);
    }
    if (line.status === 422) return this.hooks.write(t.p, { error: `${line.name ?? "Error"}: ${line.error ?? ""}` });
    this.retry(t, e, `${e.url}: ${line.status}${line.error ? `: ${line.error}` : ""}`);
  }

  /** Reads a POST /points answer line by line; each line must come within the deadline (--timeout) of the previous one. */
  private async stream(e: Endpoint, payload: string, onLine: (line: BatchLine) => void): Promise<void> {
    const controller = new AbortController();
    let timedOut = false;
    const expire = () => {
      timedOut = true;
      controller.abort();
    };
    let timer = setTimeout(expire, this.settings.timeoutMs);
    const failure = (err: unknown) => new Transient(timedOut ? `no answer within ${this.settings.timeoutMs / 1000} s` : (err as Error)?.message ?? String(err));
    let complete = false;
    try {
      let r: HttpAnswer;
      try {
        r = await request(`${e.url}${POINTS_PATH}`, { method: "POST", body: payload, headers: { "content-type": "application/json", ...authHeaders(this.settings.secret) }, signal: controller.signal });
      } catch (err) {
        throw failure(err);
      }
      if (r.status !== 200) {
        let text = "";
        try {
          text = await r.text();
        } catch (err) {
          throw failure(err);
        }
        complete = true;
        this.refused(e, r.status, text, true);
      }
      this.checkStamp(e, r.header(VERSION_HEADER));
      const decoder = new TextDecoder();
      let pending = "";
      const chunks = r.chunks()[Symbol.asyncIterator]();
      for (;;) {
        let chunk: IteratorResult<Buffer>;
        try {
          chunk = await chunks.next();
        } catch (err) {
          throw failure(err);
        }
        if (chunk.done) break;
        pending += decoder.decode(chunk.value, { stream: true });
        for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
          const text = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          clearTimeout(timer);
          timer = setTimeout(expire, this.settings.timeoutMs);
          let line: BatchLine;
          try {
            line = JSON.parse(text);
          } catch {
            throw new Transient("a line of the answer is not JSON");
          }
          onLine(line);
        }
      }
      complete = true;
    } finally {
      clearTimeout(timer);
      if (!complete) controller.abort(); // the connection is not reused with half an answer in it
    }
  }

  /** An answer's version stamp must be this build's; else the endpoint is dropped (its numbers could differ). */
  private checkStamp(e: Endpoint, header: string | undefined): void {
    const stamp = parseStamp(header);
    if (sameStamp(stamp, VERSION_STAMP)) return;
    e.dropped = `answers as ${stamp ? stampText(stamp) : "an unknown version"}`;
    this.hooks.message(`sweep: ${e.url} dropped: it now ${e.dropped}, not ${stampText(VERSION_STAMP)}\n`);
    throw new Transient(e.dropped);
  }

  /** A non-200 answer as the error it means (never returns). */
  private refused(e: Endpoint, status: number, text: string, batch: boolean): never {
    let body: { error?: string; name?: string; estimate?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* a proxy's page: transient below */
    }
    if (status === 400 && body.estimate !== undefined) throw batch ? new BatchTooLarge(body.error ?? "refused by its estimate") : new TooLarge(body.error ?? "refused by its estimate");
    if (status === 422) throw new ComputationError(`${body.name ?? "Error"}: ${body.error ?? text}`);
    if (status === 401 || status === 403) {
      e.dropped = `refused the secret (${status})`;
      this.hooks.message(`sweep: ${e.url} dropped: it ${e.dropped}\n`);
    }
    throw new Transient(`HTTP ${status}${body.error ? `: ${body.error}` : ""}`);
  }

  /** An SGD point in pieces of runs that each fit one request, else the whole point locally. */
  private async tooLarge(p: RemotePoint, why: string): Promise<void> {
    if (p.command !== "sgd") return this.local(p, `computed locally: ${why}`);
    const options = p.options as { runs?: number };
    const runs = options.runs ?? 10;
    const perRun = (k: number) => estimateWork("simulateSync", { ...options, runs: k }).seconds;
    let k = Math.min(runs, Math.floor(runs * (this.cap() / perRun(runs))));
    while (k >= 1 && perRun(k) > this.cap()) k--;
    if (k < 1) return this.local(p, `computed locally: ${why}, and one run alone is estimated at ${perRun(1).toPrecision(3)} s`);
    const ranges: [number, number][] = [];
    for (let first = 0; first < runs; first += k) ranges.push([first, Math.min(k, runs - first)]);
    this.stats.split++;
    const t0 = performance.now();
    try {
      const parts = await Promise.all(ranges.map(async ([firstRun, count]) => (JSON.parse(await this.request(p, { command: "sgd", options: p.options, firstRun, count })) as { runs: RawRunJson[] }).runs));
      this.hooks.write(p, { result: aggregateSgdRuns(p.options, parts.flat(), performance.now() - t0) });
    } catch (err) {
      if (err instanceof TooLarge) return this.local(p, `computed locally: the endpoint refused its runs in pieces (${err.message})`);
      if (err instanceof ComputationError) return this.hooks.write(p, { error: err.message });
      return this.lose(p, (err as Error).message);
    }
  }

  private local(p: RemotePoint, note?: string): void {
    this.stats.local++;
    this.locals.push(this.hooks.runLocal(p).then((o) => this.hooks.write(p, o, note)));
  }

  private lose(p: RemotePoint, reason: string): void {
    this.stats.lost.push({ point: p, reason });
    this.hooks.message(`sweep: point ${p.key} not computed: ${reason}\n`);
  }

  /** The endpoint for the next attempt: live, rested, least busy; avoiding `avoid` when another is there; none while all rest. */
  private pickNow(avoid: Endpoint | undefined): Endpoint | undefined {
    const now = Date.now();
    const rested = this.live().filter((e) => e.restUntil <= now);
    const others = rested.filter((e) => e !== avoid);
    const choice = others.length > 0 ? others : rested;
    if (choice.length === 0) return undefined;
    const least = Math.min(...choice.map((e) => e.inFlight));
    const best = choice.filter((e) => e.inFlight === least);
    return best[this.turn++ % best.length];
  }

  /** pickNow, waiting for the first endpoint to end its rest. */
  private async pick(avoid: Endpoint | undefined): Promise<Endpoint> {
    for (;;) {
      const live = this.live();
      if (live.length === 0) throw new Error("every endpoint was dropped");
      const e = this.pickNow(avoid);
      if (e) return e;
      await sleep(Math.max(1, Math.min(...live.map((x) => x.restUntil)) - Date.now()));
    }
  }

  /** One request with retries; resolves to the answer's text. */
  private async request(p: RemotePoint, body: object): Promise<string> {
    const payload = JSON.stringify(body);
    let last: Endpoint | undefined;
    let reason = "";
    for (let attempt = 0; attempt <= this.settings.retries; attempt++) {
      if (attempt > 0) {
        this.stats.retries++;
        await sleep(backoff(p.key, attempt - 1, this.backoffMs, this.maxBackoffMs));
      }
      const e = await this.pick(last);
      last = e;
      e.inFlight++;
      e.requests++;
      this.stats.requests++;
      try {
        const text = await this.send(e, payload);
        e.failures = 0;
        return text;
      } catch (err) {
        if (!(err instanceof Transient)) throw err;
        reason = `${e.url}: ${err.message}`;
        e.failures++;
        e.restUntil = Date.now() + Math.min(30_000, this.backoffMs * 2 ** (e.failures - 1));
      } finally {
        e.inFlight--;
      }
    }
    throw new Error(`${this.settings.retries + 1} attempts failed, the last one at ${reason}`);
  }

  private async send(e: Endpoint, payload: string): Promise<string> {
    let r: HttpAnswer, text: string;
    try {
      r = await request(`${e.url}${POINT_PATH}`, { method: "POST", body: payload, headers: { "content-type": "application/json", ...authHeaders(this.settings.secret) }, signal: AbortSignal.timeout(this.settings.timeoutMs) });
      text = await r.text();
    } catch (err) {
      if (err instanceof HttpFailure && err.timedOut) throw new Transient(`no answer within ${this.settings.timeoutMs / 1000} s`);
      throw new Transient((err as Error)?.message ?? String(err));
    }
    if (r.status !== 200) this.refused(e, r.status, text, false);
    this.checkStamp(e, r.header(VERSION_HEADER));
    return text;
  }
}

/** The point's own failure (the API refused its options): its line holds the error, as a local run's would. */
class ComputationError extends Error {}

// `scm sweep --remote URL,...`: the points sent to deployments of the edge entry (POST /point,
// src/edge/point.ts), which run them with the same WebAssembly as a local worker thread, so each
// line reads as a local run writes it. Requests fan out over the endpoints (the least busy first);
// one that fails or passes its deadline is retried after an exponential back-off with seeded
// jitter, on another endpoint when there is one, and a failing endpoint rests for a growing time.
// A point whose estimate exceeds the endpoints' maxWork is split by runs when it is an SGD point
// (run r depends only on the options and r; the runs are aggregated here by simulateSync's own
// aggregation) or else runs locally, with a note in its line. Node only (the CLI).
import { estimateWork } from "../api";
import { OptionError } from "../core/errors";
import { keyHash } from "../sweep/key";
import { aggregateSgdRuns, POINT_WORK_KINDS, type RawRunJson } from "../sweep/points";
import { parseStamp, sameStamp, stampText, VERSION_STAMP, type VersionStamp } from "../sweep/version";

/** The header the edge stamps its answers with (src/edge/point.ts). */
const VERSION_HEADER = "x-soft-committee-version";
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
      const r = await fetch(`${url}/`, { headers: authHeaders(secret), signal: AbortSignal.timeout(timeoutMs) });
      const text = await r.text();
      return { url, status: r.status, text };
    } catch (err) {
      return { url, status: 0, text: (err as Error)?.cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message };
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

export class RemoteSweep {
  readonly stats: RemoteStats = { requests: 0, retries: 0, split: 0, local: 0, lost: [], perEndpoint: {} };
  private readonly locals: Promise<void>[] = [];
  private turn = 0;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly endpoints: Endpoint[], private readonly settings: RemoteSettings, private readonly hooks: RemoteHooks) {
    this.backoffMs = settings.backoffMs ?? 250;
    this.maxBackoffMs = settings.maxBackoffMs ?? 8000;
  }

  /** Runs every point; resolves when each is written or lost. */
  async run(points: readonly RemotePoint[]): Promise<RemoteStats> {
    let next = 0;
    const loop = async () => {
      while (next < points.length) await this.point(points[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, points.length) }, loop));
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

  private async point(p: RemotePoint): Promise<void> {
    const kind = POINT_WORK_KINDS[p.command as keyof typeof POINT_WORK_KINDS];
    let seconds: number;
    try {
      seconds = estimateWork(kind, p.options).seconds;
    } catch {
      return this.local(p); // the local run says what is wrong, as a local sweep would
    }
    if (seconds > this.settings.maxWork) return this.local(p); // refused as a local run refuses it
    if (this.live().length === 0) return this.lose(p, "no endpoint left");
    try {
      if (seconds <= this.cap()) {
        const answer = await this.request(p, { command: p.command, options: p.options });
        const status = (JSON.parse(answer) as { status?: string }).status;
        if (status === "max-work") throw new TooLarge("the endpoint cut it at its work limit (status max-work)");
        this.hooks.write(p, { result: answer });
        return;
      }
      throw new TooLarge(`estimated at ${seconds.toPrecision(3)} s, more than the endpoints' maxWork ${this.cap()} s`);
    } catch (err) {
      if (err instanceof TooLarge) return this.tooLarge(p, err.message);
      if (err instanceof ComputationError) return this.hooks.write(p, { error: err.message });
      return this.lose(p, (err as Error).message);
    }
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

  /** The endpoint for the next attempt: live, rested, least busy; avoiding `avoid` when another is there. */
  private async pick(avoid: Endpoint | undefined): Promise<Endpoint> {
    for (;;) {
      const live = this.live();
      if (live.length === 0) throw new Error("every endpoint was dropped");
      const now = Date.now();
      const rested = live.filter((e) => e.restUntil <= now);
      const choice = rested.filter((e) => e !== avoid).length > 0 ? rested.filter((e) => e !== avoid) : rested;
      if (choice.length > 0) {
        const least = Math.min(...choice.map((e) => e.inFlight));
        const best = choice.filter((e) => e.inFlight === least);
        return best[this.turn++ % best.length];
      }
      await sleep(Math.max(1, Math.min(...live.map((e) => e.restUntil)) - now));
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
    let r: Response, text: string;
    try {
      r = await fetch(`${e.url}/point`, { method: "POST", body: payload, headers: { "content-type": "application/json", ...authHeaders(this.settings.secret) }, signal: AbortSignal.timeout(this.settings.timeoutMs) });
      text = await r.text();
    } catch (err) {
      const er = err as Error;
      if (er?.name === "TimeoutError") throw new Transient(`no answer within ${this.settings.timeoutMs / 1000} s`);
      throw new Transient(er?.cause instanceof Error ? er.cause.message : er?.message ?? String(err));
    }
    if (r.status === 200) {
      const stamp = parseStamp(r.headers.get(VERSION_HEADER));
      if (!sameStamp(stamp, VERSION_STAMP)) {
        e.dropped = `answers as ${stamp ? stampText(stamp) : "an unknown version"}`;
        this.hooks.message(`sweep: ${e.url} dropped: it now ${e.dropped}, not ${stampText(VERSION_STAMP)}\n`);
        throw new Transient(e.dropped);
      }
      return text;
    }
    let body: { error?: string; name?: string; estimate?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* a proxy's page: transient below */
    }
    if (r.status === 400 && body.estimate !== undefined) throw new TooLarge(body.error ?? "refused by its estimate");
    if (r.status === 422) throw new ComputationError(`${body.name ?? "Error"}: ${body.error ?? text}`);
    if (r.status === 401 || r.status === 403) {
      e.dropped = `refused the secret (${r.status})`;
      this.hooks.message(`sweep: ${e.url} dropped: it ${e.dropped}\n`);
    }
    throw new Transient(`HTTP ${r.status}${body.error ? `: ${body.error}` : ""}`);
  }
}

/** The point's own failure (the API refused its options): its line holds the error, as a local run's would. */
class ComputationError extends Error {}

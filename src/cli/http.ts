// The HTTP requests of `scm sweep --remote`, through node:http and node:https with keep-alive
// agents (one connection per request in flight, reused by the next). Node's fetch costs some
// 45 ms on its first call (it loads its HTTP stack) and a few milliseconds of CPU per request,
// time taken from the endpoints when they share the machine's cores (bench/RESULTS-sweeps.md);
// node:http is loaded already and costs about 1 ms per request. Node only (the CLI).
import http from "node:http";
import https from "node:https";

const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** An answer: status, headers, and the body as it arrives. */
export interface HttpAnswer {
  status: number;
  header(name: string): string | undefined;
  /** The body's chunks as they arrive; throws when the connection breaks or the request is aborted. */
  chunks(): AsyncIterable<Buffer>;
  text(): Promise<string>;
  /** Stops reading the body (the connection is closed, not reused). */
  discard(): void;
}

/** The request failed before or while its answer came: `timedOut` when `signal` aborted it. */
export class HttpFailure extends Error {
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
  }
}

const failure = (err: unknown, signal: AbortSignal | undefined) => new HttpFailure((err as Error)?.message ?? String(err), signal?.aborted === true);

/** One request; resolves when the answer's status and headers are in. */
export function request(url: string, o: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const body = o.body === undefined ? undefined : Buffer.from(o.body, "utf8");
  return new Promise((resolve, reject) => {
    const req = transport.request(target, {
      method: o.method ?? "GET",
      headers: { ...o.headers, ...(body ? { "content-length": String(body.length) } : {}) },
      agent: agents[target.protocol as keyof typeof agents],
      signal: o.signal,
    }, (res) => {
      let error: HttpFailure | undefined;
      // a connection that breaks mid-body: aborted, then an error on the stream
      res.on("aborted", () => (error ??= new HttpFailure("the connection closed in the middle of the answer", o.signal?.aborted === true)));
      res.on("error", (err) => (error ??= failure(err, o.signal)));
      const chunks = async function* () {
        try {
          for await (const chunk of res) yield chunk as Buffer;
        } catch (err) {
          throw error ?? failure(err, o.signal);
        }
        if (error || !res.complete) throw error ?? new HttpFailure("the connection closed in the middle of the answer", o.signal?.aborted === true);
      };
      resolve({
        status: res.statusCode ?? 0,
        header: (name) => {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(", ") : v;
        },
        chunks,
        text: async () => {
          const parts: Buffer[] = [];
          for await (const c of chunks()) parts.push(c);
          return Buffer.concat(parts).toString("utf8");
        },
        discard: () => res.destroy(),
      });
    });
    req.on("error", (err) => reject(failure(err, o.signal)));
    req.end(body);
  });
}

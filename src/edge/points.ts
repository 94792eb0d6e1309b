// POST /points: several points of `scm sweep --remote` in one request, answered as a stream of
// JSON lines (NDJSON), one per point as soon as it is computed, so the client saves each result
// when it arrives and an endpoint that dies mid-batch loses only the points not yet sent (the
// client retries those elsewhere). Each point is computed and answered as POST /point answers it
// (computePoint, src/edge/point.ts): a line {"index", "status": 200, "result": "<the result's
// JSON text>"} (the text as a JSON string, so it reaches the file bit for bit), or {"index",
// "status": 400 | 422 | 500, ...the body /point would send}. The whole batch is refused with 400
// and its estimate when the points' estimates (the API's cost model, as the client computes them)
// add up to more than maxWork: one request never carries more work than one point may.
import { POINT_RUNNERS, pointSeconds } from "../sweep/points";
import { computePoint, fail, isPointBody, readJsonBody, stampedHeaders } from "./point";

export const POINTS_PATH = "/points";
/** Most points per request. */
export const MAX_BATCH_POINTS = 256;

const encoder = new TextEncoder();

/** The estimated seconds of a point (0 when its options cannot be estimated: its computation then says why). */
function secondsOrZero(command: string, options: object): number {
  try {
    return pointSeconds(command, options);
  } catch {
    return 0;
  }
}

/** Lets the runtime send what was enqueued before the next point occupies the thread. */
const yieldToRuntime = () => new Promise<void>((r) => setTimeout(r, 0));

export async function points(request: Request, maxWork: number): Promise<Response> {
  const shape = '{"points": [{command, options}, ...]}';
  const read = await readJsonBody(request, POINTS_PATH, shape);
  if ("refused" in read) return read.refused;
  const list = (read.body as { points?: unknown } | null)?.points;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH_POINTS || !list.every((p) => isPointBody(p as object)))
    return fail(400, { error: `the body must be ${shape}: 1 to ${MAX_BATCH_POINTS} points, each with command one of ${Object.keys(POINT_RUNNERS).join(", ")} and options an object` });
  const batch = list as { command: string; options: object }[];
  // the sum in the points' order: the client adds the same estimates in the same order
  let seconds = 0;
  for (const p of batch) seconds += secondsOrZero(p.command, p.options);
  if (batch.length > 1 && seconds > maxWork)
    return fail(400, { error: `the ${batch.length} points are estimated at ${seconds.toPrecision(3)} s together, more than this endpoint's maxWork ${maxWork} s per request; send fewer at once`, estimate: { seconds }, maxWork });
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index > 0) await yieldToRuntime();
      const p = batch[index];
      const r = computePoint(p.command, p.options, maxWork);
      const line = r.status === 200 ? { index, status: 200, result: r.text } : { index, status: r.status, ...r.body };
      controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
      if (++index === batch.length) controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status: 200, headers: stampedHeaders("application/x-ndjson; charset=utf-8") });
}

// One request of the page's worker: runs a view's computation, forwarding the API's progress
// reports, a partial result and the result; an option error goes back with the field it belongs to
// (read from the error's `option`, never from its message). Runtime-neutral (tested in Node).
import { isOptionError } from "../core/errors";
import { atFields, FieldError } from "../options/form";
import { progressListener } from "../text/progress";
import type { ViewDefinition, WorkerReply, WorkerRequest } from "./view";

export async function handleRequest(views: readonly ViewDefinition<any, any>[], { id, view, params }: WorkerRequest, post: (m: WorkerReply) => void): Promise<void> {
  const v = views.find((x) => x.id === view);
  try {
    if (!v) throw new Error(`unknown view ${JSON.stringify(view)}`);
    const result = await v.compute(params, {
      progress: (progress) => post({ id, type: "progress", progress }),
      listener: (label, unit = "") => progressListener(label, unit, (progress) => post({ id, type: "progress", progress })),
      partial: (result) => post({ id, type: "partial", result }),
    });
    post({ id, type: "result", result });
  } catch (e) {
    let err = e;
    // an option error not yet placed by the view: the field of its option
    if (v && isOptionError(err)) {
      try {
        atFields(v.fields, () => {
          throw err;
        });
      } catch (placed) {
        err = placed;
      }
    }
    if (err instanceof FieldError) return post({ id, type: "error", name: "FieldError", message: err.message, field: err.field });
    const x = err instanceof Error ? err : new Error(String(err));
    post({ id, type: "error", name: x.name, message: x.message });
  }
}

# workerd configuration serving the edge entry (copied to dist/edge/ by npm run build).
#   npx workerd serve dist/edge/workerd.capnp                     # http://127.0.0.1:8787/
#   npx workerd serve dist/edge/workerd.capnp --socket-addr http=127.0.0.1:9000
#   SCM_EDGE_SECRET=... npx workerd serve dist/edge/workerd.capnp   # requests need "authorization: Bearer ..."
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "soft-committee", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "soft-committee")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    # the name the worker imports ("./soft-committee.wasm"): workerd hands it over as a WebAssembly.Module
    (name = "soft-committee.wasm", wasm = embed "soft-committee.wasm"),
  ],
  # the shared secret of the authenticated mode, from the environment variable of the same name
  # (unset: the binding is null and the edge is open); or a fixed one: (name = "SCM_EDGE_SECRET", text = "...")
  bindings = [(name = "SCM_EDGE_SECRET", fromEnvironment = "SCM_EDGE_SECRET")],
  compatibilityDate = "2025-09-01",
);

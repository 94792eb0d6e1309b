# workerd configuration serving the edge entry (copied to dist/edge/ by npm run build).
#   npx workerd serve dist/edge/workerd.capnp                     # http://127.0.0.1:8787/
#   npx workerd serve dist/edge/workerd.capnp --socket-addr http=127.0.0.1:9000
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
  compatibilityDate = "2025-09-01",
);

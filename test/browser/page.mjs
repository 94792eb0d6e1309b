import { compute } from "./compute.mjs";
compute().then((r) => (window.__result = r), (e) => (window.__error = String(e && e.stack || e)));

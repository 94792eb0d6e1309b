// Numbers computed identically in Node and in headless Chromium (run.mjs compares them bit
// for bit). Imports the published bundle, not the sources.
import { ready, i2, i3, i4, hermiteI4, orthantProbability, integrate, integrateSymmetric, generalizationError, simulate, simulateSync } from "../../dist/index.js";

const hex = (x) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0).toString(16).padStart(16, "0");
};

export async function compute() {
  await ready();
  const A = [[1.2, 0.3, -0.2, 0.5], [0.3, 0.9, 0.1, 0.2], [-0.2, 0.1, 1.5, 0.7], [0.5, 0.2, 0.7, 2.0]];
  const out = {};
  for (const act of ["relu", "erf", "linear"]) {
    out[`${act} I2`] = hex(i2([[1.2, 0.3], [0.3, 0.9]], { activation: act }));
    out[`${act} I3`] = hex(i3([[1.2, 0.3, -0.2], [0.3, 0.9, 0.1], [-0.2, 0.1, 1.5]], { activation: act }));
    out[`${act} I4`] = hex(i4(A, { activation: act }));
  }
  out["relu I4 hermite N=10"] = hex(hermiteI4(A, { hermiteOrder: 10 }).value);
  out["P4"] = hex(orthantProbability(A));
  out["eg"] = hex(generalizationError({ Q: [[1, 0.2], [0.2, 0.8]], R: [[0.5, 0.1], [0.0, 0.6]], T: [[1, 0], [0, 2]] }));
  for (const integrator of ["euler", "rk4", "adaptive"]) {
    const r = integrate({ integrator, alphaMax: 40, samples: 5 });
    out[`reference ${integrator} status`] = r.status;
    r.eg.forEach((x, s) => (out[`reference ${integrator} eg[${s}]`] = hex(x)));
    out[`reference ${integrator} Q[4]`] = r.Q[4].flat().map(hex).join(" ");
    out[`reference ${integrator} R[4]`] = r.R[4].flat().map(hex).join(" ");
  }
  const h = integrate({ method: "hermite", alphaMax: 20, samples: 3, hermiteCheck: false });
  out["reference hermite eg[2]"] = hex(h.eg[2]);
  const erf = integrate({ activation: "erf", K: 3, M: 2, Q0: [[0.2, 0, 0], [0, 0.3, 0], [0, 0, 0.25]], R0: [[0.01, 0], [0, 0.02], [0.01, 0.01]], alphaMax: 20, samples: 3, integrator: "euler" });
  out["erf K=3 M=2 eg[2]"] = hex(erf.eg[2]);
  for (const activation of ["relu", "erf"]) {
    const sim = simulateSync({ activation, d: 200, runs: 3, alphaMax: 2, samples: 3, seed: 5, testInputs: 50 });
    sim.eg.mean.forEach((x, s) => (out[`simulate ${activation} seed 5 eg mean[${s}]`] = hex(x)));
    out[`simulate ${activation} seed 5 Q mean[2]`] = sim.Q.mean[2].flat().map(hex).join(" ");
    out[`simulate ${activation} seed 5 test error[2]`] = hex(sim.egTest.mean[2]);
    // in the browser these runs go to Web Workers; the numbers must not change
    const par = await simulate({ activation, d: 200, runs: 3, alphaMax: 2, samples: 3, seed: 5, testInputs: 50, threads: 2 });
    out[`simulate ${activation} 2 threads == 1 thread`] = String(par.eg.mean.every((x, s) => x === sim.eg.mean[s]) && par.egTest.mean[2] === sim.egTest.mean[2]);
    out[`simulate ${activation} threads used`] = typeof Worker === "undefined" ? "workers" : String(par.stats.threads === 2 ? "workers" : "in-thread");
    const batch = simulateSync({ activation, d: 200, runs: 2, alphaMax: 2, samples: 3, seed: 7, batch: 4 });
    out[`simulate ${activation} batch 4 eg mean[2]`] = hex(batch.eg.mean[2]);
  }
  // the site-symmetric ODE (one WebAssembly call per trajectory)
  for (const activation of ["relu", "erf"]) {
    const s = integrateSymmetric({ activation, K: 1000, learningRate: 5e-4, alphaMax: 20, samples: 3 });
    s.eg.forEach((x, i) => (out[`symmetric ${activation} K=1000 eg[${i}]`] = hex(x)));
    out[`symmetric ${activation} K=1000 Q C R S [2]`] = [s.Q[2], s.C[2], s.R[2], s.S[2]].map(hex).join(" ");
  }
  return out;
}

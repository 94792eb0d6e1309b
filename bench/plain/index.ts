// Plain-TypeScript ports of the WebAssembly kernels (assembly/), for benchmarks that
// compare the core with the same algorithms in plain TypeScript in the same process.
// Checked against the WebAssembly build by bench/plain/check.ts.
export { orthant2, orthant3, orthant4, setOrthantTolerance, orthantPanels } from "./orthant";
export { truncatedMoment, reluI2, reluI3, reluI4 } from "./relu";
export { erfI2, erfI3, erfI4 } from "./erf";
export { hermiteI4Correlation, absCorrelationSpectralRadius, thetaCoefficient, reluCoefficient, HERMITE_MAX_ORDER } from "./hermite";
export {
  avgI2, avgI3, avgI4, setActivation, setErfRowsPlain, configurePlainModel, packStatePlain, rhsPlain, generalizationError as generalizationErrorPlain,
  type PlainActivation, type PlainModelOptions, type PlainRhsOptions,
} from "./model";
export { integratePlain, type PlainIntegrateOptions, type PlainIntegrateResult, type PlainIntegrator } from "./integrate";

// The public API, independent of how the WebAssembly core is loaded.
export { ready, useCore, createEngine, createEngineAsync, registerCore, type WasmSource } from "./core/engine";
export { ACTIVATIONS, METHODS, INTEGRATORS, STATUSES, type Activation, type AverageMethod, type Integrator, type OdeStatus } from "./core/exports";
export { i2, i3, i4, hermiteI4, orthantProbability, maxHermiteOrder, type AverageOptions, type I4Options, type HermiteI4Result } from "./averages/index";
export { integrate, generalizationError, orderParameterDerivatives, packState, unpackState, type OdeResult, type OdeStats, type HermiteDiagnostics, type GeneralizationErrorOptions, type RhsOptions } from "./online/integrate";
export { REFERENCE_SETTING, MAX_UNITS, type IntegrateOptions, type ResolvedOdeOptions, type TeacherStudentSetting } from "./online/options";
export { integrationErrorEstimate, type ErrorEstimate } from "./online/errorEstimate";
export { simulate, simulateSync, runSeed, type SimulateOptions, type SimulationResult, type RunTrajectory, type MeanStd, type SimulationStats } from "./simulation/simulate";
export { compare, type CompareOptions, type Comparison, type Deviation } from "./simulation/compare";
export { stepDrift, type StepDriftOptions, type StepDrift } from "./simulation/drift";
export { registerWorkerPlatform, type WorkerPlatform, type WorkerHandle } from "./simulation/parallel";
export { freeEnergy, EQUILIBRIUM_ACTIVATIONS, type FreeEnergyOptions, type FreeEnergyResult, type EquilibriumActivation } from "./equilibrium/freeEnergy";
export { equilibrium, type EquilibriumOptions, type EquilibriumResult, type Branch } from "./equilibrium/equilibrium";
export { transitions, type TransitionsOptions, type TransitionsResult, type BranchPoint } from "./equilibrium/transitions";
export { siteSymmetryCheck, fullFreeEnergy, siteSymmetricParameters, type SiteSymmetryCheck } from "./equilibrium/siteSymmetry";

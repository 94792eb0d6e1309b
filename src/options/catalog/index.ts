// Every declared option, by group.
export * from "./setting";
export * from "./learning";
export * from "./training";
export * from "./overparameterisation";
export * from "./numerics";
export * from "./simulation";
export * from "./fixedPoints";
export * from "./thresholds";
export * from "./equilibrium";
export * from "./populationGradient";
export * from "./optimalLearningRate";
export * from "./symmetric";
export * from "./schedules";
export * from "./output";
export * from "./control";

// The option schema as a package entry ("soft-committee/options"): every option's declaration,
// the commands and what is derived from them (help texts, the CLI reference, text parsing and
// checking), for front-ends built on the library.
export * from "./option";
export * from "./check";
export * from "./text";
export * from "./matrix";
export * from "./tokenize";
export * from "./query";
export * from "./problem";
export * from "./setting";
export * from "./rules";
export * from "./form";
export { COMMANDS, SWEEPS, commandByName, sweepByCommand, type CommandSpec, type SweepSpec } from "./commands";
export { commandHelp, mainHelp, optionDescription } from "./help";
export { cliReference } from "./docs";
export * as catalog from "./catalog/index";
export * from "./values";

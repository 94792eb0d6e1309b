// Entry without an embedded core: call useCore(moduleOrBytes) or registerCore(() => ...) first.
export * from "./api";

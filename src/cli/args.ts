// Parsers of option text live in src/text (runtime-neutral: the edge entry uses them too).
export * from "../text/args";

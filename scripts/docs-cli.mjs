// `npm run docs:cli`: writes docs/cli.md, the command-line reference generated from the option
// schema (test/docs.test.ts fails when the committed file differs from a fresh generation).
import { writeFileSync } from "node:fs";
import { cliReference } from "../dist/options.js";

writeFileSync("docs/cli.md", cliReference());
console.log("wrote docs/cli.md");

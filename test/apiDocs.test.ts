// Every public export of the API (src/api.ts) carries a doc comment, and so does every public
// member of an exported class and every method of an exported interface: the API reference
// (`npm run docs`, TypeDoc) is generated from these comments. Checked with the TypeScript compiler
// API on the sources, so it runs in a second without building the reference.
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../src/api.ts", import.meta.url));

/** Names of undocumented public declarations reachable from the module's exports. */
export function undocumentedExports(file: string): { checked: number; missing: string[] } {
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, noEmit: true, skipLibCheck: true, types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  const missing: string[] = [];
  let checked = 0;
  const documented = (s: ts.Symbol) => s.getDocumentationComment(checker).some((p) => p.text.trim() !== "");
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    checked++;
    if (!documented(s)) missing.push(exported.name);
    const declaration = s.declarations?.[0];
    if (declaration && ts.isClassDeclaration(declaration)) {
      for (const member of declaration.members) {
        const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
        if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
        if (!member.name || ts.isPrivateIdentifier(member.name)) continue;
        const ms = checker.getSymbolAtLocation(member.name);
        if (!ms) continue;
        checked++;
        if (!documented(ms)) missing.push(`${exported.name}.${ms.name}`);
      }
    }
    if (declaration && ts.isInterfaceDeclaration(declaration)) {
      for (const member of declaration.members) {
        if (!ts.isMethodSignature(member) || !member.name) continue;
        const ms = checker.getSymbolAtLocation(member.name);
        if (!ms) continue;
        checked++;
        if (!documented(ms)) missing.push(`${exported.name}.${ms.name}()`);
      }
    }
  }
  return { checked, missing };
}

describe("API reference: doc comments", () => {
  it("every export of src/api.ts, public class member and interface method is documented", () => {
    const { checked, missing } = undocumentedExports(entry);
    expect(checked).toBeGreaterThan(150); // the whole API is seen, not a stub
    expect(missing).toEqual([]);
  });
});

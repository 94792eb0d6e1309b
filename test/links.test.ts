// The documentation's links and pointers: every relative link (and its #anchor) in README.md and
// docs/*.md resolves, and in docs/theory.md every symbol named after a link to a source file
// occurs in that file and every quoted test title after a link to a test file occurs in it, so a
// reader who follows a pointer finds what it names.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];

/** Markdown without fenced code blocks (links inside them are not links). */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** Anchors of a markdown file's headings, as GitHub makes them (duplicates get -1, -2, ...). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(text).split("\n")) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const plain = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*_]/g, (c) => (c === "_" ? "_" : ""));
    const slug = plain.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a markdown text (external links and mailto skipped). */
function relativeLinks(text: string): string[] {
  const body = withoutFences(text).replace(/(?<!\[)`[^`\n]*`(?!\])/g, "");
  const out: string[] = [];
  for (const m of body.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    out.push(target);
  }
  return out;
}

describe("relative links in README.md and docs/*.md resolve", () => {
  it("the slugs follow GitHub's rule", () => {
    const a = headingAnchors("# 2.1 ReLU: closed forms\n## 5. Equilibrium (high-temperature) theory\n### `code` and [a link](x)\n## Dup\n## Dup\n```\n# not a heading\n```\n");
    expect([...a]).toEqual(["21-relu-closed-forms", "5-equilibrium-high-temperature-theory", "code-and-a-link", "dup", "dup-1"]);
  });
  for (const doc of documents) {
    it(doc, () => {
      const text = readFileSync(join(root, doc), "utf8");
      const links = relativeLinks(text);
      expect(links.length).toBeGreaterThan(0);
      const broken: string[] = [];
      for (const link of links) {
        const [path, anchor] = link.split("#");
        const target = path === "" ? join(root, doc) : resolve(dirname(join(root, doc)), decodeURIComponent(path));
        if (!target.startsWith(root)) broken.push(`${link}: outside the repository`);
        else if (!existsSync(target)) broken.push(`${link}: no such file (${relative(root, target)})`);
        else if (anchor !== undefined) {
          if (!target.endsWith(".md") || statSync(target).isDirectory()) broken.push(`${link}: anchor into a file that is not markdown`);
          else if (!headingAnchors(readFileSync(target, "utf8")).has(anchor)) broken.push(`${link}: no heading with anchor #${anchor} in ${relative(root, target)}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});

describe("docs/theory.md: every pointer names something that exists", () => {
  const text = withoutFences(readFileSync(join(root, "docs/theory.md"), "utf8"));
  // list items (with their continuation lines) that contain a link to a file of the repository
  const items = text.split(/\n(?=\s*- )|\n\s*\n/).filter((item) => /\]\(\.\.\//.test(item));
  it("the pointers are many (the check is not vacuous)", () => {
    expect(items.length).toBeGreaterThan(60);
  });
  it("symbols after a link to a source file occur in it; quoted titles after a link to a test file occur in it", () => {
    const missing: string[] = [];
    let symbols = 0, titles = 0;
    for (const item of items) {
      let file: string | null = null;
      let source = "";
      // tokens in order: a link sets the current file; `name` and "title" refer to it
      for (const m of item.matchAll(/\[`[^`]+`\]\(\.\.\/([^)#\s]+)\)|`([^`\n]+)`|"([^"\n]+)"/g)) {
        if (m[1] !== undefined) {
          file = m[1];
          source = existsSync(join(root, file)) ? readFileSync(join(root, file), "utf8") : "";
          if (source === "") missing.push(`${file}: no such file`);
        } else if (m[2] !== undefined && file !== null && /^[A-Za-z_$][\w$]*$/.test(m[2]) && /\.(ts|mjs|py)$/.test(file)) {
          symbols++;
          if (!new RegExp(`(?<![\\w$])${m[2].replace(/\$/g, "\\$")}(?![\\w$])`).test(source)) missing.push(`${file}: symbol ${m[2]}`);
        } else if (m[3] !== undefined && file !== null && /^test\/.*\.test\.ts$/.test(file)) {
          titles++;
          if (!source.includes(m[3])) missing.push(`${file}: test title "${m[3]}"`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(symbols).toBeGreaterThan(100);
    expect(titles).toBeGreaterThan(100);
  });
});

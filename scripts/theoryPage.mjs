// docs/theory.md as a web page (dist/web/theory.html), so the page's Explain panels can link to
// its sections from any static host. Heading ids are GitHub's anchors (the ones README.md and the
// contents list of docs/theory.md use); links into the repository's source files become plain
// text (the sources are not deployed with the page), links to other headings stay links.
import MarkdownIt from "markdown-it";

/** GitHub's anchor of a heading's text (duplicates get -1, -2, ...; see test/links.test.ts). */
export function slug(text, seen) {
  const base = text.replace(/[`*]/g, "").toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

export function theoryHtml(markdown) {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const seen = new Map();
  md.core.ruler.push("anchors_and_links", (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type === "heading_open") {
        const inline = tokens[i + 1];
        const text = inline.children.filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("");
        tokens[i].attrSet("id", slug(text, seen));
      }
      if (tokens[i].type !== "inline") continue;
      const kids = tokens[i].children;
      for (let j = 0; j < kids.length; j++) {
        if (kids[j].type !== "link_open") continue;
        const href = kids[j].attrGet("href") ?? "";
        if (href.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
        // a file of the repository: keep the text, drop the link (and say which file in a title)
        const close = kids.findIndex((t, k) => k > j && t.type === "link_close");
        kids[j] = Object.assign(new state.Token("html_inline", "", 0), { content: `<span title="${md.utils.escapeHtml(href.replace(/^(\.\.\/)+/, ""))} in the repository">` });
        if (close > j) kids[close] = Object.assign(new state.Token("html_inline", "", 0), { content: "</span>" });
      }
    }
  });
  const body = md.render(markdown);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Theory of soft-committee</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #1b1b1b; }
pre { background: #f4f4f4; padding: 0.6rem; overflow-x: auto; }
code { font-size: 0.92em; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
:target { background: #fff6d5; }
</style>
</head>
<body>
<p><a href="./index.html">← back to the page</a> · the repository's docs/theory.md</p>
${body}
</body>
</html>
`;
}

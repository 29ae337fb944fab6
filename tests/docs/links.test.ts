import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function markdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdown(join(dir, entry.name))
      : entry.name.endsWith(".md")
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = [
  join(root, "README.md"),
  join(root, "packages/local/README.md"),
  ...markdown(join(root, "docs")),
];

/** The text outside fenced code blocks: a link or heading in a code sample is not one. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** GitHub's heading ids: formatting dropped, lower case, punctuation but - and _ removed, spaces to -, repeats -1, -2. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = (heading ?? "")
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

// A doc that points at a file that moved, or a heading that was renamed, tells the reader something false.
describe("relative links in the docs", () => {
  it.each(files.map((file) => [relative(root, file), file] as const))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const broken: string[] = [];
    for (const [, link] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = link ?? "";
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [path = "", anchor] = target.split("#");
      const resolved = path === "" ? file : resolve(dirname(file), decodeURI(path));
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!resolved.endsWith(".md") || statSync(resolved).isDirectory()) {
        broken.push(`${target}: an anchor into a file that is not markdown`);
        continue;
      }
      if (!anchors(readFileSync(resolved, "utf8")).has(decodeURIComponent(anchor)))
        broken.push(`${target}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it("finds GitHub's ids for headings in English and Japanese", () => {
    const ids = anchors(
      "# The talk\n## If `API Gateway` stops?\n## 5. Repository (DynamoDB)\n## Q&A\n## Q&A\n```md\n# not a heading\n```\n## 認証・認可\n## [Who](x.md) may touch what\n",
    );
    expect([...ids]).toEqual([
      "the-talk",
      "if-api-gateway-stops",
      "5-repository-dynamodb",
      "qa",
      "qa-1",
      "認証認可",
      "who-may-touch-what",
    ]);
  });
});

// Japanese is first-class: each English page has its Japanese counterpart and the other way round.
describe("docs/en and docs/ja", () => {
  it("hold the same files", () => {
    const list = (lang: string) =>
      markdown(join(root, "docs", lang))
        .map((file) => relative(join(root, "docs", lang), file))
        .sort();
    expect(list("en").length).toBeGreaterThan(0);
    expect(list("ja")).toEqual(list("en"));
  });
});

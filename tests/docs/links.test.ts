import { existsSync, readdirSync, readFileSync } from "node:fs";
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

// A doc that points at a file that moved tells the reader something false: every relative link must resolve.
describe("relative links in the docs", () => {
  it.each(files.map((file) => [relative(root, file), file] as const))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => (match[1] ?? "").split("#")[0] ?? "")
      .filter((target) => target !== "" && !/^[a-z]+:/i.test(target));
    const missing = targets.filter((target) => !existsSync(resolve(dirname(file), target)));
    expect(missing).toEqual([]);
  });
});

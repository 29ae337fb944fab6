// Pins each exported page's inline scripts by hash: a meta CSP narrows the header's script-src, so no other inline script runs.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const out = fileURLToPath(new URL("../out", import.meta.url));
const INLINE = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g;

const pages = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith(".html") ? [join(dir, e.name)] : [],
  );

let count = 0;
for (const file of pages(out)) {
  const html = readFileSync(file, "utf8");
  if (html.includes('http-equiv="Content-Security-Policy"')) continue;
  const hashes = [
    ...new Set([...html.matchAll(INLINE)].map((m) => createHash("sha256").update(m[1]).digest("base64"))),
  ];
  // Both policies apply: the header still allows inline scripts, this one only the page's own.
  const meta = `<meta http-equiv="Content-Security-Policy" content="script-src 'self' ${hashes.map((h) => `'sha256-${h}'`).join(" ")}"/>`;
  if (!/<head[^>]*>/.test(html)) throw new Error(`${file}: no <head>`);
  writeFileSync(
    file,
    html.replace(/<head[^>]*>/, (head) => head + meta),
  );
  count++;
}
console.log(`csp-hashes: pinned the inline scripts of ${count} pages`);

// The static export served like CloudFront + S3: index/html fallbacks, the error page, cache headers.
import { createReadStream, existsSync, type Stats, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

export interface StaticSiteOptions {
  dir: string;
  errorPage?: string;
  indexPage: string;
}

function fileAt(dir: string, rel: string): { path: string; stat: Stats } | undefined {
  const path = normalize(join(dir, rel));
  if (path !== dir && !path.startsWith(dir + sep)) return undefined;
  try {
    const stat = statSync(path);
    return stat.isFile() ? { path, stat } : undefined;
  } catch {
    return undefined;
  }
}

export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  site: StaticSiteOptions,
): void {
  if (!existsSync(site.dir)) {
    const text = `The web app is not built (${site.dir} is missing). Run \`npm run build:web\`, then reload.\n`;
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(text);
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  let found = path.endsWith("/") ? fileAt(site.dir, path + site.indexPage) : fileAt(site.dir, path);
  if (!found && !path.endsWith("/")) {
    // Next's `trailingSlash: true` export puts /x at /x/index.html: send the browser to /x/.
    if (fileAt(site.dir, `${path}/${site.indexPage}`)) {
      res.writeHead(301, { location: `${path}/${url.search}`, "cache-control": "no-store" });
      res.end();
      return;
    }
    found = fileAt(site.dir, `${path}.html`);
  }
  let status = 200;
  if (!found) {
    status = 404;
    found = site.errorPage ? fileAt(site.dir, site.errorPage) : undefined;
    if (!found) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("Not Found\n");
      return;
    }
  }
  const { path: file, stat } = found;
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    "content-type": contentType(file),
    "content-length": String(stat.size),
    etag,
    "last-modified": stat.mtime.toUTCString(),
    "cache-control": path.startsWith("/_next/static/")
      ? "public,max-age=31536000,immutable"
      : "public,max-age=0,s-maxage=86400,stale-while-revalidate=8640",
  };
  if (status === 200 && req.headers["if-none-match"] === etag) {
    res.writeHead(304, { etag, "cache-control": headers["cache-control"]! });
    res.end();
    return;
  }
  res.writeHead(status, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

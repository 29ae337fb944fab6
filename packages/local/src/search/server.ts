// The OpenSearch REST subset clients use, over the embedded engine, journaled under <dataDir>/search.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { EngineError, LocalIndex, type Source } from "./engine";
import { type LocalCredentials, verifySigV4 } from "./sigv4";

export const LOCAL_SEARCH_USERNAME = "admin";
export const LOCAL_SEARCH_PASSWORD = "local-Passw0rd";

export interface RunningSearch {
  /** http://127.0.0.1:<port>, what `Resource.Search.url` holds locally. */
  endpoint: string;
  username: string;
  password: string;
  indices: Map<string, LocalIndex>;
  stop(): Promise<void>;
}

/** Replicas an index asks for (OpenSearch's default is 1), each unassignable on one node. */
const replicasOf = (index: LocalIndex) => {
  const settings = (
    index.definition as { settings?: { index?: Record<string, unknown> } & Record<string, unknown> }
  ).settings;
  const value = settings?.index?.number_of_replicas ?? settings?.number_of_replicas ?? 1;
  return Number(value) || 0;
};

type Op = { op: "put"; id: string; v?: number; doc: Source } | { op: "del"; id: string; v?: number };

export async function startSearch(o: {
  dataDir: string;
  inMemory?: boolean;
  port?: number;
  log?: (line: string) => void;
  /** IAM access, as the deployed domain has: only requests SigV4-signed with this key pair (no basic auth). */
  credentials?: LocalCredentials;
}): Promise<RunningSearch> {
  const dir = join(o.dataDir, "search");
  const persist = !o.inMemory;
  const indices = new Map<string, LocalIndex>();
  if (persist) {
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".index.json"))) {
      const name = file.slice(0, -".index.json".length);
      const index = new LocalIndex(name, JSON.parse(readFileSync(join(dir, file), "utf8")));
      const journal = join(dir, `${name}.jsonl`);
      if (existsSync(journal)) {
        for (const line of readFileSync(journal, "utf8").split("\n")) {
          if (!line) continue;
          const op = JSON.parse(line) as Op;
          try {
            if (op.op === "put") index.put(op.id, op.doc, op.v);
            else index.remove(op.id, op.v);
          } catch {
            // A conflict in the journal was a conflict then too.
          }
        }
      }
      indices.set(name, index);
    }
    if (indices.size)
      o.log?.(`search: ${[...indices.values()].map((i) => `${i.name} ${i.size}`).join(", ")} docs restored`);
  }
  const journal = (index: string, op: Op) => {
    if (persist) appendFileSync(join(dir, `${index}.jsonl`), `${JSON.stringify(op)}\n`);
  };
  const expectedAuth = `Basic ${Buffer.from(`${LOCAL_SEARCH_USERNAME}:${LOCAL_SEARCH_PASSWORD}`).toString("base64")}`;

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://local");
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? "GET";
    const send = (status: number, body?: unknown) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(method === "HEAD" ? undefined : text);
    };
    const fail = (status: number, type: string, reason: string) =>
      send(status, { error: { root_cause: [{ type, reason }], type, reason }, status });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (o.credentials) {
      // An IAM-only domain answers an unsigned or badly signed request 403, as Amazon OpenSearch does.
      const refused = await verifySigV4(
        { method, url: req.url ?? "/", headers: req.headers, body: raw },
        o.credentials,
        "es",
      );
      if (refused) return send(403, { message: refused });
    } else if (req.headers.authorization !== expectedAuth)
      return fail(401, "security_exception", "missing or wrong credentials");
    const body = raw ? JSON.parse(raw) : {};
    const [name, action, id] = parts;
    const version = url.searchParams.has("version") ? Number(url.searchParams.get("version")) : undefined;
    if (!name)
      return send(200, { name: "local-search", version: { distribution: "opensearch", number: "2.17.0" } });
    if (name === "_cluster" && action === "health" && method === "GET") {
      // One node: a replica is never allocated, so an index asking for one leaves the cluster yellow.
      const unassigned = [...indices.values()].reduce((n, i) => n + replicasOf(i), 0);
      return send(200, {
        cluster_name: "local-search",
        status: unassigned ? "yellow" : "green",
        number_of_nodes: 1,
        number_of_data_nodes: 1,
        unassigned_shards: unassigned,
      });
    }
    const index = indices.get(name);
    if (!action) {
      if (method === "HEAD") return send(index ? 200 : 404);
      if (method === "PUT") {
        if (index) return fail(400, "resource_already_exists_exception", `index [${name}] already exists`);
        indices.set(name, new LocalIndex(name, body));
        if (persist) writeFileSync(join(dir, `${name}.index.json`), JSON.stringify(body));
        return send(200, { acknowledged: true, shards_acknowledged: true, index: name });
      }
      if (method === "DELETE" && index) {
        indices.delete(name);
        // Its journal too, or the next start would bring the deleted index back (and a new one would replay it).
        if (persist)
          for (const file of [`${name}.index.json`, `${name}.jsonl`])
            rmSync(join(dir, file), { force: true });
        return send(200, { acknowledged: true });
      }
    }
    if (!index) return fail(404, "index_not_found_exception", `no such index [${name}]`);
    if (action === "_doc" && id && (method === "PUT" || method === "POST")) {
      const created = !index.get(id);
      index.put(id, body, version);
      journal(name, { op: "put", id, ...(version !== undefined ? { v: version } : {}), doc: body });
      return send(created ? 201 : 200, {
        _index: name,
        _id: id,
        _version: version ?? 1,
        result: created ? "created" : "updated",
      });
    }
    if (action === "_doc" && id && method === "DELETE") {
      const found = index.remove(id, version);
      journal(name, { op: "del", id, ...(version !== undefined ? { v: version } : {}) });
      return send(found ? 200 : 404, { _index: name, _id: id, result: found ? "deleted" : "not_found" });
    }
    if (action === "_doc" && id && method === "GET") {
      const doc = index.get(id);
      return send(doc ? 200 : 404, {
        _index: name,
        _id: id,
        found: Boolean(doc),
        ...(doc ? { _source: doc } : {}),
      });
    }
    if (action === "_mapping" && method === "GET")
      return send(200, { [name]: { mappings: index.definition.mappings ?? {} } });
    if (action === "_search" && (method === "POST" || method === "GET")) return send(200, index.search(body));
    if (action === "_refresh") return send(200, { _shards: { total: 1, successful: 1, failed: 0 } });
    if (action === "_count") return send(200, { count: index.size });
    return fail(
      400,
      "illegal_argument_exception",
      `the local search stand-in does not support ${method} ${url.pathname}`,
    );
  };

  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.end();
      const status = error instanceof EngineError ? error.status : 500;
      const type = error instanceof EngineError ? error.type : "exception";
      const reason = error instanceof Error ? error.message : String(error);
      const text = JSON.stringify({ error: { root_cause: [{ type, reason }], type, reason }, status });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    username: LOCAL_SEARCH_USERNAME,
    password: LOCAL_SEARCH_PASSWORD,
    indices,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

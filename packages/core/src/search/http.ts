// A small REST client over fetch keeps the official OpenSearch client's weight out of every searching Lambda.
import type { Signer } from "./sigv4";

export interface Connection {
  /** https://… for Amazon OpenSearch, http://127.0.0.1:<port> for the stand-in. */
  node: string;
  /** IAM access (Amazon OpenSearch without an internal user, and the local stand-in): SigV4 on every request. */
  sign?: Signer;
  /** An internal user's HTTP basic auth, for a domain with fine-grained access control. */
  username?: string;
  password?: string;
  /** For a whole call, retries included; 30 s by default, the official client's request timeout. */
  timeoutMs?: number;
}

/** External versioning: a write older than the stored document is refused with 409. */
export interface WriteOptions {
  version?: number;
  version_type?: "external" | "external_gte";
  refresh?: boolean | "wait_for";
}

export interface WriteResult {
  _id: string;
  result: "created" | "updated" | "deleted" | "not_found" | "noop";
}

export interface SearchClient {
  /** Nodes that can hold shards (`_cluster/health`): a replica needs a node other than its primary's. */
  dataNodes(): Promise<number>;
  indexExists(index: string): Promise<boolean>;
  createIndex(index: string, body: object): Promise<void>;
  index(index: string, id: string, doc: object, options?: WriteOptions): Promise<WriteResult>;
  delete(index: string, id: string, options?: WriteOptions): Promise<WriteResult>;
  /** `T` is the response shape the caller's request asks for (hits, aggregations). */
  search<T>(index: string, body: object): Promise<T>;
}

/** An error answer: the HTTP status and OpenSearch's error type (e.g. 409 version_conflict_engine_exception). */
export class OpenSearchError extends Error {
  override name = "OpenSearchError";
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

// OpenSearch's error body is {error: {type, reason}, status}; a missing document is {result: "not_found"}.
function failure(what: string, status: number, body: unknown) {
  const { error, result } = (body && typeof body === "object" ? body : {}) as {
    error?: { type?: string; reason?: string } | string;
    result?: string;
  };
  const type = typeof error === "object" ? error.type : undefined;
  const reason = (typeof error === "object" ? error.reason : error) ?? result ?? (body || undefined);
  return new OpenSearchError(
    status,
    type,
    body,
    `${what} → ${status}${type ? ` ${type}` : ""}${reason ? `: ${reason}` : ""}`,
  );
}

/** Safe to retry every call here: reads, and writes idempotent by external version. */
const RETRIES = 3;
const RETRY_STATUS = new Set([502, 503, 504]);

export function searchClient({
  node,
  sign,
  username,
  password,
  timeoutMs = 30_000,
}: Connection): SearchClient {
  const base = node.replace(/\/+$/, "");
  const basic: Record<string, string> =
    username === undefined
      ? {}
      : { authorization: `Basic ${Buffer.from(`${username}:${password ?? ""}`).toString("base64")}` };

  // Node's fetch keeps connections alive per origin, as the official client's keep-alive agent did.
  async function call(method: string, path: string, o: { query?: WriteOptions; body?: object } = {}) {
    const params = Object.entries(o.query ?? {}).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, String(v)]],
    );
    const query = new URLSearchParams(params).toString();
    const signal = AbortSignal.timeout(timeoutMs);
    const what = `OpenSearch ${method} ${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        const url = new URL(`${base}${path}${query ? `?${query}` : ""}`);
        const body = o.body ? JSON.stringify(o.body) : undefined;
        const unsigned: Record<string, string> = body
          ? { ...basic, "content-type": "application/json" }
          : basic;
        // Signed per attempt: a retry carries a fresh date.
        const headers = sign ? await sign({ method, url, headers: unsigned, body }) : unsigned;
        response = await fetch(url, { method, headers, body, signal });
      } catch (error) {
        if (!signal.aborted && attempt < RETRIES) continue;
        const { message, cause } = error as Error & { cause?: Error };
        const reason = signal.aborted
          ? `no answer within ${timeoutMs} ms`
          : `${message}${cause?.message ? ` (${cause.message})` : ""}`;
        throw new Error(`${what}: ${reason}`, { cause: error });
      }
      if (RETRY_STATUS.has(response.status) && attempt < RETRIES) {
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      const body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
      // A HEAD answered 404 is the answer "no", not an error.
      if (response.status >= 400 && !(method === "HEAD" && response.status === 404))
        throw failure(what, response.status, body);
      return { status: response.status, body };
    }
  }

  const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join("/")}`;
  return {
    dataNodes: async () =>
      Number((await call("GET", "/_cluster/health")).body.number_of_data_nodes ?? 1) || 1,
    indexExists: async (index) => (await call("HEAD", path(index))).status === 200,
    createIndex: async (index, body) => void (await call("PUT", path(index), { body })),
    index: async (index, id, doc, query) =>
      (await call("PUT", path(index, "_doc", id), { query, body: doc })).body,
    delete: async (index, id, query) => (await call("DELETE", path(index, "_doc", id), { query })).body,
    search: async (index, body) => (await call("POST", path(index, "_search"), { body })).body,
  };
}

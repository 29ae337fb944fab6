import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type ChatUser, chatUser, json, type Listener, listen, post } from "./chat-support";

// Generated from the OpenAPI document: every route with a body or query gets input it cannot take.
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
};
type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const doc = JSON.parse(readFileSync(new URL("../src/api/openapi.json", import.meta.url), "utf8")) as Doc;
const resolve = (schema: Schema): Schema =>
  schema.$ref ? resolve(doc.components.schemas[schema.$ref.split("/").pop()!]!) : schema;

const MB = "a".repeat(1024 * 1024);
const MARK_BOMB = `a${"\u0301".repeat(20_000)}`;
const ZALGO = `a${"\u0301".repeat(9)}`;
const DEEP = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
const FORGED_CURSOR = Buffer.from(JSON.stringify({ v: 1, k: { s: "{not json", pk: { $ne: 1 } } })).toString(
  "base64url",
);
const QUERY_VALUES = [
  "",
  "abc",
  "0",
  "-1",
  "1e9",
  "1.5",
  "NaN",
  "!!!",
  FORGED_CURSOR,
  ZALGO,
  "\u202e",
  "x".repeat(4096),
];

/** Values no schema of this type takes (numbers are coerced: only NaN-making values are wrong for them). */
function wrongValues(schema: Schema): unknown[] {
  const s = resolve(schema);
  const types = [s.type ?? []].flat();
  const type = types[0];
  if (s.enum) return ["not-one-of-them", 12345];
  if (type === "string")
    return [
      12345,
      { x: 1 },
      ...(types.includes("null") ? [] : [null]),
      ["x"],
      MB,
      MARK_BOMB,
      ZALGO,
      "\u0000",
      "\ud800",
    ];
  if (type === "number" || type === "integer") return ["abc", { x: 1 }];
  if (type === "boolean") return ["yes", 1];
  if (type === "array")
    return ["x", { x: 1 }, [{ x: 1 }], Array.from({ length: 1000 }, () => MARK_BOMB.slice(0, 60))];
  if (type === "object") return ["x", [1]];
  return [{ x: 1 }];
}

interface Case {
  label: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

let alice: ChatUser;
let bob: ChatUser;
let postId: string;
let roomId: string;
let messageId: string;

function concrete(template: string): string {
  const values: Record<string, string> = {
    id: template.startsWith("/api/posts")
      ? postId
      : template.startsWith("/api/rooms")
        ? roomId
        : "med_01JDZ00000000000000000000A",
    handle: template.startsWith("/api/rooms") ? bob.handle : alice.handle,
    messageId,
    tag: "fuzz",
  };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? name).replace(/^\/api/, "");
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [template, operations] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(operations)) {
      const path = concrete(template);
      const M = method.toUpperCase();
      const body = operation.requestBody?.content["application/json"]?.schema;
      if (body) {
        const shape = resolve(body);
        const properties = Object.entries(shape.properties ?? {});
        for (const [name, schema] of properties)
          for (const value of wrongValues(schema))
            out.push({
              label: `${name}=${typeof value === "string" ? `${value.slice(0, 12)}…(${value.length})` : JSON.stringify(value).slice(0, 20)}`,
              method: M,
              path,
              body: JSON.stringify({ [name]: value }),
            });
        // Unknown keys are dropped, so these two are malformed only where a field is required.
        if (shape.required?.length)
          for (const raw of ["{}", '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'])
            out.push({ label: raw.slice(0, 12), method: M, path, body: raw });
        for (const raw of ["{", "", "null", "[]", '"x"', "123", DEEP])
          out.push({ label: `raw ${raw.slice(0, 8)}`, method: M, path, body: raw });
        for (const contentType of [
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
        ])
          out.push({ label: contentType, method: M, path, body: "text=hi", contentType });
      }
      const query = (operation.parameters ?? []).filter((p) => p.in === "query");
      for (const param of query)
        for (const value of QUERY_VALUES) {
          const search = new URLSearchParams({
            ...(param.name === "q" ? {} : { q: "rain" }),
            [param.name]: value,
          });
          if (!query.some((p) => p.name === "q")) search.delete("q");
          out.push({ label: `${param.name}=${value.slice(0, 12)}`, method: M, path: `${path}?${search}` });
        }
    }
  return out;
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

async function state() {
  const read = (path: string) => json(alice.api(path), 200);
  return {
    me: await read("/me"),
    posts: await read(`/users/${alice.handle}/posts`),
    post: await read(`/posts/${postId}`),
    rooms: await read("/rooms"),
    messages: await read(`/rooms/${roomId}/messages`),
    media: await json(alice.api("/media/med_01JDZ00000000000000000000A")),
    calls: await read("/calls"),
  };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([chatUser("fz"), chatUser("fy")]);
  postId = (await json(alice.api("/posts", post({ text: "before the fuzz #fuzz" })), 201)).id;
  roomId = (await json(alice.api("/rooms", post({ memberHandles: [bob.handle], name: "fuzz" })), 201)).id;
  messageId = (await json(alice.api(`/rooms/${roomId}/messages`, post({ text: "hello" })), 201)).id;
});

describe("fuzz from /api/openapi.json", () => {
  it("answers every malformed request below 500, in the error shape, and stores nothing", async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(300);
    const before = await state();
    const wrong: string[] = [];
    const statuses = new Map<number, number>();
    await pool(all, 4, async (c) => {
      const res = await alice.api(c.path, {
        method: c.method,
        ...(c.body !== undefined ? { body: c.body } : {}),
        headers: { "content-type": c.contentType ?? "application/json" },
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const where = `${c.method} ${c.path.slice(0, 60)} [${c.label}] → ${res.status} ${text.slice(0, 120)}`;
      if (res.status >= 500) return void wrong.push(where);
      if (c.method !== "GET" && res.status < 400) return void wrong.push(`accepted: ${where}`);
      if (res.status >= 400) {
        let body: { error?: { code?: unknown; message?: unknown } } | undefined;
        try {
          body = JSON.parse(text);
        } catch {}
        if (typeof body?.error?.code !== "string" || typeof body.error.message !== "string")
          wrong.push(`shape: ${where}`);
      }
    });
    expect(wrong).toEqual([]);
    // Every kind of refusal happened: validation, size, media type, and the reads that were fine.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 413, 415]));
    expect(await state()).toEqual(before);
  }, 120_000);
});

describe("export ids", () => {
  it("a malformed or unknown export id is a 404 in the error shape, never a 500", async () => {
    for (const id of [
      "x",
      "exp_",
      `exp_${"Z".repeat(26)}`,
      "exp_01JDZ00000000000000000000A",
      "%F0%9F%92%A9",
      "a".repeat(64),
    ]) {
      const res = await alice.api(`/me/export/${id}`);
      const body = (await res.json()) as { error?: { code?: string } };
      expect([400, 404], `${id}: ${res.status}`).toContain(res.status);
      expect(body.error?.code).toBeTypeOf("string");
    }
  });
});

describe("path parameters that NFKC grows", () => {
  it("a tag of 140 ligatures (2,520 letters once normalised, past a DynamoDB key) is an empty page, not a 500", async () => {
    const res = await alice.api(`/tags/${encodeURIComponent("ﷺ".repeat(140))}/posts`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], cursor: null });
  });
});

describe("malformed WebSocket frames", () => {
  let ws: Listener;
  beforeAll(async () => {
    ws = await listen(alice);
  });
  afterAll(async () => {
    await ws?.close();
  });

  const frames: [string, string | Buffer][] = [
    ["not JSON", "hello?"],
    ["a broken object", "{"],
    ["an array", "[]"],
    ["null", "null"],
    ["a number", "42"],
    ["deep JSON (10k nested arrays)", DEEP],
    ["an unknown action", JSON.stringify({ action: "nope" })],
    ["a numeric action", JSON.stringify({ action: 5 })],
    ["a route key as action", JSON.stringify({ action: "$connect" })],
    ["typing without a room", JSON.stringify({ action: "typing" })],
    ["typing with a numeric room", JSON.stringify({ action: "typing", roomId: 5 })],
    ["typing with a 65-character room", JSON.stringify({ action: "typing", roomId: "r".repeat(65) })],
    ["call.signal without a call", JSON.stringify({ action: "call.signal", data: {} })],
    ["call.signal with a numeric call", JSON.stringify({ action: "call.signal", callId: 5, data: {} })],
    ["call.signal for no such call", JSON.stringify({ action: "call.signal", callId: "cal_nope", data: {} })],
    [
      "call.signal over 32 KB",
      JSON.stringify({ action: "call.signal", callId: "cal_nope", data: "a".repeat(40 * 1024) }),
    ],
    ["a 100 KB frame", JSON.stringify({ action: "nope", pad: "a".repeat(100 * 1024) })],
    ["a binary frame", Buffer.from([0, 1, 2, 255])],
  ];

  it.each(frames)("%s is answered with a system.error event and the socket stays open", async (_, frame) => {
    const seen = ws.frames.length;
    ws.socket.send(frame);
    const error = await ws.next("system.error", (f) => ws.frames.indexOf(f) >= seen);
    expect(error.data).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(ws.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("a frame over the 128 KB message quota closes the socket with 1009, as API Gateway does", async () => {
    const other = await listen(alice);
    const closed = new Promise<number>((resolve) => other.socket.once("close", (code) => resolve(code)));
    other.socket.send(JSON.stringify({ action: "ping", pad: "a".repeat(200 * 1024) }));
    expect(await closed).toBe(1009);
  });

  it("still answers a ping after all of them", async () => {
    ws.socket.send(JSON.stringify({ action: "ping" }));
    await ws.next("system.pong");
  });
});

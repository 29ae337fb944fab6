// Correlation ids and business metrics as a request and a queue message produce them.
import type { SQSRecord } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { correlationIdOf, createApp, logger } from "../src/api/app";
import { count, flushMetrics } from "../src/metrics";
import { correlationIdOf as messageCorrelationId } from "../src/notification/consumer";

afterEach(() => vi.restoreAllMocks());

/** What the handler wrote to stdout (Powertools logger and metrics both write there), as parsed JSON lines. */
function stdoutLines(): { lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      written
        .join("")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("the request's correlation id", () => {
  it("keeps a sane caller id, else takes API Gateway's request id", () => {
    expect(correlationIdOf("trace-42:a.b_c", "req-1")).toBe("trace-42:a.b_c");
    expect(correlationIdOf("has spaces", "req-1")).toBe("req-1");
    expect(correlationIdOf("x".repeat(129), "req-1")).toBe("req-1");
    expect(correlationIdOf('{"inject":1}', "req-1")).toBe("req-1");
    expect(correlationIdOf(undefined, undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is on every log line of the request, answered in x-correlation-id, and gone after it", async () => {
    const out = stdoutLines();
    const app = createApp().get("/logs", (c) => {
      logger.info("inside the request");
      return c.text("ok");
    });
    const res = await app.request("/logs", { headers: { "x-correlation-id": "from-the-caller" } });
    logger.info("after the request");
    vi.restoreAllMocks();
    expect(res.headers.get("x-correlation-id")).toBe("from-the-caller");
    const lines = out.lines();
    expect(lines.find((l) => l.message === "inside the request")?.correlationId).toBe("from-the-caller");
    expect(lines.find((l) => l.message === "after the request")?.correlationId).toBeUndefined();
  });
});

describe("business metrics", () => {
  it("flushes counted metrics as one EMF line of namespace asyncsns, and nothing when nothing was counted", () => {
    const out = stdoutLines();
    flushMetrics();
    count("PostCreated");
    count("PushSent", 0);
    count("PushFailed", 2);
    flushMetrics();
    vi.restoreAllMocks();
    const emf = out.lines().filter((l) => "_aws" in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: "asyncsns", Dimensions: [["service"]] }] },
      service: "asyncsns",
      PostCreated: 1,
      PushFailed: 2,
    });
    expect(emf[0]).not.toHaveProperty("PushSent");
  });
});

describe("a queued notification's correlation id", () => {
  const record = (attributes: SQSRecord["messageAttributes"]) =>
    ({ messageAttributes: attributes }) as SQSRecord;

  it("is the publisher's attribute when set, else the stream record id its event id starts with", () => {
    expect(
      messageCorrelationId(
        record({ correlationId: { stringValue: "req-9", dataType: "String" } as never }),
        "e1:0",
      ),
    ).toBe("req-9");
    expect(messageCorrelationId(record({}), "4f1c-9a:3")).toBe("4f1c-9a");
  });
});

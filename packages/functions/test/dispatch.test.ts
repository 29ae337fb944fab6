import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { streamKeys } from "../../core/src/timeline/stream-keys";
import { passesFilters } from "../../local/src/streams/filter";
import { streamFilters, unionOf } from "../src/stream/filters";
import type { StreamRoute } from "../src/stream/route";

// The search route's client reads its link at load; nothing here reaches it.
process.env.SST_RESOURCE_Search ??= JSON.stringify({
  type: "sst.aws.OpenSearch",
  url: "http://127.0.0.1:9",
  username: "unit",
  password: "unit",
});
const { dispatch, routes } = await import("../src/stream/dispatch");

// The one stream subscriber: each route gets exactly what its own mapping used to, and a failure fails the record.

const record = (eventName: "INSERT" | "MODIFY" | "REMOVE", pk: string, sk: string, seq = "1") =>
  ({
    eventName,
    eventSource: "aws:dynamodb",
    dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: seq },
  }) as DynamoDBRecord;

/** One record per kind of item the table holds, with what each old subscriber's filters let through. */
const samples: { name: string; record: DynamoDBRecord; to: string[] }[] = [
  {
    name: "profile feed entry",
    record: record("INSERT", `${streamKeys.profileEntryPk}u1`, "$feedentry_1#s"),
    to: ["fanout"],
  },
  {
    name: "removed profile feed entry",
    record: record("REMOVE", `${streamKeys.profileEntryPk}u1`, "$feedentry_1#s"),
    to: ["fanout"],
  },
  { name: "home feed entry", record: record("INSERT", "$asyncsns#feed_home#u2", "$feedentry_1#s"), to: [] },
  {
    name: "follow",
    record: record("INSERT", "$asyncsns#followerid_u2", `${streamKeys.followSk}followeeid_u1`),
    to: ["fanout", "notify"],
  },
  {
    name: "unfollow",
    record: record("REMOVE", "$asyncsns#followerid_u2", `${streamKeys.followSk}followeeid_u1`),
    to: ["fanout", "notify"],
  },
  { name: "new profile", record: record("INSERT", "$asyncsns#userid_u1", streamKeys.userSk), to: ["search"] },
  {
    name: "renamed profile",
    record: record("MODIFY", "$asyncsns#userid_u1", streamKeys.userSk),
    to: ["cards", "search"],
  },
  {
    name: "deleted profile",
    record: record("REMOVE", "$asyncsns#userid_u1", streamKeys.userSk),
    to: ["search"],
  },
  {
    name: "post",
    record: record("INSERT", "$asyncsns#postid_p1", streamKeys.postSk),
    to: ["search", "notify"],
  },
  {
    name: "edited post",
    record: record("MODIFY", "$asyncsns#postid_p1", streamKeys.postSk),
    to: ["search", "notify"],
  },
  { name: "like", record: record("INSERT", "$asyncsns#postid_p1", "$like_1#userid_u2"), to: ["notify"] },
  { name: "unlike", record: record("REMOVE", "$asyncsns#postid_p1", "$like_1#userid_u2"), to: ["notify"] },
  { name: "repost", record: record("INSERT", "$asyncsns#postid_p1", "$repost_1#userid_u2"), to: ["notify"] },
  {
    name: "chat message",
    record: record("INSERT", "$asyncsns#roomid_r1", "$message_1#seq_000000000001"),
    to: ["notify"],
  },
  {
    name: "membership",
    record: record("INSERT", "$asyncsns#roomid_r1", "$membership_1#userid_u1"),
    to: [],
  },
  {
    name: "notification row",
    record: record("INSERT", "$asyncsns#inbox_u1", "$ntfrow_1#order_1"),
    to: [],
  },
];

describe("stream dispatcher routes", () => {
  it("has one route per domain, each named after its filters", () => {
    expect(routes.map((r) => r.name).sort()).toEqual(Object.keys(streamFilters).sort());
  });

  it.each(samples)("$name reaches exactly the routes whose filters keep it", ({ record, to }) => {
    expect(
      routes
        .filter((r) => r.wants(record))
        .map((r) => r.name)
        .sort(),
    ).toEqual(to.sort());
    // Checked against the local cloud's implementation of Lambda's filter rules.
    for (const route of routes)
      expect(passesFilters(record, streamFilters[route.name]), route.name).toBe(route.wants(record));
  });

  it("lets through, as one mapping, every record some route wants and nothing else", () => {
    const union = unionOf(Object.values(streamFilters));
    // Lambda allows 5 filters per event source mapping by default (Lambda quotas).
    expect(union.length).toBeLessThanOrEqual(5);
    for (const { record, to } of samples) expect(passesFilters(record, union)).toBe(to.length > 0);
  });
});

describe("dispatch", () => {
  const route = (name: StreamRoute["name"], fail?: string) => {
    const seen: string[] = [];
    return {
      seen,
      route: {
        name,
        wants: () => true,
        handle: async (r: DynamoDBRecord) => {
          seen.push(r.dynamodb!.SequenceNumber!);
          if (fail) throw new Error(fail);
        },
      } satisfies StreamRoute,
    };
  };

  it("fails the record when any route fails, naming it, after every route had its turn", async () => {
    const ok = route("fanout");
    const bad = route("search", "index down");
    const after = route("cards");
    await expect(
      dispatch(record("INSERT", "p", "s", "42"), [ok.route, bad.route, after.route]),
    ).rejects.toThrow(/record 42 failed in search: index down/);
    expect([ok.seen, bad.seen, after.seen]).toEqual([["42"], ["42"], ["42"]]);
  });

  it("skips routes that do not want the record", async () => {
    const picky = route("fanout");
    await dispatch(record("INSERT", "p", "s", "7"), [{ ...picky.route, wants: () => false }]);
    expect(picky.seen).toEqual([]);
  });
});

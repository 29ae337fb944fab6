import { describe, expect, it } from "vitest";
import { envelope, isEventType, namespaces, parse } from "../src";

const post = {
  id: "pst_01JABCDEFGHJKMNPQRSTVWXYZ0",
  author: { id: "u1", handle: "aki", displayName: "Aki", avatarUrl: null },
  text: "hello",
  createdAt: "2026-12-07T20:00:00.000Z",
  likes: 0,
};

describe("timeline.post", () => {
  it("is registered in its own namespace and keeps the whole post through parse", () => {
    expect(isEventType("timeline.post")).toBe(true);
    expect(namespaces).toContain("timeline");
    const back = parse(JSON.stringify(envelope("timeline.post", { post }, "tl-01J")));
    expect(back).toMatchObject({ type: "timeline.post", id: "tl-01J", data: { post } });
  });

  it("refuses a post without an id or an author", () => {
    // @ts-expect-error id is required
    expect(() => envelope("timeline.post", { post: { ...post, id: undefined } })).toThrow();
    // @ts-expect-error author is required
    expect(() => envelope("timeline.post", { post: { ...post, author: undefined } })).toThrow();
  });
});

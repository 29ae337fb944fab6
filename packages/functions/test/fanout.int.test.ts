// Fan-out on write through the real stream subscriber: every follower's home gets the post, page after page.
// The integration cloud reads followers in pages of 2 (ASYNCSNS_FOLLOWERS_PAGE) under a threshold of 3.
import { describe, expect, it, vi } from "vitest";
import { createTestMember, type TestMember } from "../../../tests/support/test-user";

const send = (user: TestMember, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function post(user: TestMember, text: string): Promise<string> {
  const res = await send(user, "POST", "/posts", { text });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).id;
}

async function home(user: TestMember): Promise<string[]> {
  const res = await user.api("/timelines/home?limit=50");
  expect(res.status).toBe(200);
  return ((await res.json()).items as { id: string }[]).map((p) => p.id);
}

const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 30_000, interval: 250 });

/** An author followed by `n` members, every follow's backfill already applied (the first post reached all). */
async function authorWith(n: number) {
  const author = await createTestMember("fa");
  const followers = await Promise.all(Array.from({ length: n }, () => createTestMember("ff")));
  const before = await post(author, "before the follows");
  for (const f of followers)
    expect((await send(f, "POST", `/users/${author.handle}/follow`)).status).toBe(204);
  // A backfill would copy later posts too: wait until every follow was processed, so later posts need fan-out.
  await eventually(async () => {
    for (const f of followers) expect(await home(f)).toContain(before);
  });
  return { author, followers };
}

describe("fan-out on write", () => {
  it("reads followers in pages of two in this suite", () => {
    // The cases below are sized against this page (set by the suite's setup): one page, then more than one.
    expect(process.env.ASYNCSNS_FOLLOWERS_PAGE).toBe("2");
  });

  it("puts a post in the home of each of several followers below the threshold", async () => {
    const { author, followers } = await authorWith(2);
    const id = await post(author, "to two followers");
    await eventually(async () => {
      for (const f of [author, ...followers]) expect(await home(f)).toContain(id);
    });
  });

  it("reaches the followers of every page, the last of each page included", async () => {
    const { author, followers } = await authorWith(3);
    const id = await post(author, "to three followers, over two pages");
    await eventually(async () => {
      const homes = await Promise.all(followers.map(async (f) => (await home(f)).includes(id)));
      expect(homes).toEqual([true, true, true]);
    });
    // Deleting fans in through the same pages: the post leaves every home.
    expect((await send(author, "DELETE", `/posts/${id}`)).status).toBe(204);
    await eventually(async () => {
      const homes = await Promise.all(followers.map(async (f) => (await home(f)).includes(id)));
      expect(homes).toEqual([false, false, false]);
    });
  });
});

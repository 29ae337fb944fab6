import { describe, expect, it, vi } from "vitest";
import { PNG, upload } from "../../../tests/support/media";
import { createTestMember, createTestUser, type TestUser } from "../../../tests/support/test-user";

// Posting, follows and timelines through the real local gateway, Lambdas, DynamoDB Local and its stream.
type PostView = {
  id: string;
  text: string;
  likes: number;
  likedByMe: boolean;
  repostedBy?: { handle: string };
};
type Page = { items: PostView[]; cursor: string | null };

const member = createTestMember;

const send = (user: TestUser, method: string, path: string, body?: unknown) =>
  user.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function post(user: TestUser, body: Record<string, unknown>): Promise<PostView> {
  const res = await send(user, "POST", "/posts", body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

const page = async (user: TestUser, path: string): Promise<Page> => {
  const res = await user.api(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};

const ids = (p: Page) => p.items.map((item) => item.id);

/** Polls until the check passes: stream subscribers and bucket notifications are asynchronous. */
const eventually = (check: () => Promise<void>, timeout = 20_000) =>
  vi.waitFor(check, { timeout, interval: 200 });

describe("posts", () => {
  it("posts text with a Japanese hashtag and a mention, and finds it by tag", async () => {
    const [a, b] = await Promise.all([member("ja"), member("jb")]);
    const created = await post(a, {
      text: `東京タワーなう #東京 #ＴＯＫＹＯ @${b.handle} https://example.com/x.`,
    });
    expect(created).toMatchObject({
      author: { id: a.sub, handle: a.handle },
      hashtags: ["東京", "tokyo"],
      mentions: [{ handle: b.handle.toLowerCase(), userId: b.sub }],
      likes: 0,
      reposts: 0,
      replies: 0,
      likedByMe: false,
      media: [],
    });
    expect(ids(await page(b, `/tags/${encodeURIComponent("東京")}/posts`))).toContain(created.id);
    expect(ids(await page(b, `/tags/${encodeURIComponent("#tokyo")}/posts`))).toContain(created.id);
    expect(ids(await page(b, `/users/${a.handle}/posts`))).toEqual([created.id]);
    expect(ids(await page(b, "/timelines/public"))).toContain(created.id);
  });

  it("attaches a verified upload once; reuse or another's file is refused", async () => {
    const [a, b] = await Promise.all([member("att"), member("thief")]);
    const mediaId = await upload(a, PNG, "image/png");

    const stolen = await send(b, "POST", "/posts", { text: "mine", mediaIds: [mediaId] });
    expect(stolen.status).toBe(403);
    const created = await post(a, { text: "a dot", mediaIds: [mediaId] });
    expect(created).toMatchObject({ media: [expect.objectContaining({ id: mediaId, kind: "image" })] });
    const reused = await send(a, "POST", "/posts", { text: "again", mediaIds: [mediaId] });
    expect(reused.status).toBe(409);
    expect((await reused.json()).error.code).toBe("media.in_use");
    expect(ids(await page(a, `/users/${a.handle}/posts`))).toEqual([created.id]);
  });

  it("refuses a post over 1,000 characters (counting graphemes) or 4,000 bytes", async () => {
    const a = await member("len");
    const fine = await send(a, "POST", "/posts", { text: `${"あ".repeat(999)}👨‍👩‍👧` });
    expect(fine.status).toBe(201);
    const long = await send(a, "POST", "/posts", { text: "あ".repeat(1001) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.code).toBe("post.too_long");
    const heavy = await send(a, "POST", "/posts", { text: "👨‍👩‍👧".repeat(1000) });
    expect((await heavy.json()).error.code).toBe("post.too_long");
    const empty = await send(a, "POST", "/posts", { text: "   " });
    expect((await empty.json()).error.code).toBe("post.empty");
  });

  it("lets only the author edit or delete; a deleted post leaves every listing", async () => {
    const [a, b] = await Promise.all([member("own"), member("oth")]);
    const created = await post(a, { text: "first #編集前" });

    const hijack = await send(b, "PATCH", `/posts/${created.id}`, { text: "mine now" });
    expect(hijack.status).toBe(403);
    expect((await hijack.json()).error.code).toBe("post.forbidden");
    expect((await send(b, "DELETE", `/posts/${created.id}`)).status).toBe(403);

    const edited = await send(a, "PATCH", `/posts/${created.id}`, { text: "second #編集後" });
    expect(edited.status).toBe(200);
    const body = await edited.json();
    expect(body).toMatchObject({ text: "second #編集後", hashtags: ["編集後"] });
    expect(Date.parse(body.editedAt)).toBeGreaterThanOrEqual(Date.parse(body.createdAt));
    expect(ids(await page(b, `/tags/${encodeURIComponent("編集前")}/posts`))).not.toContain(created.id);
    expect(ids(await page(b, `/tags/${encodeURIComponent("編集後")}/posts`))).toContain(created.id);

    expect((await send(a, "DELETE", `/posts/${created.id}`)).status).toBe(204);
    expect((await send(a, "DELETE", `/posts/${created.id}`)).status).toBe(204);
    expect((await b.api(`/posts/${created.id}`)).status).toBe(404);
    expect(ids(await page(b, `/users/${a.handle}/posts`))).not.toContain(created.id);
    expect(ids(await page(b, "/timelines/public"))).not.toContain(created.id);
    expect(ids(await page(b, `/tags/${encodeURIComponent("編集後")}/posts`))).not.toContain(created.id);
    expect((await send(b, "POST", `/posts/${created.id}/like`)).status).toBe(404);
  });

  it("shows a thread: ancestors, replies, and a placeholder for a deleted ancestor", async () => {
    const [a, b] = await Promise.all([member("tha"), member("thb")]);
    const root = await post(a, { text: "root" });
    const middle = await post(b, { text: "reply", replyTo: root.id });
    const leaf = await post(a, { text: "reply to reply", replyTo: middle.id });

    const thread = await (await a.api(`/posts/${leaf.id}`)).json();
    expect(thread.ancestors.map((p: PostView) => p.id)).toEqual([root.id, middle.id]);
    const rootThread = await (await a.api(`/posts/${root.id}`)).json();
    expect(rootThread.post.replies).toBe(1);
    expect(ids(rootThread.replies)).toEqual([middle.id]);
    expect(ids(await page(a, "/timelines/public"))).not.toContain(middle.id);

    expect((await send(b, "DELETE", `/posts/${middle.id}`)).status).toBe(204);
    const after = await (await a.api(`/posts/${leaf.id}`)).json();
    expect(after.ancestors).toEqual([
      expect.objectContaining({ id: root.id }),
      { id: middle.id, deleted: true },
    ]);
    const rootAfter = await (await a.api(`/posts/${root.id}`)).json();
    expect(rootAfter.replies.items).toEqual([]);
    expect(rootAfter.post.replies).toBe(0);
  });

  it("keeps like and repost counters right under 20 concurrent users, each clicking twice", async () => {
    const author = await member("pop");
    const target = await post(author, { text: "like me" });
    const fans = await Promise.all(Array.from({ length: 20 }, () => createTestUser()));
    const statuses = await Promise.all(
      fans.flatMap((fan) =>
        [1, 2].map(() => send(fan, "POST", `/posts/${target.id}/like`).then((r) => r.status)),
      ),
    );
    expect(statuses.every((s) => s === 204)).toBe(true);
    expect((await (await author.api(`/posts/${target.id}`)).json()).post.likes).toBe(20);

    await Promise.all(fans.slice(0, 10).map((fan) => send(fan, "DELETE", `/posts/${target.id}/like`)));
    await Promise.all(fans.slice(0, 5).map((fan) => send(fan, "DELETE", `/posts/${target.id}/like`)));
    const seen = await (await fans[19]!.api(`/posts/${target.id}`)).json();
    expect(seen.post).toMatchObject({ likes: 10, likedByMe: true });
    expect((await (await fans[0]!.api(`/posts/${target.id}`)).json()).post.likedByMe).toBe(false);

    const reposter = await member("rp");
    await Promise.all([1, 2, 3].map(() => send(reposter, "POST", `/posts/${target.id}/repost`)));
    const profile = await page(reposter, `/users/${reposter.handle}/posts`);
    expect(profile.items).toEqual([
      expect.objectContaining({
        id: target.id,
        reposts: 1,
        repostedByMe: true,
        repostedBy: expect.objectContaining({ handle: reposter.handle }),
      }),
    ]);
    expect((await send(reposter, "DELETE", `/posts/${target.id}/repost`)).status).toBe(204);
    expect((await page(reposter, `/users/${reposter.handle}/posts`)).items).toEqual([]);
  });

  it("refuses a garbage cursor with cursor.invalid", async () => {
    const a = await member("cur");
    for (const path of ["/timelines/home", "/timelines/public", `/users/${a.handle}/followers`]) {
      const res = await a.api(`${path}?cursor=not-a-cursor`);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.code).toBe("cursor.invalid");
    }
  });

  it("pages a timeline without repeats or gaps while the author keeps posting", async () => {
    const a = await member("pg");
    const first: string[] = [];
    for (let i = 0; i < 12; i++) first.push((await post(a, { text: `p${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const [current] = await Promise.all([
        page(a, `/users/${a.handle}/posts?limit=5${query}`),
        post(a, { text: `during ${round++}` }),
      ]);
      if (seen.length === 0) {
        // The first page may or may not include the post made at the same moment.
        seen.push(...ids(current).filter((id) => first.includes(id)));
      } else seen.push(...ids(current));
      cursor = current.cursor;
    } while (cursor);
    expect(seen).toEqual([...first].reverse());
  });

  it("pages the public timeline, merged from its shards, newest first without repeats or gaps", async () => {
    const a = await member("pub");
    const mine: string[] = [];
    for (let i = 0; i < 12; i++) mine.push((await post(a, { text: `public ${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    // Other suites post too: read until the oldest of ours has gone by.
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const current = await page(a, `/timelines/public?limit=5${query}`);
      const all = ids(current);
      expect([...all].sort().reverse()).toEqual(all);
      seen.push(...all.filter((id) => mine.includes(id)));
      cursor = current.cursor;
    } while (cursor && !seen.includes(mine[0]!));
    expect(seen).toEqual([...mine].reverse());
  });
});

describe("follows and the home timeline", () => {
  it("follows idempotently, never oneself, with counts and lists", async () => {
    const [a, b] = await Promise.all([member("fa"), member("fb")]);
    const self = await send(a, "POST", `/users/${a.handle}/follow`);
    expect(self.status).toBe(400);
    expect((await self.json()).error.code).toBe("follow.self");
    expect((await send(a, "POST", `/users/${b.handle}/follow`)).status).toBe(204);
    expect((await send(a, "POST", `/users/${b.handle}/follow`)).status).toBe(204);
    expect(await (await a.api(`/users/${b.handle}`)).json()).toMatchObject({
      followers: 1,
      followedByMe: true,
    });
    expect(await (await b.api(`/users/${a.handle}`)).json()).toMatchObject({ following: 1, followsMe: true });
    const followers = await (await a.api(`/users/${b.handle}/followers`)).json();
    expect(followers.items.map((p: { handle: string }) => p.handle)).toEqual([a.handle]);
    // Listed people carry the relation to the caller both ways: B sees that A follows B, not the reverse.
    expect((await (await b.api(`/users/${b.handle}/followers`)).json()).items).toEqual([
      expect.objectContaining({ handle: a.handle, followsMe: true, followedByMe: false }),
    ]);
    const following = await (await b.api(`/users/${a.handle}/following`)).json();
    expect(following.items.map((p: { handle: string }) => p.handle)).toEqual([b.handle]);
    expect((await send(a, "DELETE", `/users/${b.handle}/follow`)).status).toBe(204);
    expect((await send(a, "DELETE", `/users/${b.handle}/follow`)).status).toBe(204);
    expect(await (await a.api(`/users/${b.handle}`)).json()).toMatchObject({
      followers: 0,
      followedByMe: false,
    });
  });

  it("fans a post out to followers, backfills on follow, and removes on unfollow and on delete", async () => {
    const [a, b, c] = await Promise.all([member("ha"), member("hb"), member("hc")]);
    const early = await post(b, { text: "before anyone followed" });
    await send(a, "POST", `/users/${b.handle}/follow`);
    await eventually(async () => expect(ids(await page(a, "/timelines/home"))).toContain(early.id));

    const fresh = await post(b, { text: "hello followers" });
    await eventually(async () =>
      expect(ids(await page(a, "/timelines/home")).slice(0, 2)).toEqual([fresh.id, early.id]),
    );
    expect(ids(await page(b, "/timelines/home"))).toContain(fresh.id);
    expect(ids(await page(c, "/timelines/home"))).not.toContain(fresh.id);

    // A repost by someone A follows reaches A's home, marked as a repost.
    const own = await post(c, { text: "from c" });
    await send(b, "POST", `/posts/${own.id}/repost`);
    await eventually(async () =>
      expect((await page(a, "/timelines/home")).items[0]).toMatchObject({
        id: own.id,
        repostedBy: { handle: b.handle },
      }),
    );

    await send(b, "DELETE", `/posts/${fresh.id}`);
    expect(ids(await page(a, "/timelines/home"))).not.toContain(fresh.id);

    await send(a, "DELETE", `/users/${b.handle}/follow`);
    await eventually(async () => expect((await page(a, "/timelines/home")).items).toEqual([]));
  });

  it("merges a big author's posts at read time instead of fanning out (threshold lowered for tests)", async () => {
    const star = await member("star");
    const fans = await Promise.all([1, 2, 3, 4].map(() => member("fan")));
    await Promise.all(fans.map((fan) => send(fan, "POST", `/users/${star.handle}/follow`)));
    expect((await (await star.api("/me")).json()).followers).toBe(4);

    const hit = await post(star, { text: "to all my fans" });
    for (const fan of fans)
      await eventually(async () => expect(ids(await page(fan, "/timelines/home"))).toContain(hit.id));
    const late = await member("late");
    await send(late, "POST", `/users/${star.handle}/follow`);
    await eventually(async () => expect(ids(await page(late, "/timelines/home"))).toContain(hit.id));
    // A big author's deletion and an unfollow still take effect for the merged feed.
    await send(late, "DELETE", `/users/${star.handle}/follow`);
    expect(ids(await page(late, "/timelines/home"))).not.toContain(hit.id);
    await send(star, "DELETE", `/posts/${hit.id}`);
    expect(ids(await page(fans[0]!, "/timelines/home"))).not.toContain(hit.id);
  });
});

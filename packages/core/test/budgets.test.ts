import { envelope } from "@asyncsns/realtime";
import { describe, expect, it } from "vitest";
import { SendMessage } from "../src/chat/inputs";
import { Media } from "../src/media";
import { Post } from "../src/post";
import { PostEntity } from "../src/post/post.entity";
import { Text } from "../src/text";
import { User } from "../src/user";
import { checkText, type TextRule } from "../src/util";

const { Limits } = Text;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const KB = 1024;
// "Service, account, and table quotas in Amazon DynamoDB" (item size 400 KB): https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
const DYNAMODB_ITEM = 400 * KB;
// "Lambda quotas" (invocation payload, response 6 MB): https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const LAMBDA_RESPONSE = 6 * 1024 * KB;
// "Amazon API Gateway quotas" (WebSocket frame 32 KB, message payload 128 KB): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
const WEBSOCKET_FRAME = 32 * KB;
const WEBSOCKET_MESSAGE = 128 * KB;
/** Chat files are presigned GETs with a session token on Lambda: 2 KB is longer than any we sign. */
const SIGNED_URL_BYTES = 2 * KB;
/** Post media are CDN paths (origin, media id, variant): 256 bytes is longer than any we build. */
const CDN_URL_BYTES = 256;

// '"' plus a 3-byte mark: 4 bytes (the per-grapheme cap) that JSON writes as 5, the most any grapheme costs.
function maximal(rule: TextRule): string {
  const text = '"\u20d0'.repeat(rule.max);
  expect(checkText(text, rule)).toBeUndefined();
  return text;
}

// As many distinct tags as a post holds, each growing under NFKC (ﷺ becomes 18 letters).
function tagHeavyPost(): string {
  let text = "";
  for (let i = 0; ; i++) {
    const next = `${text}#ﷺ${i.toString(36)} `;
    if (checkText(next, Limits.POST)) return text;
    text = next;
  }
}

const id = (prefix: string, n: number) => `${prefix}_01JDZ${String(n).padStart(21, "0")}`;
const url = (n: number, size = CDN_URL_BYTES) => `https://media.example.com/${"x".repeat(size - 30)}${n}`;

function maximalPost(n: number): Post.Info {
  const author = {
    id: id("usr", n),
    handle: "h".repeat(20),
    displayName: maximal(Limits.DISPLAY_NAME),
    avatarUrl: url(0),
  };
  const text = maximal(Limits.POST);
  const media = Array.from({ length: 4 }, (_, i) =>
    Media.Info.parse({
      id: id("med", i),
      kind: "video",
      contentType: "video/mp4",
      url: url(1),
      thumbnailUrl: url(2),
      posterUrl: url(3),
      width: 4096,
      height: 4096,
      blurhash: "L".repeat(64),
      durationMs: 86_400_000,
      alt: maximal(Limits.ALT),
      status: "ready",
    }),
  );
  return Post.Info.parse({
    id: id("pst", n),
    author,
    text,
    media,
    hashtags: Text.parse(tagHeavyPost()).hashtags,
    mentions: Array.from({ length: 20 }, (_, i) => ({
      handle: `user${i}`.padEnd(20, "_"),
      userId: id("usr", i),
    })),
    createdAt: new Date().toISOString(),
    editedAt: new Date().toISOString(),
    replyTo: id("pst", 0),
    likes: 2 ** 31,
    reposts: 2 ** 31,
    replies: 2 ** 31,
    likedByMe: true,
    repostedByMe: true,
    repostedBy: author,
  });
}

describe("budgets (packages/core/src/text/limits.ts)", () => {
  it("a tag longer than 140 characters after NFKC stays text, so it never becomes a key", () => {
    expect(Text.parse(`#${"ﷺ".repeat(7)}`).hashtags[0]).toHaveLength(7 * 18);
    expect(Text.parse(`#${"ﷺ".repeat(8)}`)).toMatchObject({ hashtags: [], tokens: [{ type: "text" }] });
  });

  it("the largest post item, written through the real schema and entity, stays under 64 KB (DynamoDB: 400 KB)", () => {
    const input = Post.create.schema.parse({
      text: maximal(Limits.POST),
      mediaIds: [1, 2, 3, 4].map((i) => id("med", i)),
    });
    const tags = Text.parse(tagHeavyPost()).hashtags;
    const { Item } = PostEntity.create({
      postId: id("pst", 1),
      authorId: id("usr", 1),
      author: {
        handle: "h".repeat(20),
        displayName: User.DisplayName.parse(maximal(Limits.DISPLAY_NAME)),
        avatarKey: url(0),
        at: Date.now(),
      },
      text: input.text,
      // Both at their worst at once, which no single text can be: an upper bound.
      hashtags: tags,
      mentions: Array.from({ length: 20 }, (_, i) => ({ handle: "m".repeat(20), userId: id("usr", i) })),
      mediaIds: input.mediaIds ?? [],
      replyTo: id("pst", 0),
      ancestors: Array.from({ length: 20 }, (_, i) => id("pst", i)),
      editedAt: Date.now(),
    }).params<{ Item: Record<string, unknown> }>();
    const size = bytes(Item);
    expect(size).toBeLessThanOrEqual(Limits.POST_ITEM_BUDGET_BYTES);
    expect(Limits.POST_ITEM_BUDGET_BYTES * 4).toBeLessThan(DYNAMODB_ITEM);
  });

  it("a page of 20 maximal posts (text, display name, 4 media with alt text) stays under 1 MB (Lambda: 6 MB)", () => {
    const page = Post.Page.parse({
      items: Array.from({ length: 20 }, (_, n) => maximalPost(n)),
      cursor: "c".repeat(2048),
    });
    expect(bytes(page)).toBeLessThanOrEqual(Limits.PAGE_BUDGET_BYTES);
    expect(Limits.PAGE_BUDGET_BYTES * 6).toBeLessThanOrEqual(LAMBDA_RESPONSE);
  });

  it("a maximal chat.message event fits one API Gateway WebSocket frame (32 KB; a message may be 128 KB)", () => {
    const input = SendMessage.parse({ roomId: id("rom", 1), text: maximal(Limits.MESSAGE) });
    const event = envelope("chat.message", {
      id: id("msg", 1),
      roomId: input.roomId,
      seq: 2 ** 31,
      sender: {
        id: id("usr", 1),
        handle: "h".repeat(20),
        displayName: maximal(Limits.DISPLAY_NAME),
        avatarUrl: url(0),
      },
      text: input.text,
      media: [1, 2, 3, 4].map((i) => ({
        id: id("med", i),
        kind: "video" as const,
        contentType: "video/mp4",
        url: url(i, SIGNED_URL_BYTES),
      })),
      replyTo: { id: id("msg", 0), seq: 2 ** 31 - 1 },
      createdAt: new Date().toISOString(),
      editedAt: new Date().toISOString(),
      deleted: false,
    });
    expect(bytes(event)).toBeLessThanOrEqual(Limits.CHAT_EVENT_BUDGET_BYTES);
    expect(Limits.CHAT_EVENT_BUDGET_BYTES).toBeLessThanOrEqual(WEBSOCKET_FRAME);
    expect(WEBSOCKET_FRAME).toBeLessThan(WEBSOCKET_MESSAGE);
  });

  it("a request body of 64 KB holds every maximal input with room to spare", () => {
    const largest = { text: maximal(Limits.MESSAGE), mediaIds: [1, 2, 3, 4].map((i) => id("med", i)) };
    expect(bytes(largest) * 2).toBeLessThan(Limits.MAX_JSON_BODY_BYTES);
  });
});

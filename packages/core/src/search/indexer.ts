export * as Indexer from "./indexer";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import * as MediaItems from "../media/items";
import * as Posts from "../post/read";
import * as Feed from "../timeline/feed";
import type { Card } from "../user/read";
import * as Users from "../user/read";
import { searchIndex } from "./client";
import { postDoc, userDoc } from "./documents";
import type { SearchIndex } from "./opensearch";

// The stream subscriber's side of search: reads only entities, so the indexer links only the table and the index.

export type Change =
  | { type: "post"; postId: string; removed: boolean }
  | { type: "user"; userId: string; removed: boolean };

export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> };
}

const SEARCHED_POST_FIELDS = ["text", "hashtags", "mentions", "deletedAt", "editedAt"] as const;

/** What a table change means for the index; counters (likes, followers) changing is nothing. */
export function changeOf(record: StreamRecord): Change | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  const old = record.dynamodb?.OldImage
    ? unmarshall(record.dynamodb.OldImage as Record<string, AttributeValue>)
    : undefined;
  const removed = record.eventName === "REMOVE";
  const same = (fields: readonly string[]) =>
    record.eventName === "MODIFY" &&
    old &&
    fields.every((f) => JSON.stringify(old[f]) === JSON.stringify(item[f]));
  if (item.__edb_e__ === "post") {
    // A card marked suspended (or no longer) arrives on every post of the author: each leaves (or rejoins) the index.
    const suspension = (image?: Record<string, unknown>) =>
      Boolean((image?.author as Card | undefined)?.suspended);
    if (same(SEARCHED_POST_FIELDS) && suspension(old) === suspension(item)) return undefined;
    return { type: "post", postId: String(item.postId), removed };
  }
  if (item.__edb_e__ === "user") {
    if (same(["handle", "displayName", "suspendedAt"])) return undefined;
    return { type: "user", userId: String(item.userId), removed };
  }
  return undefined;
}

/** Brings one item's document in step with the table, reading the item as it is now (so replays are harmless). */
export async function apply(change: Change, index: SearchIndex = searchIndex): Promise<void> {
  if (change.type === "post") {
    const data = await Posts.get(change.postId);
    if (!data || data.deletedAt) return index.removePost(change.postId, data?.deletedAt ?? Date.now());
    const doc = await toPostDoc(data);
    if (doc === "suspended") return index.removePost(change.postId, versionOf(data));
    if (doc) await index.putPost(doc);
    return;
  }
  const user = await Users.stored(change.userId);
  // A suspended user leaves people search until the lift (whose write bumps `updatedAt`, the newer version).
  if (user?.suspendedAt !== undefined) await index.removeUser(change.userId, user.updatedAt);
  else if (user) await index.putUser(userDoc(user));
  // A deleted account leaves people search too.
  else if (change.removed) await index.removeUser(change.userId, Date.now());
}

/** A post's document version: its card's stamp counts, so a lift's put wins over the suspension's removal. */
const versionOf = (post: Posts.PostItem) => Math.max(post.createdAt, post.editedAt ?? 0, post.author.at);

async function toPostDoc(post: Posts.PostItem) {
  const [author, media] = await Promise.all([Users.stored(post.authorId), MediaItems.fromIds(post.mediaIds)]);
  if (!author) return undefined;
  if (author.suspendedAt !== undefined) return "suspended" as const;
  return {
    ...postDoc({ ...post, authorHandle: author.handle, mediaKinds: media.map((m) => m.kind) }),
    version: versionOf(post),
  };
}

/** Writes are idempotent, so this admin rebuild can run beside the live subscriber. */
export async function reindex(
  options: { segments?: number; log?: (line: string) => void; index?: SearchIndex } = {},
): Promise<{ users: number; posts: number }> {
  const index = options.index ?? searchIndex;
  const segments = options.segments ?? 4;
  let usersDone = 0;
  let postsDone = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let cursor: string | null = null;
      do {
        // ElectroDB has no parallel scan of its own: the segment goes to DynamoDB as extra request parameters.
        const page: { data: Parameters<typeof userDoc>[0][]; cursor: string | null } = await Users.scan({
          cursor,
          limit: 100,
          segment,
          segments,
        });
        for (const user of page.data) {
          // A suspended user and their posts stay out until the lift, which the live subscriber indexes.
          if ((user as { suspendedAt?: number }).suspendedAt !== undefined) {
            await index.removeUser(user.userId, user.updatedAt);
            continue;
          }
          await index.putUser(userDoc(user));
          usersDone++;
          // Not `postsDone += await …`: that reads the total before the await and loses other segments' counts.
          const posts = await reindexAuthor(user.userId, index);
          postsDone += posts;
        }
        cursor = page.cursor;
        options.log?.(`users ${usersDone}, posts ${postsDone}`);
      } while (cursor);
    }),
  );
  return { users: usersDone, posts: postsDone };
}

async function reindexAuthor(userId: string, index: SearchIndex): Promise<number> {
  let count = 0;
  let from: string | undefined;
  for (;;) {
    const entries = await Feed.read(Feed.key.user(userId), { limit: 100, ...(from ? { from } : {}) });
    const own = entries.filter((e) => !e.repostedBy).map((e) => e.postId);
    for (const post of (await Posts.many(own)).values()) {
      if (post.deletedAt) continue;
      const doc = await toPostDoc(post);
      if (!doc || doc === "suspended") continue;
      await index.putPost(doc);
      count++;
    }
    if (entries.length < 100) return count;
    from = entries.at(-1)?.seq;
  }
}

export * as Indexer from "./indexer";

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { MediaEntity } from "../media/media.entity";
import { PostEntity, type PostItem } from "../post/post.entity";
import * as Feed from "../timeline/feed";
import { UserEntity } from "../user/user.entity";
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
    if (same(SEARCHED_POST_FIELDS)) return undefined;
    return { type: "post", postId: String(item.postId), removed };
  }
  if (item.__edb_e__ === "user") {
    if (same(["handle", "displayName"])) return undefined;
    return { type: "user", userId: String(item.userId), removed };
  }
  return undefined;
}

/** Brings one item's document in step with the table, reading the item as it is now (so replays are harmless). */
export async function apply(change: Change, index: SearchIndex = searchIndex): Promise<void> {
  if (change.type === "post") {
    const { data } = await PostEntity.get({ postId: change.postId }).go();
    if (!data || data.deletedAt) return index.removePost(change.postId, data?.deletedAt ?? Date.now());
    const doc = await toPostDoc(data);
    if (doc) await index.putPost(doc);
    return;
  }
  const { data } = await UserEntity.get({ userId: change.userId }).go();
  if (data) await index.putUser(userDoc(data));
}

async function toPostDoc(post: PostItem) {
  const ids: { mediaId: string }[] = post.mediaIds.map((mediaId: string) => ({ mediaId }));
  const [author, media] = await Promise.all([
    UserEntity.get({ userId: post.authorId }).go(),
    ids.length ? MediaEntity.get(ids).go() : undefined,
  ]);
  if (!author.data) return undefined;
  return postDoc({
    ...post,
    authorHandle: author.data.handle,
    mediaKinds: (media?.data ?? []).map((m) => m.kind),
  });
}

/**
 * Rebuilds the index from the table (an admin command, never a request path): one pass over user items
 * (no index lists every user, so this is a filtered, segmented scan), then each user's profile feed by key
 * query and their posts by batch get. Writes are idempotent, so it can run beside the live subscriber.
 */
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
        const page: { data: Parameters<typeof userDoc>[0][]; cursor: string | null } =
          await UserEntity.scan.go({
            cursor,
            limit: 100,
            params: { Segment: segment, TotalSegments: segments },
          });
        for (const user of page.data) {
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
    const own = entries.filter((e) => !e.repostedBy).map((e) => ({ postId: e.postId }));
    const { data } = own.length ? await PostEntity.get(own).go() : { data: [] as PostItem[] };
    for (const post of data) {
      if (post.deletedAt) continue;
      const doc = await toPostDoc(post);
      if (!doc) continue;
      await index.putPost(doc);
      count++;
    }
    if (entries.length < 100) return count;
    from = entries.at(-1)?.seq;
  }
}

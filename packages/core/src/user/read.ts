import * as z from "zod";
import * as Batch from "../dynamo/batch";
import { avatarUrlOf } from "../media/urls";
import { HandleEntity, UserEntity } from "./user.entity";

export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,20}$/;

// What other domains read of users, by function: a profile, its card, ids by handle, keys for a mixed batch get.

export const Info = z
  .object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    bio: z.string(),
    avatarUrl: z.string().nullable(),
    followers: z.number().int(),
    following: z.number().int(),
    /** The owner keeps their profile and posts from signed-out visitors (public pages). */
    signedInOnly: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: "Profile" });
export type Info = z.infer<typeof Info>;

/** Handles are unique regardless of case; the chosen spelling is kept for display. */
export const handleKey = (handle: string) => handle.toLowerCase();

type UserItem = NonNullable<Awaited<ReturnType<ReturnType<typeof UserEntity.get>["go"]>>["data"]>;

/** What a post shows of its author, copied onto the post (see UserEntity.cardAt). */
export interface Card {
  handle: string;
  displayName: string;
  avatarKey?: string;
  at: number;
}

export const cardOf = (item: {
  handle: string;
  displayName: string;
  avatarKey?: string | undefined;
  cardAt?: number | undefined;
}): Card => ({
  handle: item.handle,
  displayName: item.displayName,
  ...(item.avatarKey ? { avatarKey: item.avatarKey } : {}),
  at: item.cardAt ?? 0,
});

/** A stored user as its public profile (for callers that read the item themselves, e.g. a mixed batch get). */
export const toInfo = (item: UserItem): Info => serialize(item);

function serialize(item: UserItem): Info {
  return {
    id: item.userId,
    handle: item.handle,
    displayName: item.displayName,
    bio: item.bio,
    avatarUrl: avatarUrlOf(item.avatarKey),
    followers: item.followers,
    following: item.following,
    signedInOnly: item.signedInOnly ?? false,
    createdAt: new Date(item.createdAt).toISOString(),
  };
}

export async function fromId(userId: string): Promise<Info | undefined> {
  const result = await UserEntity.get({ userId }).go();
  return result.data ? serialize(result.data) : undefined;
}

export async function fromHandle(handle: string): Promise<Info | undefined> {
  if (!HANDLE_PATTERN.test(handle)) return undefined;
  const found = await HandleEntity.get({ handleKey: handleKey(handle) }).go();
  return found.data ? fromId(found.data.userId) : undefined;
}

/** A user's id by handle, in any case. */
export async function idOf(handle: string): Promise<string | undefined> {
  const found = await HandleEntity.get({ handleKey: handleKey(handle) }).go();
  return found.data?.userId;
}

/** Ids of the handles that exist (as given, lowercased), in one batch get. */
export async function idsOf(handles: string[]): Promise<Map<string, string>> {
  if (handles.length === 0) return new Map();
  const { data } = await HandleEntity.get(handles.map((handle) => ({ handleKey: handleKey(handle) }))).go();
  return new Map(data.map((item) => [item.handleKey, item.userId]));
}

/** The stored user, with the fields only its own domain and the card subscriber use (e.g. `cardAt`). */
export async function stored(
  userId: string,
  options: { consistent?: boolean } = {},
): Promise<UserItem | undefined> {
  const { data } = await UserEntity.get({ userId }).go({ consistent: options.consistent ?? false });
  return data ?? undefined;
}

/** Many profiles in one batch get (authors of a page of posts), by id; missing ids are left out. */
export async function many(userIds: string[]): Promise<Map<string, Info>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const { data } = await UserEntity.get(unique.map((userId) => ({ userId }))).go();
  return new Map(data.map((item) => [item.userId, serialize(item)]));
}

/** Table keys of profiles, for a batch get that also reads other entities. */
export const keys = (userIds: string[]) =>
  [...new Set(userIds)].map((userId) => Batch.keyOf(UserEntity, { userId }));

/** The profiles among raw items of a mixed batch get, by id. */
export function fromItems(items: Batch.Item[]): Map<string, Info> {
  const found = new Map<string, Info>();
  for (const Item of items) {
    if (Item.__edb_e__ !== "user") continue;
    const { data } = UserEntity.parse({ Item });
    if (data) found.set(data.userId, serialize(data));
  }
  return found;
}

/** One page of a parallel scan over every profile (an admin rebuild, never a request path). */
export async function scan(options: {
  cursor: string | null;
  limit: number;
  segment: number;
  segments: number;
}) {
  return UserEntity.scan.go({
    cursor: options.cursor,
    limit: options.limit,
    params: { Segment: options.segment, TotalSegments: options.segments },
  });
}

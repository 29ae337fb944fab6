import * as z from "zod";
import { useActor } from "../actor";
import * as Batch from "../dynamo/batch";
import type { Entities } from "../dynamo/service";
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
  /** Set while the author is suspended: readers drop the post (a flag, so lifting brings it back). */
  suspended?: boolean;
  at: number;
}

export const cardOf = (item: {
  handle: string;
  displayName: string;
  avatarKey?: string | undefined;
  suspendedAt?: number | undefined;
  cardAt?: number | undefined;
}): Card => ({
  handle: item.handle,
  displayName: item.displayName,
  ...(item.avatarKey ? { avatarKey: item.avatarKey } : {}),
  ...(item.suspendedAt !== undefined ? { suspended: true } : {}),
  at: item.cardAt ?? 0,
});

/** The signed-in caller, if any: a suspended user still sees their own profile and posts. */
const viewerId = () => {
  const actor = useActor();
  return actor.type === "user" ? actor.properties.userId : undefined;
};

/** Whether the caller must not see this user: suspended by a moderator, and not the caller themself. */
export const hiddenFromViewer = (item: { userId: string; suspendedAt?: number | undefined }) =>
  item.suspendedAt !== undefined && item.userId !== viewerId();

/** Whether a post's author card says suspended, for anyone but the author. */
export const cardHidden = (authorId: string, card: { suspended?: boolean | undefined }) =>
  card.suspended === true && authorId !== viewerId();

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

/** A profile by handle as the caller may see it: a suspended user is nobody to others. */
export async function fromHandle(handle: string): Promise<Info | undefined> {
  if (!HANDLE_PATTERN.test(handle)) return undefined;
  const found = await HandleEntity.get({ handleKey: handleKey(handle) }).go();
  const item = found.data ? await stored(found.data.userId) : undefined;
  return item && !hiddenFromViewer(item) ? serialize(item) : undefined;
}

/** A user's id by handle, in any case. */
export async function idOf(handle: string): Promise<string | undefined> {
  const found = await HandleEntity.get({ handleKey: handleKey(handle) }).go();
  return found.data?.userId;
}

/**
 * A user's id by handle for acting on them (a room, a call): a suspended user is nobody to others, as in
 * `fromHandle`. One more key read, projected; writes that are transactions also check it (`unsuspendedCheck`).
 */
export async function actionableIdOf(handle: string): Promise<string | undefined> {
  const userId = await idOf(handle);
  if (!userId) return undefined;
  const { data } = await UserEntity.get({ userId }).go({ attributes: ["userId", "suspendedAt"] });
  return data && !hiddenFromViewer(data) ? userId : undefined;
}

/** The condition a write adds so a suspension landing meanwhile cancels it (as the follow's on the followee). */
export const unsuspendedCheck = (entities: Pick<Entities, "user">, userId: string) =>
  entities.user
    .check({ userId })
    .where((a, op) => op.notExists(a.suspendedAt))
    .commit();

/** Whether a moderator has suspended the user: a projected key read (their token stays valid until it expires). */
export async function isSuspended(userId: string): Promise<boolean> {
  const { data } = await UserEntity.get({ userId }).go({ attributes: ["userId", "suspendedAt"] });
  return data?.suspendedAt !== undefined;
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

/**
 * Many profiles in one batch get (authors of a page of posts), by id; missing ids are left out, and so are suspended
 * users (but the caller) unless `suspended` asks for them (moderators' pages): lists show them like deleted accounts.
 */
export async function many(
  userIds: string[],
  options: { suspended?: boolean } = {},
): Promise<Map<string, Info>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const { data } = await UserEntity.get(unique.map((userId) => ({ userId }))).go();
  return new Map(
    data
      .filter((item) => options.suspended || !hiddenFromViewer(item))
      .map((item) => [item.userId, serialize(item)]),
  );
}

/** Those of `userIds` the caller cannot see (deleted or suspended accounts): a projected batch get. */
export async function goneAmong(userIds: string[]): Promise<Set<string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Set();
  const { data } = await UserEntity.get(unique.map((userId) => ({ userId }))).go({
    attributes: ["userId", "suspendedAt"],
  });
  const seen = new Set(data.filter((item) => !hiddenFromViewer(item)).map((item) => item.userId));
  return new Set(unique.filter((id) => !seen.has(id)));
}

/** Table keys of profiles, for a batch get that also reads other entities. */
export const keys = (userIds: string[]) =>
  [...new Set(userIds)].map((userId) => Batch.keyOf(UserEntity, { userId }));

/** The profiles among raw items of a mixed batch get, by id; suspended users (but the caller) are left out. */
export function fromItems(items: Batch.Item[]): Map<string, Info> {
  const found = new Map<string, Info>();
  for (const Item of items) {
    if (Item.__edb_e__ !== "user") continue;
    const { data } = UserEntity.parse({ Item });
    if (data && !hiddenFromViewer(data)) found.set(data.userId, serialize(data));
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

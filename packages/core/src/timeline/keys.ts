// Dependency-free on purpose: infra derives stream filters from these.

/** Every feed's partition key in one place, so writers and readers agree on it. */
export type Feed =
  | `user#${string}`
  | `home#${string}`
  | `tag#${string}`
  | `replies#${string}`
  | `public#${number}`;

/** The one spelling of every feed's key. */
export const key = {
  user: (userId: string) => `user#${userId}` as const,
  home: (userId: string) => `home#${userId}` as const,
  tag: (tag: string) => `tag#${tag}` as const,
  replies: (postId: string) => `replies#${postId}` as const,
  public: (shard: number) => `public#${shard}` as const,
};

/** Whether a feed is someone's profile feed: the activity that fans out to followers' homes. */
export const isProfile = (feed: string): feed is `user#${string}` => feed.startsWith(key.user(""));

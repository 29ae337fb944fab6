// Typed calls for search (the shapes of /api/openapi.json).
import { request } from "./api";
import type { ListedProfile, Page, Post } from "./posts-api";

export type SearchTab = "posts" | "people" | "tags";
export type PostHit = Post & { highlights: { start: number; end: number }[] };

const qs = (params: Record<string, string | undefined | null>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

export const searchApi = {
  posts: (q: string, sort: "latest" | "relevance", cursor?: string | null) =>
    request<Page<PostHit>>(
      "GET",
      `/search/posts?${qs({ q, sort, cursor, tz: Intl.DateTimeFormat().resolvedOptions().timeZone })}`,
    ),
  users: (q: string, cursor?: string | null) =>
    request<Page<ListedProfile>>("GET", `/search/users?${qs({ q, cursor })}`),
  tags: (q: string) => request<Page<{ tag: string; count: number }>>("GET", `/search/tags?${qs({ q })}`),
};

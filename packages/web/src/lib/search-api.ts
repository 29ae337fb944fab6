// Calls for search; their shapes come from the generated OpenAPI types.
import { apiClient, ok } from "./api";

export type SearchTab = "posts" | "people" | "tags";

export const searchApi = {
  posts: (q: string, sort: "latest" | "relevance", cursor?: string | null) =>
    ok(
      apiClient().GET("/api/search/posts", {
        params: {
          query: {
            q,
            sort,
            cursor: cursor || undefined,
            tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
          },
        },
      }),
    ),
  users: (q: string, cursor?: string | null, options: { limit?: number; signal?: AbortSignal } = {}) =>
    ok(
      apiClient().GET("/api/search/users", {
        params: { query: { q, cursor: cursor || undefined, limit: options.limit } },
        signal: options.signal,
      }),
    ),
  tags: (q: string, options: { limit?: number; signal?: AbortSignal } = {}) =>
    ok(
      apiClient().GET("/api/search/tags", {
        params: { query: { q, limit: options.limit } },
        signal: options.signal,
      }),
    ),
  trending: () => ok(apiClient().GET("/api/search/trending", { params: { query: { limit: 10 } } })),
  suggestions: (limit = 5) => ok(apiClient().GET("/api/users/suggestions", { params: { query: { limit } } })),
};

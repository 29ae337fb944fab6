// Reads for signed-out visitors (shared links); the same answers for everyone, so the CDN may cache them.
import { apiClient, ok } from "./api";

export const publicApi = {
  profile: (handle: string) =>
    ok(apiClient().GET("/api/public/users/{handle}", { params: { path: { handle } } })),
  posts: (handle: string, cursor?: string | null) =>
    ok(
      apiClient().GET("/api/public/users/{handle}/posts", {
        params: { path: { handle }, query: { cursor: cursor || undefined } },
      }),
    ),
  thread: (id: string) => ok(apiClient().GET("/api/public/posts/{id}", { params: { path: { id } } })),
};

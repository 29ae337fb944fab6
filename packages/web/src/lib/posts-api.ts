// Calls for posts, media, timelines and follows; their shapes come from the generated OpenAPI types.
import { apiClient, ok } from "./api";
import type { BodyOf, DeletedPost, Post, PostPage } from "./api-types";

// The follow button answers at once; a follower list opened before its write lands must still show it.
const followWrites = new Set<Promise<unknown>>();
const followsSettled = () => Promise.allSettled([...followWrites]);

/** Query of a paged read: an empty cursor means the first page. */
const page = (cursor?: string | null, limit?: number) => ({
  cursor: cursor || undefined,
  limit: limit || undefined,
});

export type PageFetcher = (cursor: string | null, limit?: number) => Promise<PostPage>;

export const postsApi = {
  createUpload: (body: BodyOf<"/api/media/uploads", "post">) =>
    ok(apiClient().POST("/api/media/uploads", { body })),
  getMedia: (id: string) => ok(apiClient().GET("/api/media/{id}", { params: { path: { id } } })),
  /** The owner edits an upload, before or after it is attached: alt text, a video's poster image. */
  updateMedia: (id: string, body: BodyOf<"/api/media/{id}", "patch">) =>
    ok(apiClient().PATCH("/api/media/{id}", { params: { path: { id } }, body })),
  createPost: (body: BodyOf<"/api/posts", "post">) => ok(apiClient().POST("/api/posts", { body })),
  editPost: (id: string, text: string) =>
    ok(apiClient().PATCH("/api/posts/{id}", { params: { path: { id } }, body: { text } })),
  deletePost: (id: string) => ok(apiClient().DELETE("/api/posts/{id}", { params: { path: { id } } })),
  like: (id: string, on: boolean) =>
    ok(
      on
        ? apiClient().POST("/api/posts/{id}/like", { params: { path: { id } } })
        : apiClient().DELETE("/api/posts/{id}/like", { params: { path: { id } } }),
    ),
  repost: (id: string, on: boolean) =>
    ok(
      on
        ? apiClient().POST("/api/posts/{id}/repost", { params: { path: { id } } })
        : apiClient().DELETE("/api/posts/{id}/repost", { params: { path: { id } } }),
    ),
  thread: (id: string) => ok(apiClient().GET("/api/posts/{id}", { params: { path: { id } } })),
  replies: (id: string, cursor: string | null, limit?: number) =>
    ok(apiClient().GET("/api/posts/{id}/replies", { params: { path: { id }, query: page(cursor, limit) } })),
  home: ((cursor, limit) =>
    ok(apiClient().GET("/api/timelines/home", { params: { query: page(cursor, limit) } }))) as PageFetcher,
  public: ((cursor, limit) =>
    ok(apiClient().GET("/api/timelines/public", { params: { query: page(cursor, limit) } }))) as PageFetcher,
  userPosts:
    (handle: string): PageFetcher =>
    (cursor, limit) =>
      ok(
        apiClient().GET("/api/users/{handle}/posts", {
          params: { path: { handle }, query: page(cursor, limit) },
        }),
      ),
  tagPosts:
    (tag: string): PageFetcher =>
    (cursor, limit) =>
      ok(apiClient().GET("/api/tags/{tag}/posts", { params: { path: { tag }, query: page(cursor, limit) } })),
  follow: (handle: string, on: boolean) => {
    const write = ok(
      on
        ? apiClient().POST("/api/users/{handle}/follow", { params: { path: { handle } } })
        : apiClient().DELETE("/api/users/{handle}/follow", { params: { path: { handle } } }),
    );
    followWrites.add(write);
    write.then(
      () => followWrites.delete(write),
      () => followWrites.delete(write),
    );
    return write;
  },
  followers: async (handle: string, cursor: string | null) => {
    await followsSettled();
    return ok(
      apiClient().GET("/api/users/{handle}/followers", { params: { path: { handle }, query: page(cursor) } }),
    );
  },
  following: async (handle: string, cursor: string | null) => {
    await followsSettled();
    return ok(
      apiClient().GET("/api/users/{handle}/following", { params: { path: { handle }, query: page(cursor) } }),
    );
  },
};

export function isDeleted(item: Post | DeletedPost): item is DeletedPost {
  return "deleted" in item && item.deleted === true;
}

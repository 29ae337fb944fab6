// Typed calls for posts, media, timelines and follows (the shapes of /api/openapi.json).
import { request } from "./api";

export type MediaKind = "image" | "video" | "audio";

export interface Media {
  id: string;
  kind: MediaKind;
  contentType: string;
  url: string;
  thumbnailUrl: string | null;
  posterUrl: string | null;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  durationMs: number | null;
  alt: string;
  status: "pending" | "ready" | "failed";
}

export interface Author {
  id: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface Post {
  id: string;
  author: Author;
  text: string;
  media: Media[];
  hashtags: string[];
  mentions: { handle: string; userId: string }[];
  createdAt: string;
  editedAt?: string;
  replyTo?: string;
  likes: number;
  reposts: number;
  replies: number;
  likedByMe: boolean;
  repostedByMe: boolean;
  /** Set when this timeline entry is someone's repost. */
  repostedBy?: Author;
}

export interface DeletedPost {
  id: string;
  deleted: true;
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface Thread {
  post: Post;
  ancestors: (Post | DeletedPost)[];
  replies: Page<Post>;
}

export interface ListedProfile {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  followers: number;
  following: number;
  /** Whether the signed-in user follows this person (false for oneself). */
  followedByMe: boolean;
  /** Whether this person follows the signed-in user (false for oneself). */
  followsMe: boolean;
}

export interface UploadTicket {
  mediaId: string;
  upload: { url: string; fields: Record<string, string> };
}

export interface UploadRequest {
  contentType: string;
  size: number;
  fileName?: string;
  alt?: string;
  durationMs?: number;
  /** Default post; chat files are served to room members only, by short-lived signed URLs. */
  purpose?: "post" | "avatar" | "chat";
}

const enc = encodeURIComponent;

function pageQuery(cursor?: string | null, limit?: number): string {
  const params = new URLSearchParams();
  if (cursor) params.set("cursor", cursor);
  if (limit) params.set("limit", String(limit));
  const query = params.toString();
  return query ? `?${query}` : "";
}

export type PageFetcher = (cursor: string | null, limit?: number) => Promise<Page<Post>>;

export const postsApi = {
  createUpload: (input: UploadRequest) => request<UploadTicket>("POST", "/media/uploads", input),
  getMedia: (id: string) => request<Media>("GET", `/media/${enc(id)}`),
  /** The owner edits an upload, before or after it is attached: alt text, a video's poster image. */
  updateMedia: (id: string, change: { alt?: string; posterMediaId?: string }) =>
    request<Media>("PATCH", `/media/${enc(id)}`, change),
  createPost: (input: { text: string; mediaIds?: string[]; replyTo?: string }) =>
    request<Post>("POST", "/posts", input),
  editPost: (id: string, text: string) => request<Post>("PATCH", `/posts/${enc(id)}`, { text }),
  deletePost: (id: string) => request<void>("DELETE", `/posts/${enc(id)}`),
  like: (id: string, on: boolean) => request<void>(on ? "POST" : "DELETE", `/posts/${enc(id)}/like`),
  repost: (id: string, on: boolean) => request<void>(on ? "POST" : "DELETE", `/posts/${enc(id)}/repost`),
  thread: (id: string) => request<Thread>("GET", `/posts/${enc(id)}`),
  replies: (id: string, cursor: string | null, limit?: number) =>
    request<Page<Post>>("GET", `/posts/${enc(id)}/replies${pageQuery(cursor, limit)}`),
  home: ((cursor, limit) =>
    request<Page<Post>>("GET", `/timelines/home${pageQuery(cursor, limit)}`)) as PageFetcher,
  public: ((cursor, limit) =>
    request<Page<Post>>("GET", `/timelines/public${pageQuery(cursor, limit)}`)) as PageFetcher,
  userPosts:
    (handle: string): PageFetcher =>
    (cursor, limit) =>
      request<Page<Post>>("GET", `/users/${enc(handle)}/posts${pageQuery(cursor, limit)}`),
  tagPosts:
    (tag: string): PageFetcher =>
    (cursor, limit) =>
      request<Page<Post>>("GET", `/tags/${enc(tag)}/posts${pageQuery(cursor, limit)}`),
  follow: (handle: string, on: boolean) =>
    request<void>(on ? "POST" : "DELETE", `/users/${enc(handle)}/follow`),
  followers: (handle: string, cursor: string | null) =>
    request<Page<ListedProfile>>("GET", `/users/${enc(handle)}/followers${pageQuery(cursor)}`),
  following: (handle: string, cursor: string | null) =>
    request<Page<ListedProfile>>("GET", `/users/${enc(handle)}/following${pageQuery(cursor)}`),
};

export function isDeleted(item: Post | DeletedPost): item is DeletedPost {
  return "deleted" in item && item.deleted === true;
}

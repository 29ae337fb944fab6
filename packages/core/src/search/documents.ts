// What the index stores per post and per person: only what searching needs; results are read back from the table.
import type { MediaFilter } from "./query";
import { detectLang, fold, foldKana } from "./text";

export interface PostDoc {
  id: string;
  authorId: string;
  /** The author's handle, lowercased (from:). */
  author: string;
  /** Folded text with whitespace collapsed: what words and phrases match. */
  body: string;
  tags: string[];
  /** Mentioned handles, lowercased (to:). */
  mentions: string[];
  /** Kinds of attachment, plus "media" when there is any (has:). */
  media: MediaFilter[];
  reply: boolean;
  lang: "ja" | "en" | "other";
  createdAt: number;
  /** Orders writes of one item: a late, stale stream record never overwrites a newer one. */
  version: number;
}

export interface UserDoc {
  id: string;
  handle: string;
  /** Display name folded, katakana as hiragana: a prefix typed in either kana matches. */
  name: string;
  /** The name from each word on ("Taro Yamada" → also "yamada"), for prefix matches inside names. */
  nameWords: string[];
  version: number;
}

export const body = (text: string) =>
  fold(text)
    .replace(/[\s\u3000]+/gu, " ")
    .trim();

export function postDoc(input: {
  postId: string;
  authorId: string;
  authorHandle: string;
  text: string;
  hashtags: string[];
  mentions: { handle: string }[];
  mediaKinds: ("image" | "video" | "audio")[];
  replyTo?: string;
  createdAt: number;
  editedAt?: number;
}): PostDoc {
  const kinds = [...new Set(input.mediaKinds)];
  return {
    id: input.postId,
    authorId: input.authorId,
    author: input.authorHandle.toLowerCase(),
    body: body(input.text),
    tags: input.hashtags,
    mentions: input.mentions.map((m) => m.handle.toLowerCase()),
    media: kinds.length ? ["media", ...kinds] : [],
    reply: Boolean(input.replyTo),
    lang: detectLang(input.text),
    createdAt: input.createdAt,
    version: Math.max(input.createdAt, input.editedAt ?? 0),
  };
}

export function userDoc(input: {
  userId: string;
  handle: string;
  displayName: string;
  updatedAt: number;
}): UserDoc {
  const name = foldKana(input.displayName)
    .replace(/[\s\u3000]+/gu, " ")
    .trim();
  const words = name.split(" ");
  return {
    id: input.userId,
    handle: input.handle.toLowerCase(),
    name,
    nameWords: words.map((_, i) => words.slice(i).join(" ")),
    version: input.updatedAt,
  };
}

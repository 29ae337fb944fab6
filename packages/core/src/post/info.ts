import * as z from "zod";
import * as Attachments from "./attachments";

// The public shape of posts: what every route and page of posts answers with.

export const PostId = z.string().regex(/^pst_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a post id.");

export const Author = z
  .object({ id: z.string(), handle: z.string(), displayName: z.string(), avatarUrl: z.string().nullable() })
  .meta({ id: "Author" });
export type Author = z.infer<typeof Author>;

export const Info = z
  .object({
    id: z.string(),
    author: Author,
    text: z.string(),
    media: z.array(Attachments.AttachmentInfo),
    hashtags: z.array(z.string()),
    mentions: z.array(z.object({ handle: z.string(), userId: z.string() })),
    createdAt: z.string(),
    editedAt: z.string().optional(),
    replyTo: z.string().optional(),
    likes: z.number().int(),
    reposts: z.number().int(),
    replies: z.number().int(),
    likedByMe: z.boolean(),
    repostedByMe: z.boolean(),
    /** Set when this timeline entry is someone's repost. */
    repostedBy: Author.optional(),
  })
  .meta({ id: "Post" });
export type Info = z.infer<typeof Info>;

export const Deleted = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "DeletedPost" });
export type Deleted = z.infer<typeof Deleted>;

export const Page = z
  .object({ items: z.array(Info), cursor: z.string().nullable() })
  .meta({ id: "PostPage" });
export type Page = z.infer<typeof Page>;

export const Thread = z
  .object({ post: Info, ancestors: z.array(z.union([Info, Deleted])), replies: Page })
  .meta({ id: "Thread" });
export type Thread = z.infer<typeof Thread>;

import { Media } from "@asyncsns/core/media";
import { Post } from "@asyncsns/core/post";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { createUpload, updateMedia } from "./routes/media";
import {
  createPost,
  deletePost,
  editPost,
  likePost,
  repostPost,
  unlikePost,
  unrepostPost,
} from "./routes/posts";

// Post Lambda: the posting commands (media uploads first; posts join it).
export const app = createApp()
  .openapi(createUpload, async (c) => c.json(await Media.createUpload(c.req.valid("json")), 201))
  .openapi(updateMedia, async (c) =>
    c.json(await Media.update({ ...c.req.valid("json"), mediaId: c.req.valid("param").id }), 200),
  )
  .openapi(createPost, async (c) => c.json(await Post.create(c.req.valid("json")), 201))
  .openapi(editPost, async (c) =>
    c.json(await Post.edit({ ...c.req.valid("json"), postId: c.req.valid("param").id }), 200),
  )
  .openapi(deletePost, async (c) => {
    await Post.remove({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(likePost, async (c) => {
    await Post.like({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(unlikePost, async (c) => {
    await Post.unlike({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(repostPost, async (c) => {
    await Post.repost({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  })
  .openapi(unrepostPost, async (c) => {
    await Post.unrepost({ postId: c.req.valid("param").id });
    return c.body(null, 204);
  });

export const handler = handle(app);

import { Chat } from "@asyncsns/core/chat/rooms";
import { Media } from "@asyncsns/core/media";
import { Search } from "@asyncsns/core/search";
import { Timeline } from "@asyncsns/core/timeline";
import { User } from "@asyncsns/core/user";
import { OpenAPIHono } from "@hono/zod-openapi";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { allRoutes } from "./routes";
import { followers, following } from "./routes/follows";
import { getMe } from "./routes/me";
import { getMedia } from "./routes/media";
import { getPost, getReplies } from "./routes/posts";
import { getRoom, listMessages, listRooms } from "./routes/rooms";
import { searchPosts, searchTags, searchUsers } from "./routes/search";
import { health, openapi } from "./routes/system";
import { homeTimeline, publicTimeline, tagPosts, userPosts } from "./routes/timelines";
import { getUser } from "./routes/users";

const docs = new OpenAPIHono();
docs.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: "A Cognito access token",
});
for (const route of allRoutes) docs.openAPIRegistry.registerPath(route);
const document = docs.getOpenAPI31Document({
  openapi: "3.1.0",
  info: { title: "asyncsns API", version: "1.0.0", description: "Commands and queries of asyncsns." },
});

// Query Lambda: every read.
export const app = createApp()
  .openapi(health, (c) => c.json({ ok: true as const }, 200))
  .openapi(openapi, (c) => c.json(document, 200))
  .openapi(getMe, async (c) => c.json(await User.me(), 200))
  .openapi(getUser, async (c) => c.json(await User.view(c.req.valid("param").handle), 200))
  .openapi(getMedia, async (c) => c.json(await Media.get(c.req.valid("param").id), 200))
  .openapi(getPost, async (c) => c.json(await Timeline.thread(c.req.valid("param").id), 200))
  .openapi(getReplies, async (c) =>
    c.json(await Timeline.repliesOf(c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(homeTimeline, async (c) => c.json(await Timeline.home(c.req.valid("query")), 200))
  .openapi(publicTimeline, async (c) => c.json(await Timeline.everyone(c.req.valid("query")), 200))
  .openapi(userPosts, async (c) =>
    c.json(await Timeline.profile(c.req.valid("param").handle, c.req.valid("query")), 200),
  )
  .openapi(tagPosts, async (c) =>
    c.json(await Timeline.tagged(c.req.valid("param").tag, c.req.valid("query")), 200),
  )
  .openapi(followers, async (c) =>
    c.json(await User.connections(c.req.valid("param").handle, "followers", c.req.valid("query")), 200),
  )
  .openapi(following, async (c) =>
    c.json(await User.connections(c.req.valid("param").handle, "following", c.req.valid("query")), 200),
  )
  .openapi(searchPosts, async (c) => c.json(await Search.posts(c.req.valid("query")), 200))
  .openapi(searchUsers, async (c) => c.json(await Search.users(c.req.valid("query")), 200))
  .openapi(searchTags, async (c) => c.json(await Search.tags(c.req.valid("query")), 200))
  .openapi(listRooms, async (c) => c.json(await Chat.rooms(), 200))
  .openapi(getRoom, async (c) => c.json(await Chat.room(c.req.valid("param").id), 200))
  .openapi(listMessages, async (c) =>
    c.json(await Chat.messages({ ...c.req.valid("query"), roomId: c.req.valid("param").id }), 200),
  );

export const handler = handle(app);

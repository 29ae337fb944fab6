import { Follow } from "@asyncsns/core/follow";
import { Profile } from "@asyncsns/core/profile";
import { User } from "@asyncsns/core/user";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { follow, unfollow } from "./routes/follows";
import { createMe, updateMe } from "./routes/me";

// Profile Lambda: the profile commands.
export const app = createApp()
  .openapi(createMe, async (c) => c.json(await User.create(c.req.valid("json")), 201))
  .openapi(updateMe, async (c) => c.json(await Profile.update(c.req.valid("json")), 200))
  .openapi(follow, async (c) => {
    await Follow.follow(c.req.valid("param"));
    return c.body(null, 204);
  })
  .openapi(unfollow, async (c) => {
    await Follow.unfollow(c.req.valid("param"));
    return c.body(null, 204);
  });

export const handler = handle(app);

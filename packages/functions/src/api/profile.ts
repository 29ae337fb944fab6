import { User } from "@asyncsns/core/user";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { createMe, updateMe } from "./routes/me";

// Profile Lambda: the profile commands.
export const app = createApp()
  .openapi(createMe, async (c) => c.json(await User.create(c.req.valid("json")), 201))
  .openapi(updateMe, async (c) => c.json(await User.update(c.req.valid("json")), 200));

export const handler = handle(app);

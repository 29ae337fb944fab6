import { Media } from "@asyncsns/core/media";
import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { createUpload } from "./routes/media";

// Post Lambda: the posting commands (media uploads first; posts join it).
export const app = createApp().openapi(createUpload, async (c) =>
  c.json(await Media.createUpload(c.req.valid("json")), 201),
);

export const handler = handle(app);

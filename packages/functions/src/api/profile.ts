import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import * as follows from "./routes/follows";
import * as me from "./routes/me";
import * as sessions from "./routes/sessions";

// Profile Lambda: the profile commands.
export const app = createApp()
  .route("/", me.commands)
  .route("/", follows.commands)
  .route("/", sessions.commands);

export const handler = handle(app);

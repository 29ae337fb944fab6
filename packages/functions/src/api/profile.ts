import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as follows from "./routes/follows";
import * as me from "./routes/me";
import * as safety from "./routes/safety";
import * as sessions from "./routes/sessions";

// Profile Lambda: the profile commands.
export const app = createApp()
  .route("/", me.commands)
  .route("/", follows.commands)
  .route("/", sessions.commands)
  .route("/", safety.commands);

// This stage's per-user limits (suites raise or lower them), read from the deploy like the fan-out threshold.
Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as media from "./routes/media";
import * as posts from "./routes/posts";

// Post Lambda: the posting commands.
export const app = createApp().route("/", media.commands).route("/", posts.commands);

// This stage's per-user limits (suites raise or lower them), read from the deploy like the fan-out threshold.
Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

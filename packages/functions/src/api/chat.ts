import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as chat from "./routes/chat";

// Chat Lambda: the room and message commands.
export const app = createApp().route("/", chat.commands);

// This stage's per-user limits (suites raise or lower them), read from the deploy like the fan-out threshold.
Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

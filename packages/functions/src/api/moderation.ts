import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as moderation from "./routes/moderation";

// Moderation Lambda: reports and the moderators' actions (their reads are the Query Lambda's); it may disable, enable
// and sign out users of the pool, and deletes reported content through its author's own delete paths.
export const app = createApp().route("/", moderation.reports).route("/", moderation.admin);

Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

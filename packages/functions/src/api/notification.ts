import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as notifications from "./routes/notification-commands";

// Notification Lambda: read marks, preferences and push subscriptions (reads go to the Query Lambda).
export const app = createApp().route("/", notifications.commands);

Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

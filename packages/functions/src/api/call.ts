import { Limit } from "@asyncsns/core/limit";
import { Resource } from "sst";
import { createApp, toLambda } from "./app";
import * as calls from "./routes/calls";

// Call Lambda: starting, answering and ending calls (reads go to the Query Lambda).
export const app = createApp().route("/", calls.commands);

Limit.configure(Resource.Limits.rules);

export const handler = toLambda(app);

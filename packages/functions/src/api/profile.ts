import { createApp, toLambda } from "./app";
import * as follows from "./routes/follows";
import * as me from "./routes/me";

// Profile Lambda: the profile commands.
export const app = createApp().route("/", me.commands).route("/", follows.commands);

export const handler = toLambda(app);

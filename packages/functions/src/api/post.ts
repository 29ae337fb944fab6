import { createApp, toLambda } from "./app";
import * as media from "./routes/media";
import * as posts from "./routes/posts";

// Post Lambda: the posting commands.
export const app = createApp().route("/", media.commands).route("/", posts.commands);

export const handler = toLambda(app);

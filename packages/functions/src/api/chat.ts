import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import * as chat from "./routes/chat";

// Chat Lambda: the room and message commands.
export const app = createApp().route("/", chat.commands);

export const handler = handle(app);

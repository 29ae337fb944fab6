import { createApp, toLambda } from "./app";
import * as chat from "./routes/chat";

// Chat Lambda: the room and message commands.
export const app = createApp().route("/", chat.commands);

export const handler = toLambda(app);

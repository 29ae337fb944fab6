import { createApp, toLambda } from "./app";
import * as accounts from "./routes/accounts";
import * as calls from "./routes/call-queries";
import * as chat from "./routes/chat-queries";
import * as follows from "./routes/follows";
import * as me from "./routes/me";
import * as media from "./routes/media";
import * as moderation from "./routes/moderation-queries";
import * as notifications from "./routes/notifications";
import * as posts from "./routes/posts";
import * as publicPages from "./routes/public";
import * as safety from "./routes/safety-queries";
import * as search from "./routes/search";
import * as system from "./routes/system";
import * as timelines from "./routes/timelines";
import * as users from "./routes/users";

// Query Lambda: every read.
export const app = createApp()
  .route("/", system.queries)
  .route("/", me.queries)
  .route("/", users.queries)
  .route("/", media.queries)
  .route("/", posts.queries)
  .route("/", timelines.queries)
  .route("/", follows.queries)
  .route("/", search.queries)
  .route("/", chat.queries)
  .route("/", notifications.queries)
  .route("/", calls.queries)
  .route("/", accounts.queries)
  .route("/", safety.queries)
  .route("/", moderation.queries)
  .route("/", publicPages.queries);

export const handler = toLambda(app);

import { createApp, toLambda } from "./app";
import * as accounts from "./routes/account-commands";

// Accounts Lambda: deletion and export requests; it may disable and sign out the caller's Cognito user.
export const app = createApp().route("/", accounts.commands);

export const handler = toLambda(app);

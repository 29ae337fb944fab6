// Starts cognito-local with two additions the local cloud needs; run as `node cognito-local-boot.cjs <start.js>`.
const { createRequire } = require("node:module");

const startJs = process.argv[2];
const cognitoRequire = createRequire(startJs);
const jwt = cognitoRequire("jsonwebtoken");
const { Targets } = cognitoRequire("../targets/targets");
const { NotAuthorizedError } = cognitoRequire("../errors");
const { ConsoleMessageSender } = cognitoRequire("../services/messageDelivery/consoleMessageSender");

// cognito-local 5.3.0 lacks GlobalSignOut: revoke the user's refresh tokens, as Cognito does.
Targets.GlobalSignOut =
  ({ cognito }) =>
  async (ctx, req) => {
    const token = jwt.decode(req.AccessToken);
    if (!token || typeof token !== "object" || !token.client_id) throw new NotAuthorizedError();
    const userPool = await cognito.getUserPoolForClientId(ctx, token.client_id);
    const user = await userPool.getUserByUsername(ctx, token.sub);
    if (!user) throw new NotAuthorizedError();
    await userPool.saveUser(ctx, { ...user, RefreshTokens: [] });
    return {};
  };

// Hand each "emailed" code to the parent over IPC instead of making it scrape the boxed log output.
const sendToConsole = ConsoleMessageSender.prototype.sendToConsole;
ConsoleMessageSender.prototype.sendToConsole = function (ctx, user, destination, message) {
  const email = (user.Attributes ?? []).find((a) => a.Name === "email")?.Value;
  if (process.send && message.__code) {
    process.send({
      type: "confirmation-code",
      username: email ?? user.Username,
      destination,
      code: message.__code,
    });
  }
  return sendToConsole.call(this, ctx, user, destination, message);
};

// Die with the parent: the IPC channel closes when it exits or crashes.
process.on("disconnect", () => process.exit(0));

require(startJs);

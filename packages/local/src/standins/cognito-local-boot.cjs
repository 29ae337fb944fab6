// Starts cognito-local with two additions the local cloud needs; run as `node cognito-local-boot.cjs <start.js>`.
const { createRequire } = require("node:module");

const startJs = process.argv[2];
const cognitoRequire = createRequire(startJs);
const jwt = cognitoRequire("jsonwebtoken");
const { Targets } = cognitoRequire("../targets/targets");
const { InvalidParameterError, NotAuthorizedError, UserNotFoundError } = cognitoRequire("../errors");
const { selectAppropriateDeliveryMethod } = cognitoRequire("../services/messageDelivery/deliveryMethod");
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

// cognito-local 5.3.0 lacks ResendConfirmationCode: send a fresh code the way SignUp does.
Targets.ResendConfirmationCode =
  ({ cognito, clock, messages, otp }) =>
  async (ctx, req) => {
    const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new UserNotFoundError("Username/client id combination not found.");
    if (user.UserStatus === "CONFIRMED") throw new InvalidParameterError("User is already confirmed.");
    const email = (user.Attributes ?? []).find((a) => a.Name === "email")?.Value;
    const deliveryDetails =
      selectAppropriateDeliveryMethod(userPool.options.AutoVerifiedAttributes ?? ["email"], user) ??
      (email ? { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: email } : undefined);
    if (!deliveryDetails)
      throw new InvalidParameterError("User has no email or phone number to send a code to.");
    const code = otp();
    await messages.deliver(
      ctx,
      "ResendCode",
      req.ClientId,
      userPool.options.Id,
      user,
      code,
      req.ClientMetadata,
      deliveryDetails,
    );
    await userPool.saveUser(ctx, { ...user, UserLastModifiedDate: clock.get(), ConfirmationCode: code });
    return { CodeDeliveryDetails: deliveryDetails };
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

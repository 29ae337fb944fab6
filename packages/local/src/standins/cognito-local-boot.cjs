// Starts cognito-local with the additions the local cloud needs; run as `node cognito-local-boot.cjs <start.js>`.
const { createRequire } = require("node:module");

const startJs = process.argv[2];
const cognitoRequire = createRequire(startJs);
const jwt = cognitoRequire("jsonwebtoken");
const { Targets } = cognitoRequire("../targets/targets");
const { InvalidParameterError, NotAuthorizedError, UserNotFoundError } = cognitoRequire("../errors");
const { selectAppropriateDeliveryMethod } = cognitoRequire("../services/messageDelivery/deliveryMethod");
const { ConsoleMessageSender } = cognitoRequire("../services/messageDelivery/consoleMessageSender");

// cognito-local 5.3.0 lacks GlobalSignOut: revoke the user's refresh tokens, as Cognito does. Access tokens already
// issued keep passing a JWT authorizer until they expire (it checks signature and claims, not revocation), as in AWS:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html
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

// cognito-local 5.3.0 lacks AdminUserGlobalSignOut: the same revocation, by pool and username (IAM-authorised in AWS).
Targets.AdminUserGlobalSignOut =
  ({ cognito }) =>
  async (ctx, req) => {
    const userPool = await cognito.getUserPool(ctx, req.UserPoolId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new UserNotFoundError("User does not exist.");
    await userPool.saveUser(ctx, { ...user, RefreshTokens: [] });
    return {};
  };

// cognito-local 5.3.0 signs a disabled user in and refreshes their tokens; Cognito answers NotAuthorizedException
// "User is disabled." to both (AdminDisableUser: "Users can't sign in, and their refresh tokens are revoked",
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html).
const initiateAuth = Targets.InitiateAuth;
Targets.InitiateAuth = (services) => {
  const inner = initiateAuth(services);
  return async (ctx, req) => {
    const params = req.AuthParameters ?? {};
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = params.USERNAME
      ? await userPool.getUserByUsername(ctx, params.USERNAME)
      : params.REFRESH_TOKEN
        ? await userPool.getUserByRefreshToken(ctx, params.REFRESH_TOKEN)
        : null;
    if (user && user.Enabled === false) throw new NotAuthorizedError("User is disabled.");
    const signedIn = params.REFRESH_TOKEN ? jwt.decode(params.REFRESH_TOKEN)?.iat : undefined;
    if (typeof signedIn === "number") refreshing.set(ctx, signedIn);
    return inner(ctx, req);
  };
};

// cognito-local 5.3.0 stamps a refreshed token's auth_time with the time of the refresh; Cognito keeps the time the
// user last signed in (what "sign in again before deleting your account" relies on). The refresh token cognito-local
// issues is a JWT whose iat is that sign-in: the refreshed tokens are re-signed with it. "Understanding the access
// token", https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
const { JwtTokenGenerator } = cognitoRequire("../services/tokenGenerator");
const privateKey = cognitoRequire("../keys/cognitoLocal.private.json");
/** The refresh token's sign-in time per request context, handed from InitiateAuth to the generator. */
const refreshing = new WeakMap();
const generate = JwtTokenGenerator.prototype.generate;
JwtTokenGenerator.prototype.generate = async function (ctx, user, groups, client, metadata, source) {
  const tokens = await generate.call(this, ctx, user, groups, client, metadata, source);
  const authTime = refreshing.get(ctx);
  if (source !== "RefreshTokens" || authTime === undefined) return tokens;
  const resign = (token) =>
    jwt.sign({ ...jwt.decode(token), auth_time: authTime }, privateKey.pem, {
      algorithm: "RS256",
      keyid: "CognitoLocal",
    });
  return { ...tokens, AccessToken: resign(tokens.AccessToken), IdToken: resign(tokens.IdToken) };
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

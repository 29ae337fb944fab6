/** Sign-up mail comes from this domain; it must be verified in SES (DKIM records) before mail flows. */
export const MAIL_DOMAIN = process.env.ASYNCSNS_MAIL_DOMAIN ?? "asyncsns.example";

/**
 * Cognito's own sender allows 50 emails a day per account: sign-ups would stall. "Email settings for Amazon
 * Cognito user pools", https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
 */
export const mailIdentity = new aws.sesv2.EmailIdentity("MailIdentity", { emailIdentity: MAIL_DOMAIN });

export const userPool = new sst.aws.CognitoUserPool("UserPool", {
  usernames: ["email"],
  transform: {
    userPool: (pool) => {
      pool.passwordPolicy = {
        minimumLength: 8,
        requireLowercase: true,
        requireNumbers: true,
        requireUppercase: false,
        requireSymbols: false,
        temporaryPasswordValidityDays: 7,
      };
      pool.deletionProtection = $app.stage === "production" ? "ACTIVE" : "INACTIVE";
      pool.emailConfiguration = {
        emailSendingAccount: "DEVELOPER",
        sourceArn: mailIdentity.arn,
        fromEmailAddress: `asyncsns <no-reply@${MAIL_DOMAIN}>`,
      };
      // Threat protection: blocks sign-ins that look like credential stuffing. "Advanced security with
      // threat protection", https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
      pool.userPoolAddOns = { advancedSecurityMode: "ENFORCED" };
    },
  },
});

// A public client for the custom sign-in UI: no secret, password auth and refresh only.
export const webClient = userPool.addClient("WebClient", {
  transform: {
    client: (client) => {
      client.explicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
      client.generateSecret = false;
      client.preventUserExistenceErrors = "ENABLED";
      client.accessTokenValidity = 60;
      client.idTokenValidity = 60;
      client.refreshTokenValidity = 30;
      client.tokenValidityUnits = { accessToken: "minutes", idToken: "minutes", refreshToken: "days" };
    },
  },
});

export const issuer = $interpolate`https://cognito-idp.${aws.getRegionOutput().name}.amazonaws.com/${userPool.id}`;

// Ids only for code that verifies tokens itself: linking the pool would grant cognito-idp:* on it.
export const authConfig = new sst.Linkable("Auth", {
  properties: { userPoolId: userPool.id, clientId: webClient.id },
});

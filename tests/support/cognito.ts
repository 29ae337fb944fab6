// Needs no test runner, so the integration suites and the benchmarks share it.
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";

export interface CognitoUrls {
  endpoint: string;
  region: string;
  clientId: string;
}

export const PASSWORD = "Passw0rd!x";

export function cognitoClient(urls: Pick<CognitoUrls, "endpoint" | "region">) {
  return new CognitoIdentityProviderClient({
    endpoint: urls.endpoint,
    region: urls.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Signs `email` up, confirms it and signs in: its tokens and the access token's claims. */
export async function signUpAndSignIn(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
) {
  const ClientId = clientId;
  await cognito.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: "123456" }));
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  const accessToken = auth.AuthenticationResult?.AccessToken;
  const refreshToken = auth.AuthenticationResult?.RefreshToken;
  const idToken = auth.AuthenticationResult?.IdToken;
  if (!accessToken || !refreshToken || !idToken) throw new Error("cognito-local returned no tokens");
  const claims = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString()) as Record<
    string,
    unknown
  >;
  return { accessToken, refreshToken, idToken, claims };
}

import { randomUUID } from "node:crypto";
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

const PASSWORD = "Passw0rd!x";

export function cognitoClient(urls: CognitoUrls) {
  return new CognitoIdentityProviderClient({
    endpoint: urls.endpoint,
    region: urls.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** A real user on cognito-local (the local cloud runs with the fixed code 123456): signed up, confirmed, signed in. */
export async function cognitoUser(
  urls: CognitoUrls,
  options: { email?: string; client?: CognitoIdentityProviderClient } = {},
) {
  const cognito = options.client ?? cognitoClient(urls);
  const email = options.email ?? `bench-${randomUUID()}@example.com`;
  const ClientId = urls.clientId;
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
      AuthParameters: { USERNAME: email, PASSWORD: PASSWORD },
    }),
  );
  const token = auth.AuthenticationResult!.AccessToken!;
  const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;
  return { token, claims, sub: String(claims.sub) };
}

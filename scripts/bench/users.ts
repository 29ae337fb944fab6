import { randomUUID } from "node:crypto";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { type CognitoUrls, cognitoClient, signUpAndSignIn } from "../../tests/support/cognito";

export { type CognitoUrls, cognitoClient } from "../../tests/support/cognito";

/** A real user on cognito-local: its access token, claims and sub (the bench's API Gateway event needs both). */
export async function cognitoUser(
  urls: CognitoUrls,
  options: { email?: string; client?: CognitoIdentityProviderClient } = {},
) {
  const email = options.email ?? `bench-${randomUUID()}@example.com`;
  const { accessToken: token, claims } = await signUpAndSignIn(
    options.client ?? cognitoClient(urls),
    urls.clientId,
    email,
  );
  return { token, claims, sub: String(claims.sub) };
}

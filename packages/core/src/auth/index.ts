export * as Auth from "./index";

import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { Resource } from "sst";
import { VisibleError } from "../error";

// The Cognito endpoint is an endpoint like any other AWS service's: the SDK's own override variable moves it.
const endpoint =
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER?.replace(/\/$/, "") ??
  `https://cognito-idp.${process.env.AWS_REGION}.amazonaws.com`;

export const issuer = () => `${endpoint}/${Resource.Auth.userPoolId}`;

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

export interface AccessClaims {
  sub: string;
  username?: string;
  clientId: string;
  exp: number;
  iat: number;
}

/** Verifies a Cognito access token as API Gateway's JWT authorizer does: signature, issuer, client, expiry. */
export async function verifyAccessToken(token: string): Promise<AccessClaims> {
  jwks ??= createRemoteJWKSet(new URL(`${issuer()}/.well-known/jwks.json`));
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: issuer(), algorithms: ["RS256"] });
    // The audience as API Gateway's JWT authorizer reads it (aud, else client_id), so each check stands alone.
    const audience = payload.aud ?? payload.client_id;
    if (![audience].flat().includes(Resource.Auth.clientId))
      throw new Error("token was issued to another client");
    if (payload.token_use !== "access") throw new Error("not an access token");
    if (!payload.sub || !payload.exp) throw new Error("token lacks sub or exp");
    return {
      sub: payload.sub,
      username: typeof payload.username === "string" ? payload.username : undefined,
      clientId: Resource.Auth.clientId,
      exp: payload.exp,
      iat: payload.iat ?? 0,
    };
  } catch (error) {
    const reason =
      error instanceof errors.JWTExpired ? "The access token has expired." : "Invalid access token.";
    throw new VisibleError("unauthorized", "auth.invalid_token", reason);
  }
}

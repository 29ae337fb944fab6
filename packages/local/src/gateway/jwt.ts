// The HTTP API JWT authorizer: signature against the pool's JWKS, issuer, audience/client_id, expiry.
// "Controlling access to HTTP APIs with JWT authorizers":
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

export interface JwtAuthorizerConfig {
  issuer: string;
  audiences: string[];
}

export class JwtRejected extends Error {}

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(issuer: string) {
  const url = `${issuer}/.well-known/jwks.json`;
  let jwks = jwksByUrl.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), { cooldownDuration: 1000 });
    jwksByUrl.set(url, jwks);
  }
  return jwks;
}

/** API Gateway hands claims to Lambda as strings; arrays become "[a b]". */
function stringifyClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (Array.isArray(v)) out[k] = `[${v.join(" ")}]`;
    else if (v !== null && typeof v === "object") out[k] = JSON.stringify(v);
    else out[k] = String(v);
  }
  return out;
}

export async function verifyJwt(
  authorization: string | undefined,
  config: JwtAuthorizerConfig,
  requiredScopes?: string[],
): Promise<{ jwt: { claims: Record<string, string>; scopes: string[] | null } }> {
  if (!authorization) throw new JwtRejected("missing the Authorization header");
  const token = authorization.replace(/^Bearer\s+/i, "").trim();
  if (!token) throw new JwtRejected("empty bearer token");
  let payload: JWTPayload;
  try {
    // API Gateway supports only RSA-based algorithms; an unsecured (alg none) token has no key to match.
    ({ payload } = await jwtVerify(token, jwksFor(config.issuer), {
      issuer: config.issuer,
      algorithms: ["RS256", "RS384", "RS512"],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new JwtRejected("the token has expired");
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === "iss") {
      throw new JwtRejected("the token has an invalid issuer");
    }
    if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
      throw new JwtRejected("the token signature is invalid");
    }
    throw new JwtRejected(`invalid token: ${(err as Error).message}`);
  }
  if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000)
    throw new JwtRejected("the token was issued in the future");
  // "API Gateway validates client_id only if aud is not present": id tokens carry aud, access tokens client_id.
  const audiences =
    payload.aud !== undefined
      ? [payload.aud].flat()
      : typeof payload.client_id === "string"
        ? [payload.client_id]
        : [];
  if (!audiences.some((a) => config.audiences.includes(a))) {
    throw new JwtRejected("the token does not have a valid audience");
  }
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : null;
  if (requiredScopes?.length && !requiredScopes.some((s) => scopes?.includes(s))) {
    throw Object.assign(new JwtRejected("the token does not have the required scope"), { forbidden: true });
  }
  return { jwt: { claims: stringifyClaims(payload), scopes } };
}

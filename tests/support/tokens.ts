// Bad tokens for the auth suites: each differs from a good one in exactly one way an authorizer must notice.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** cognito-local signs every pool's tokens with the key shipped in its package: sign as the pool itself. */
export async function signAsPool(token: string, changes: Record<string, unknown>): Promise<string> {
  const keyFile = join(
    import.meta.dirname,
    "../../node_modules/cognito-local/lib/keys/cognitoLocal.private.json",
  );
  const { jwk } = JSON.parse(await readFile(keyFile, "utf8")) as { jwk: JWK };
  const key = await importJWK(jwk, "RS256");
  const { kid } = decodeProtectedHeader(token);
  return new SignJWT({ ...decodeJwt(token), ...changes }).setProtectedHeader({ alg: "RS256", kid }).sign(key);
}

/** The same claims and kid, signed by a key the pool's JWKS does not hold. */
export async function forged(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256");
  const { kid } = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
}

/** An unsecured JWT (`alg: none`, empty signature) with the token's claims. */
export function algNone(token: string): string {
  const { kid } = decodeProtectedHeader(token);
  return `${b64({ alg: "none", typ: "JWT", kid })}.${b64(decodeJwt(token))}.`;
}

/** The payload edited (exp an hour later than signed) under the original signature. */
export function tamperedExp(token: string): string {
  const [header, , signature] = token.split(".");
  const claims = decodeJwt(token);
  // Relative to the signed exp, so the edit never reproduces the original payload.
  return `${header}.${b64({ ...claims, exp: (claims.exp ?? 0) + 3600 })}.${signature}`;
}

/** Signed by the pool's own key, but an hour past its expiry. */
export function expired(token: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signAsPool(token, { iat: now - 7200, auth_time: now - 7200, exp: now - 3600 });
}

import { afterEach, describe, expect, it, vi } from "vitest";
import { CognitoError, decodeJwt, refresh, signUp } from "../src/lib/cognito";

const config = { cognitoEndpoint: "http://cognito.test", userPoolClientId: "client" };

afterEach(() => vi.unstubAllGlobals());

function stubFetch(status: number, body: unknown) {
  const fetch = vi.fn(
    async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status }),
  );
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

describe("cognito client", () => {
  it("posts x-amz-json with the action in X-Amz-Target", async () => {
    const fetch = stubFetch(200, { UserConfirmed: false });
    await signUp(config, "a@b.c", "secret123");
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("http://cognito.test/");
    expect(init.headers).toMatchObject({
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp",
    });
    expect(JSON.parse(String(init.body))).toEqual({
      ClientId: "client",
      Username: "a@b.c",
      Password: "secret123",
      UserAttributes: [{ Name: "email", Value: "a@b.c" }],
    });
  });

  it("names errors by exception, with or without a namespace prefix", async () => {
    stubFetch(400, { __type: "com.amazonaws.cognito#UsernameExistsException", message: "exists" });
    await expect(signUp(config, "a@b.c", "secret123")).rejects.toMatchObject({
      code: "UsernameExistsException",
    });
    stubFetch(400, { __type: "NotAuthorizedException", message: "Invalid Refresh Token" });
    await expect(refresh(config, "rt")).rejects.toBeInstanceOf(CognitoError);
  });

  it("keeps the refresh token when a refresh does not return a new one", async () => {
    stubFetch(200, { AuthenticationResult: { AccessToken: "a", IdToken: "i", ExpiresIn: 3600 } });
    const tokens = await refresh(config, "keep-me");
    expect(tokens.refreshToken).toBe("keep-me");
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it("reports an unreachable endpoint as a network error", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await expect(signUp(config, "a@b.c", "secret123")).rejects.toMatchObject({ code: "NetworkError" });
  });

  it("decodes base64url JWT claims, including non-ASCII", () => {
    const payload = Buffer.from(JSON.stringify({ sub: "u1", email: "ä@b.c" })).toString("base64url");
    expect(decodeJwt(`h.${payload}.s`)).toEqual({ sub: "u1", email: "ä@b.c" });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REFRESH_TOKEN_STORAGE_KEY, session } from "../src/lib/session";

const config = {
  region: "us-east-1",
  userPoolId: "unit",
  userPoolClientId: "unit",
  cognitoEndpoint: "http://cognito.test",
  apiUrl: "http://api.test/api",
  wsUrl: "ws://api.test/ws",
  mediaUrl: "http://api.test/media",
};

// The browser's localStorage, kept in a Map: the session reads and writes the refresh token there.
function browserStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

function cognitoAnswers(status: number, type: string) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify({ __type: type, message: type }), { status })),
  );
}

beforeEach(() => {
  vi.stubGlobal("window", { localStorage: browserStorage() });
  window.localStorage.setItem(REFRESH_TOKEN_STORAGE_KEY, "stored-refresh-token");
});
afterEach(() => vi.unstubAllGlobals());

describe("restoring a session on page load", () => {
  it("keeps the session when Cognito stumbles (throttled, 5xx): the page offers a retry, not a sign-out", async () => {
    cognitoAnswers(500, "InternalErrorException");
    await expect(session.restore(config)).rejects.toMatchObject({ code: "InternalErrorException" });
    cognitoAnswers(400, "TooManyRequestsException");
    await expect(session.restore(config)).rejects.toMatchObject({ code: "TooManyRequestsException" });
    expect(window.localStorage.getItem(REFRESH_TOKEN_STORAGE_KEY)).toBe("stored-refresh-token");
  });

  it("signs out, and says the session expired, when Cognito refuses the refresh token", async () => {
    cognitoAnswers(400, "NotAuthorizedException");
    await session.restore(config);
    expect(window.localStorage.getItem(REFRESH_TOKEN_STORAGE_KEY)).toBeNull();
    expect(session.state).toMatchObject({ signedIn: false, expired: true });
  });
});

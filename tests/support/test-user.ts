import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { cognitoClient, PASSWORD, signUpAndSignIn } from "./cognito";

export interface TestUser {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** The ID token of the same sign-in: the API refuses it as a bearer token. */
  idToken: string;
  sub: string;
  /** fetch against the local gateway's /api with this user's bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

/** A real Cognito user on cognito-local: signed up, confirmed with the fixed code, signed in. */
export async function createTestUser(): Promise<TestUser> {
  const cloud = inject("localCloud");
  const email = `user-${randomUUID()}@example.com`;
  const { accessToken, refreshToken, idToken, claims } = await signUpAndSignIn(
    cognitoClient(cloud.cognito),
    cloud.cognito.clientId,
    email,
  );
  return {
    email,
    password: PASSWORD,
    accessToken,
    refreshToken,
    idToken,
    sub: String(claims.sub),
    api: (path, init = {}) =>
      fetch(`${cloud.apiUrl}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${accessToken}`,
          ...(init.body ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
      }),
  };
}

let counter = 0;
/** A handle no other test run uses (handles are 3–20 chars). */
export function uniqueHandle(prefix = "u"): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`.slice(0, 20);
}

export type TestMember = TestUser & { handle: string };

/** A signed-up user with a profile (POST /api/me): a unique handle from `prefix`, and a display name. */
export async function createTestMember(prefix = "m", displayName = prefix): Promise<TestMember> {
  const user = await createTestUser();
  const handle = uniqueHandle(prefix);
  const res = await user.api("/me", { method: "POST", body: JSON.stringify({ handle, displayName }) });
  if (res.status !== 201) throw new Error(`profile for @${handle}: ${res.status} ${await res.text()}`);
  return { ...user, handle };
}

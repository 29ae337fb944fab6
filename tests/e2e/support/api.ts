// Seeding through the HTTP API: accounts made straight at Cognito and /api/me, browsers signed in by refresh token.
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  expect,
  type Page,
} from "@playwright/test";
import { CODE, newUser, type TestUser } from "./users";

export interface Account extends TestUser {
  id: string;
  accessToken: string;
  refreshToken: string;
}

/** The subset of a post the specs read back. */
export interface SeededPost {
  id: string;
  text: string;
}

interface CognitoConfig {
  cognitoEndpoint: string;
  userPoolClientId: string;
}

async function cognito<T>(request: APIRequestContext, action: string, body: object): Promise<T> {
  const config = (await (await request.get("/config.json")).json()) as CognitoConfig;
  const res = await request.post(config.cognitoEndpoint, {
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${action}`,
    },
    data: { ClientId: config.userPoolClientId, ...body },
  });
  expect(res.ok(), `${action}: ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

/** Tokens straight from Cognito (USER_PASSWORD_AUTH), as the web app's sign-in gets them. */
export async function signInTokens(
  request: APIRequestContext,
  user: Pick<TestUser, "email" | "password">,
): Promise<{ AccessToken: string; RefreshToken: string }> {
  const { AuthenticationResult } = await cognito<{
    AuthenticationResult: { AccessToken: string; RefreshToken: string };
  }>(request, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
  });
  return AuthenticationResult;
}

/** Calls the API as the account and returns the answer's JSON (undefined for 204), failing on any error. */
export async function callApi<T>(
  request: APIRequestContext,
  account: Account,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  data?: object,
): Promise<T> {
  const res = await request.fetch(`/api${path}`, {
    method,
    headers: { authorization: `Bearer ${account.accessToken}` },
    data,
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

/** A confirmed account with a profile, made without a browser. */
export async function createAccount(request: APIRequestContext, tag: string): Promise<Account> {
  const user = newUser(tag);
  await cognito(request, "SignUp", {
    Username: user.email,
    Password: user.password,
    UserAttributes: [{ Name: "email", Value: user.email }],
  });
  await cognito(request, "ConfirmSignUp", { Username: user.email, ConfirmationCode: CODE });
  const tokens = await signInTokens(request, user);
  const account = { ...user, id: "", accessToken: tokens.AccessToken, refreshToken: tokens.RefreshToken };
  const profile = await callApi<{ id: string }>(request, account, "POST", "/me", {
    handle: user.handle,
    displayName: user.displayName,
  });
  return { ...account, id: profile.id };
}

export const createPost = (
  request: APIRequestContext,
  account: Account,
  text: string,
  replyTo?: string,
): Promise<SeededPost> => callApi(request, account, "POST", "/posts", replyTo ? { text, replyTo } : { text });

export const follow = (request: APIRequestContext, account: Account, handle: string): Promise<void> =>
  callApi(request, account, "POST", `/users/${handle}/follow`);

/** Every pair follows each other, so a room between them is no message request. */
export async function befriend(request: APIRequestContext, ...accounts: Account[]): Promise<void> {
  await Promise.all(
    accounts.flatMap((a) => accounts.filter((b) => b !== a).map((b) => follow(request, a, b.handle))),
  );
}

/** Signs in through the stored refresh token, so a spec skips the sign-in form. */
export async function openAs(
  browser: Browser,
  baseURL: string,
  account: Account,
  options: { lang?: "en" | "ja"; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const localStorage = [
    { name: "asyncsns.refreshToken", value: account.refreshToken },
    { name: "asyncsns.email", value: account.email },
    { name: "asyncsns.lang", value: options.lang ?? "en" },
  ];
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [{ origin: new URL(baseURL).origin, localStorage }] },
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  return { context, page: await context.newPage() };
}

/** Does what the UI answers at once (optimistically), then waits until the API has answered it too. */
export async function confirmed(page: Page, method: string, path: RegExp, action: () => Promise<void>) {
  const answer = page.waitForResponse(
    (res) => res.request().method() === method && path.test(new URL(res.url()).pathname),
  );
  await action();
  expect((await answer).ok()).toBe(true);
}

// A tiny Cognito user pool client over fetch: just the calls the custom sign-up/sign-in UI needs.
import type { AppConfig } from "./config";

export class CognitoError extends Error {
  constructor(
    /** The exception name, e.g. `UsernameExistsException`, or `NetworkError`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
}

type CognitoConfig = Pick<AppConfig, "cognitoEndpoint" | "userPoolClientId">;

async function call<T>(config: CognitoConfig, action: string, body: Record<string, unknown>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${config.cognitoEndpoint}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new CognitoError("NetworkError", err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  let data: Record<string, unknown> = {};
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Non-JSON answer (e.g. a proxy error page): reported below by status.
  }
  if (!res.ok) {
    const rawType = String(data.__type ?? data.code ?? res.headers.get("x-amzn-errortype") ?? "UnknownError");
    const code = rawType.split("#").pop()!.split(":")[0]!;
    const message = String(data.message ?? data.Message ?? `HTTP ${res.status}`);
    throw new CognitoError(code, message);
  }
  return data as T;
}

function toTokens(result: AuthenticationResult, refreshToken?: string): Tokens {
  const refresh = result.RefreshToken ?? refreshToken;
  if (!refresh) throw new CognitoError("UnknownError", "No refresh token in the answer");
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: refresh,
    expiresAt: Date.now() + result.ExpiresIn * 1000,
  };
}

export async function signUp(config: CognitoConfig, email: string, password: string): Promise<void> {
  await call(config, "SignUp", {
    ClientId: config.userPoolClientId,
    Username: email,
    Password: password,
    UserAttributes: [{ Name: "email", Value: email }],
  });
}

export async function confirmSignUp(config: CognitoConfig, email: string, code: string): Promise<void> {
  await call(config, "ConfirmSignUp", {
    ClientId: config.userPoolClientId,
    Username: email,
    ConfirmationCode: code,
  });
}

export async function resendConfirmationCode(config: CognitoConfig, email: string): Promise<void> {
  await call(config, "ResendConfirmationCode", { ClientId: config.userPoolClientId, Username: email });
}

export async function signIn(config: CognitoConfig, email: string, password: string): Promise<Tokens> {
  const res = await call<{ AuthenticationResult?: AuthenticationResult; ChallengeName?: string }>(
    config,
    "InitiateAuth",
    {
      ClientId: config.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    },
  );
  if (!res.AuthenticationResult) {
    throw new CognitoError("UnsupportedChallenge", `Unsupported challenge: ${res.ChallengeName ?? "none"}`);
  }
  return toTokens(res.AuthenticationResult);
}

export async function refresh(config: CognitoConfig, refreshToken: string): Promise<Tokens> {
  const res = await call<{ AuthenticationResult?: AuthenticationResult }>(config, "InitiateAuth", {
    ClientId: config.userPoolClientId,
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  if (!res.AuthenticationResult) throw new CognitoError("NotAuthorizedException", "Refresh failed");
  return toTokens(res.AuthenticationResult, refreshToken);
}

export async function globalSignOut(config: CognitoConfig, accessToken: string): Promise<void> {
  await call(config, "GlobalSignOut", { AccessToken: accessToken });
}

/** Emails a code to reset a forgotten password (Cognito answers alike whether or not the account exists). */
export async function forgotPassword(config: CognitoConfig, email: string): Promise<void> {
  await call(config, "ForgotPassword", { ClientId: config.userPoolClientId, Username: email });
}

export async function confirmForgotPassword(
  config: CognitoConfig,
  email: string,
  code: string,
  password: string,
): Promise<void> {
  await call(config, "ConfirmForgotPassword", {
    ClientId: config.userPoolClientId,
    Username: email,
    ConfirmationCode: code,
    Password: password,
  });
}

export async function changePassword(
  config: CognitoConfig,
  accessToken: string,
  previous: string,
  proposed: string,
): Promise<void> {
  await call(config, "ChangePassword", {
    AccessToken: accessToken,
    PreviousPassword: previous,
    ProposedPassword: proposed,
  });
}

/** Asks to change the email: Cognito sends a code to the new address, confirmed with `verifyEmail`. */
export async function updateEmail(config: CognitoConfig, accessToken: string, email: string): Promise<void> {
  await call(config, "UpdateUserAttributes", {
    AccessToken: accessToken,
    UserAttributes: [{ Name: "email", Value: email }],
  });
}

export async function verifyEmail(config: CognitoConfig, accessToken: string, code: string): Promise<void> {
  await call(config, "VerifyUserAttribute", { AccessToken: accessToken, AttributeName: "email", Code: code });
}

/** Reads a JWT's claims without verifying it (the API verifies; the UI only needs expiry and email). */
export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

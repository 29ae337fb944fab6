// Holds the signed-in user's tokens: the refresh token survives reloads (localStorage), the access token lives in memory.
import * as Cognito from "./cognito";
import type { AppConfig } from "./config";

const REFRESH_KEY = "asyncsns.refreshToken";
const EMAIL_KEY = "asyncsns.email";
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

export interface SessionState {
  signedIn: boolean;
  email: string | null;
  userId: string | null;
  /** True when the session ended because the refresh token was refused, not by signing out. */
  expired: boolean;
  /** In the Cognito group `moderators` (the access token's `cognito:groups`): the API checks it again. */
  moderator: boolean;
}

type Listener = (state: SessionState) => void;

/** Cognito refused the refresh token itself (revoked, expired, user gone): only then is the session over. */
function refused(err: unknown): boolean {
  return (
    err instanceof Cognito.CognitoError &&
    (err.code === "NotAuthorizedException" || err.code === "UserNotFoundException")
  );
}

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

class Session {
  private config: AppConfig | null = null;
  private tokens: Cognito.Tokens | null = null;
  private email: string | null = null;
  private expired = false;
  private refreshing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<Listener>();

  get state(): SessionState {
    const claims = this.tokens ? Cognito.decodeJwt(this.tokens.accessToken) : {};
    return {
      signedIn: this.tokens !== null,
      email: this.email,
      userId: typeof claims.sub === "string" ? claims.sub : null,
      expired: this.expired,
      moderator: Array.isArray(claims["cognito:groups"]) && claims["cognito:groups"].includes("moderators"),
    };
  }

  get appConfig(): AppConfig {
    if (!this.config) throw new Error("Session used before configuration was loaded");
    return this.config;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the stored session, if any. A refused token signs out; any other failure throws and keeps it. */
  async restore(config: AppConfig): Promise<void> {
    this.config = config;
    const stored = storage()?.getItem(REFRESH_KEY);
    if (!stored) return;
    this.email = storage()?.getItem(EMAIL_KEY) ?? null;
    try {
      this.setTokens(await Cognito.refresh(config, stored));
    } catch (err) {
      // A network failure or a Cognito hiccup (throttling, 5xx) is not a sign-out: the page offers a retry.
      if (!refused(err)) throw err;
      this.clear();
      this.expired = true;
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    const tokens = await Cognito.signIn(this.appConfig, email, password);
    const claims = Cognito.decodeJwt(tokens.idToken);
    this.email = typeof claims.email === "string" ? claims.email : email;
    storage()?.setItem(EMAIL_KEY, this.email);
    this.setTokens(tokens);
  }

  /**
   * Signs in again with the password: a token from a fresh sign-in, which deleting the account asks for (a
   * refreshed one keeps the original sign-in's time).
   */
  async reauthenticate(password: string): Promise<void> {
    if (!this.email) throw new Cognito.CognitoError("NotAuthorizedException", "Signed out");
    await this.signIn(this.email, password);
  }

  async changePassword(previous: string, proposed: string): Promise<void> {
    const token = await this.accessToken();
    if (!token) throw new Cognito.CognitoError("NotAuthorizedException", "Signed out");
    await Cognito.changePassword(this.appConfig, token, previous, proposed);
  }

  async updateEmail(email: string): Promise<void> {
    const token = await this.accessToken();
    if (!token) throw new Cognito.CognitoError("NotAuthorizedException", "Signed out");
    await Cognito.updateEmail(this.appConfig, token, email);
  }

  /** Confirms the new email with its code; the next refresh's ID token carries it. */
  async verifyEmail(email: string, code: string): Promise<void> {
    const token = await this.accessToken();
    if (!token) throw new Cognito.CognitoError("NotAuthorizedException", "Signed out");
    await Cognito.verifyEmail(this.appConfig, token, code);
    this.email = email;
    storage()?.setItem(EMAIL_KEY, email);
    this.emit();
  }

  /** The account is gone: forget the session here without calling anyone (the server signed it out). */
  forget(): void {
    this.expired = false;
    this.clear();
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    if (!this.tokens) return null;
    if (this.tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) return this.tokens.accessToken;
    return this.refresh();
  }

  /** Refreshes the access token (one request at a time); signs out when the refresh token is refused. */
  refresh(): Promise<string> {
    const current = this.tokens;
    if (!current) return Promise.reject(new Cognito.CognitoError("NotAuthorizedException", "Signed out"));
    this.refreshing ??= Cognito.refresh(this.appConfig, current.refreshToken)
      .then((tokens) => {
        this.setTokens(tokens);
        return tokens.accessToken;
      })
      .catch((err: unknown) => {
        if (refused(err)) {
          this.expired = true;
          this.clear();
        }
        throw err;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    const tokens = this.tokens;
    this.expired = false;
    this.clear();
    if (tokens && this.config) {
      // Best effort: the local session is gone either way. The API closes this user's sockets, which
      // neither Cognito nor API Gateway would do.
      await Promise.all([
        fetch(`${this.config.apiUrl.replace(/\/$/, "")}/me/sign-out`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        }).catch(() => undefined),
        Cognito.globalSignOut(this.config, tokens.accessToken).catch(() => undefined),
      ]);
    }
  }

  /** Another tab signed out or in: follow it. */
  syncFromStorage(): void {
    const stored = storage()?.getItem(REFRESH_KEY) ?? null;
    if (!stored && this.tokens) this.clear();
    else if (stored && this.tokens?.refreshToken !== stored && this.config) {
      this.email = storage()?.getItem(EMAIL_KEY) ?? null;
      this.tokens = { accessToken: "", idToken: "", refreshToken: stored, expiresAt: 0 };
      void this.refresh().catch(() => undefined);
    }
  }

  private setTokens(tokens: Cognito.Tokens): void {
    this.tokens = tokens;
    this.expired = false;
    storage()?.setItem(REFRESH_KEY, tokens.refreshToken);
    clearTimeout(this.timer);
    const delay = Math.max(tokens.expiresAt - Date.now() - REFRESH_MARGIN_MS, 5_000);
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), delay);
    this.emit();
  }

  private clear(): void {
    clearTimeout(this.timer);
    const wasSignedIn = this.tokens !== null;
    this.tokens = null;
    this.email = null;
    storage()?.removeItem(REFRESH_KEY);
    storage()?.removeItem(EMAIL_KEY);
    if (wasSignedIn) this.emit();
  }

  private emit(): void {
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }
}

export const session = new Session();

export const REFRESH_TOKEN_STORAGE_KEY = REFRESH_KEY;

"use client";
// App-wide state: runtime config, the session, and the signed-in user's profile.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiError, api } from "./api";
import type { Profile } from "./api-types";
import { type AppConfig, loadConfig } from "./config";
import { clearPendingProfile, getPendingProfile } from "./pending-profile";
import { REFRESH_TOKEN_STORAGE_KEY, type SessionState, session } from "./session";

export type BootStatus = "loading" | "ready" | "error";

/** `undefined`: not known yet; `null`: signed in but no profile exists. */
export type Me = Profile | null | undefined;

export interface EnsureProfileResult {
  profile: Profile | null;
  /** True when this call created the profile from the handle chosen at sign-up. */
  created: boolean;
  /** Why creating the profile from the sign-up handle failed (e.g. `profile.handle_taken`). */
  error: ApiError | null;
}

interface AppState {
  status: BootStatus;
  bootError: string | null;
  retryBoot: () => void;
  config: AppConfig | null;
  auth: SessionState;
  me: Me;
  setMe: (profile: Profile) => void;
  /** Why the sign-up handle could not be used, shown on the create-profile page. */
  setupError: ApiError | null;
  /** Why loading the profile failed (network, server error), if it did. */
  profileError: unknown;
  signIn: (email: string, password: string) => Promise<void>;
  ensureProfile: () => Promise<EnsureProfileResult>;
  signOut: () => Promise<void>;
  /** After the account was deleted: forget the session here (the server signed it out everywhere). */
  forgetAccount: () => void;
  /** True after the user signed out themselves (guards then go home instead of to sign-in). */
  signedOutByUser: boolean;
}

const AppContext = createContext<AppState | null>(null);

let ensuring: Promise<EnsureProfileResult> | null = null;

/** Loads the profile; when there is none, creates it from the handle chosen at sign-up, once at a time. */
function ensureProfileOnce(): Promise<EnsureProfileResult> {
  ensuring ??= (async (): Promise<EnsureProfileResult> => {
    try {
      return { profile: await api.getMe(), created: false, error: null };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
    const pending = getPendingProfile(session.state.email);
    if (!pending) return { profile: null, created: false, error: null };
    try {
      const profile = await api.createMe({ handle: pending.handle, displayName: pending.displayName });
      clearPendingProfile();
      return { profile, created: true, error: null };
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
        return { profile: null, created: false, error: err };
      }
      throw err;
    }
  })().finally(() => {
    ensuring = null;
  });
  return ensuring;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<BootStatus>("loading");
  const [bootError, setBootError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [auth, setAuth] = useState<SessionState>({
    signedIn: false,
    email: null,
    userId: null,
    expired: false,
    moderator: false,
  });
  const [me, setMeState] = useState<Me>(undefined);
  const [setupError, setSetupError] = useState<ApiError | null>(null);
  const [signedOutByUser, setSignedOutByUser] = useState(false);
  const [profileError, setProfileError] = useState<unknown>(null);

  const ensureProfile = useCallback(async () => {
    setProfileError(null);
    try {
      const result = await ensureProfileOnce();
      setMeState(result.profile);
      setSetupError(result.error);
      return result;
    } catch (err) {
      setProfileError(err);
      throw err;
    }
  }, []);

  useEffect(() => {
    return session.subscribe((state) => {
      setAuth(state);
      if (!state.signedIn) {
        setMeState(undefined);
        setSetupError(null);
        setProfileError(null);
      }
    });
  }, []);

  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === REFRESH_TOKEN_STORAGE_KEY || e.key === null) session.syncFromStorage();
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the boot on retry.
  useEffect(() => {
    let cancelled = false;
    setStatus("loading");
    (async () => {
      try {
        const loaded = await loadConfig();
        await session.restore(loaded);
        if (cancelled) return;
        setConfig(loaded);
        setAuth(session.state);
        setStatus("ready");
        if (session.state.signedIn) await ensureProfile().catch(() => undefined);
      } catch (err) {
        if (cancelled) return;
        setBootError(err instanceof Error ? err.message : String(err));
        setStatus("error");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt, ensureProfile]);

  const value = useMemo<AppState>(
    () => ({
      status,
      bootError,
      retryBoot: () => setAttempt((n) => n + 1),
      config,
      auth,
      me,
      setMe: (profile) => {
        setMeState(profile);
        setSetupError(null);
        clearPendingProfile();
      },
      setupError,
      profileError,
      signIn: async (email, password) => {
        await session.signIn(email, password);
        setSignedOutByUser(false);
      },
      ensureProfile,
      signedOutByUser,
      signOut: async () => {
        setSignedOutByUser(true);
        clearPendingProfile();
        await session.signOut();
      },
      forgetAccount: () => {
        setSignedOutByUser(true);
        clearPendingProfile();
        session.forget();
      },
    }),
    [status, bootError, config, auth, me, setupError, profileError, ensureProfile, signedOutByUser],
  );

  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppState {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside AppProvider");
  return value;
}

// The handle and display name chosen at sign-up, kept until the profile exists (through confirmation and sign-in).
const KEY = "asyncsns.pendingProfile";

export interface PendingProfile {
  email: string;
  handle: string;
  displayName: string;
}

export function savePendingProfile(profile: PendingProfile): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...profile, email: profile.email.toLowerCase() }));
  } catch {
    // Storage unavailable: the user fills the create-profile form instead.
  }
}

/** The pending profile for this email, if the same browser signed it up. */
export function getPendingProfile(email: string | null): PendingProfile | null {
  if (!email) return null;
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<PendingProfile>;
    if (value.email !== email.toLowerCase() || !value.handle || !value.displayName) return null;
    return { email: value.email, handle: value.handle, displayName: value.displayName };
  } catch {
    return null;
  }
}

export function clearPendingProfile(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing to clear.
  }
}

"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { type Me, useApp } from "../lib/app-context";

/** Sends signed-out visitors to sign-in (and back here after), and users without a profile to /welcome/. */
export function useRequireProfile(): { me: Me; error: unknown; retry: () => void } {
  const { auth, me, signedOutByUser, profileError, ensureProfile } = useApp();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();

  useEffect(() => {
    if (!auth.signedIn && signedOutByUser) {
      router.replace("/");
    } else if (!auth.signedIn) {
      const query = search.toString();
      const here = `${pathname}${query ? `?${query}` : ""}`;
      router.replace(`/signin/?${auth.expired ? "expired=1&" : ""}next=${encodeURIComponent(here)}`);
    } else if (me === null) {
      router.replace("/welcome/");
    }
  }, [auth.signedIn, auth.expired, me, pathname, search, router, signedOutByUser]);

  useEffect(() => {
    if (auth.signedIn && me === undefined && !profileError) void ensureProfile().catch(() => undefined);
  }, [auth.signedIn, me, profileError, ensureProfile]);

  return {
    me: auth.signedIn ? me : undefined,
    error: auth.signedIn ? profileError : null,
    retry: () => void ensureProfile().catch(() => undefined),
  };
}

"use client";
// "Can't reach the server — retrying…" while the API (or the realtime socket) is unreachable; it goes by itself
// once a probe gets through, and the profile a page was waiting for is fetched again, without a reload.
import { type CSSProperties, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n";
import { useApp } from "../lib/app-context";
import { type Connectivity, connectivity } from "../lib/connectivity";
import { useRealtime } from "../lib/realtime-context";

/** A socket reconnecting longer than this is an outage, not a blip (token refresh, a network switch). */
const SOCKET_GRACE_MS = 3_000;

const style: CSSProperties = {
  position: "sticky",
  top: 0,
  zIndex: 50,
  padding: "0.5rem 1rem",
  textAlign: "center",
  background: "var(--danger-soft)",
  color: "var(--text)",
  borderBottom: "1px solid var(--danger)",
};

export function ConnectionBanner() {
  const { t } = useI18n();
  const { auth, profileError, ensureProfile } = useApp();
  const { connection } = useRealtime();
  const [api, setApi] = useState<Connectivity>(connectivity.state);
  const [socketStuck, setSocketStuck] = useState(false);
  const retryProfile = useRef(false);

  useEffect(() => connectivity.subscribe(setApi), []);

  // A socket that cannot reconnect says the API may be down before any request does: ask the API.
  useEffect(() => {
    if (connection !== "reconnecting") {
      setSocketStuck(false);
      return;
    }
    const timer = setTimeout(() => {
      setSocketStuck(true);
      connectivity.check();
    }, SOCKET_GRACE_MS);
    return () => clearTimeout(timer);
  }, [connection]);

  // Back up: what failed while it was down is read again (the profile every signed-in page waits for).
  retryProfile.current = auth.signedIn && profileError !== null;
  useEffect(() => {
    if (api === "up" && retryProfile.current) void ensureProfile().catch(() => undefined);
  }, [api, ensureProfile]);

  if (api === "up" && !socketStuck) return null;
  return (
    <div role="status" className="connection-banner" style={style}>
      {t("connection.down")}
    </div>
  );
}

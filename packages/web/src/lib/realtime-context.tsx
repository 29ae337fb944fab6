"use client";
// One realtime connection per signed-in tab, shared by chat and notifications.
import { type ConnectionState, httpHistory, RealtimeClient } from "@asyncsns/realtime";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { useApp } from "./app-context";
import { session } from "./session";

interface RealtimeContextValue {
  client: RealtimeClient | null;
  connection: ConnectionState;
}

const RealtimeContext = createContext<RealtimeContextValue>({ client: null, connection: "closed" });

async function token({ refresh }: { refresh: boolean }): Promise<string> {
  const value = refresh ? await session.refresh() : await session.accessToken();
  if (!value) throw new Error("Signed out");
  return value;
}

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { auth, config } = useApp();
  const [client, setClient] = useState<RealtimeClient | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("closed");
  const signedIn = auth.signedIn;

  useEffect(() => {
    if (!signedIn || !config) return;
    const rt = new RealtimeClient({
      url: config.wsUrl,
      token,
      history: httpHistory({ apiUrl: config.apiUrl, token }),
    });
    const offState = rt.onState(setConnection);
    setClient(rt);
    rt.connect();
    return () => {
      offState();
      rt.close();
      setClient(null);
      setConnection("closed");
    };
  }, [signedIn, config]);

  const value = useMemo(() => ({ client, connection }), [client, connection]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeContextValue {
  return useContext(RealtimeContext);
}

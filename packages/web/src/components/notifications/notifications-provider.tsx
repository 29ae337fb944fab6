"use client";
// The signed-in user's notifications for the whole app: the unread count (bell, app badge) and the list,
// read over HTTP and kept current by the realtime connection's events.
import { useRouter } from "next/navigation";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from "react";
import { useApp } from "../../lib/app-context";
import {
  initialNotifications,
  type NotificationsState,
  notificationsReducer,
  unreadAfterRead,
} from "../../lib/notification-logic";
import { notificationsApi, PAGE_SIZE } from "../../lib/notifications-api";
import { registerServiceWorker } from "../../lib/push";
import { useRealtime } from "../../lib/realtime-context";

export type ListStatus = "idle" | "loading" | "error";

interface NotificationsContextValue extends NotificationsState {
  status: ListStatus;
  error: unknown;
  /** How many rows arrived live since the app started (the page announces the difference). */
  arrived: number;
  /** Reads the newest page again (the page's first load and its retry). */
  loadFirst: () => Promise<void>;
  loadMore: () => Promise<void>;
  /** Runs the load that failed again. */
  retry: () => Promise<void>;
  /** Marks `upTo` and older read (null: all) at once; throws when the server refused. */
  markRead: (upTo: string | null) => Promise<void>;
}

const NotificationsContext = createContext<NotificationsContextValue | null>(null);

/** The count on the installed app's icon, where the browser has one. */
function showAppBadge(unread: number) {
  if (typeof navigator === "undefined") return;
  const nav = navigator as Navigator & {
    setAppBadge?: (n?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  const done = unread > 0 ? nav.setAppBadge?.(unread) : nav.clearAppBadge?.();
  done?.catch(() => undefined);
}

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { auth, me } = useApp();
  const { client } = useRealtime();
  const router = useRouter();
  const [state, dispatch] = useReducer(notificationsReducer, initialNotifications);
  const [status, setStatus] = useState<ListStatus>("idle");
  const [error, setError] = useState<unknown>(null);
  const [arrived, setArrived] = useState(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const meId = auth.signedIn ? me?.id : undefined;
  // Answers that come back for a previous user are dropped (read in render: a page's effect runs before ours).
  const user = useRef(meId);
  user.current = meId;

  const refreshUnread = useCallback(() => {
    const who = user.current;
    notificationsApi.unread().then(
      ({ unread }) => who === user.current && dispatch({ type: "unread", unread }),
      () => undefined,
    );
  }, []);

  // Another account (or none): nothing of the previous one stays.
  const shownFor = useRef(meId);
  useEffect(() => {
    const previous = shownFor.current;
    shownFor.current = meId;
    if (previous !== undefined && previous !== meId) {
      dispatch({ type: "reset" });
      setStatus("idle");
      setError(null);
    }
  }, [meId]);

  useEffect(() => {
    if (!meId) return;
    refreshUnread();
    // The worker shows pushes and opens their pages; registering it asks the user nothing.
    void registerServiceWorker();
    const onVisible = () => document.visibilityState === "visible" && refreshUnread();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [meId, refreshUnread]);

  useEffect(() => showAppBadge(meId ? state.unread : 0), [meId, state.unread]);

  // A notification clicked while a tab is open: the worker asks that tab to go there.
  useEffect(() => {
    if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; url?: unknown } | null;
      if (data?.type !== "navigate" || typeof data.url !== "string") return;
      const url = new URL(data.url, window.location.href);
      if (url.origin === window.location.origin) router.push(`${url.pathname}${url.search}`);
    };
    navigator.serviceWorker.addEventListener("message", onMessage);
    return () => navigator.serviceWorker.removeEventListener("message", onMessage);
  }, [router]);

  const failed = useRef<"first" | "more">("first");
  const loadFirst = useCallback(async () => {
    const who = user.current;
    failed.current = "first";
    setStatus("loading");
    setError(null);
    try {
      const page = await notificationsApi.list(null, PAGE_SIZE);
      if (who !== user.current) return;
      dispatch({ type: "page", ...page, append: false });
      setStatus("idle");
    } catch (err) {
      if (who !== user.current) return;
      setError(err);
      setStatus("error");
    }
  }, []);

  const loading = useRef(false);
  const loadMore = useCallback(async () => {
    const cursor = stateRef.current.cursor;
    if (!cursor || loading.current) return;
    loading.current = true;
    failed.current = "more";
    const who = user.current;
    setStatus("loading");
    setError(null);
    try {
      const page = await notificationsApi.list(cursor, PAGE_SIZE);
      if (who !== user.current) return;
      dispatch({ type: "page", ...page, append: true });
      setStatus("idle");
    } catch (err) {
      if (who !== user.current) return;
      setError(err);
      setStatus("error");
    } finally {
      loading.current = false;
    }
  }, []);

  const retry = useCallback(
    () => (failed.current === "first" ? loadFirst() : loadMore()),
    [loadFirst, loadMore],
  );

  const markRead = useCallback(
    async (upTo: string | null) => {
      dispatch({ type: "read", upTo, unread: unreadAfterRead(stateRef.current, upTo) });
      try {
        await notificationsApi.markRead(upTo ?? undefined);
      } catch (err) {
        // Refused: show the server's truth again.
        refreshUnread();
        if (stateRef.current.items) void loadFirst();
        throw err;
      }
      // The socket's notification.read brings the exact count; without a socket this does.
      if (client?.state !== "open") refreshUnread();
    },
    [client, refreshUnread, loadFirst],
  );

  useEffect(() => {
    if (!client || !meId) return;
    const offs = [
      client.on("notification.created", ({ item, unread }) => {
        dispatch({ type: "created", item, unread });
        setArrived((n) => n + 1);
      }),
      client.on("notification.read", ({ upTo, unread }) => dispatch({ type: "read", upTo, unread })),
      client.on("notification.removed", ({ id, item, unread }) =>
        dispatch({ type: "removed", id, item, unread }),
      ),
      // Back after a gap: events sent meanwhile reached no one, so the count and the newest rows are read again.
      client.onResync(() => {
        const who = user.current;
        if (!stateRef.current.items) return refreshUnread();
        notificationsApi.list(null, PAGE_SIZE).then(
          (page) =>
            who === user.current && dispatch({ type: "head", items: page.items, unread: page.unread }),
          () => refreshUnread(),
        );
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, meId, refreshUnread]);

  const value = useMemo<NotificationsContextValue>(
    () => ({ ...state, status, error, arrived, loadFirst, loadMore, retry, markRead }),
    [state, status, error, arrived, loadFirst, loadMore, retry, markRead],
  );
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): NotificationsContextValue {
  const value = useContext(NotificationsContext);
  if (!value) throw new Error("useNotifications outside NotificationsProvider");
  return value;
}

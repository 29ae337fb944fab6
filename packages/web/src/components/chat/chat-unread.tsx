"use client";
// The Chat tab's unread count for the whole app: read once over HTTP, then counted on from the socket's events.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { useApp } from "../../lib/app-context";
import { chatApi } from "../../lib/chat-api";
import { totalUnread, unreadAfterMessage, unreadAfterRead } from "../../lib/chat-logic";
import { useRealtime } from "../../lib/realtime-context";

type Rooms = ReadonlyMap<string, { seq: number; read: number }>;

const ChatUnreadContext = createContext<number>(0);

export function ChatUnreadProvider({ children }: { children: ReactNode }) {
  const { auth, me } = useApp();
  const { client } = useRealtime();
  const [rooms, setRooms] = useState<Rooms>(new Map());
  const meId = auth.signedIn ? me?.id : undefined;
  const meRef = useRef(meId);
  meRef.current = meId;
  const loads = useRef(0);

  const retry = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reload = useCallback((attempt = 0) => {
    const n = ++loads.current;
    clearTimeout(retry.current);
    chatApi.unread().then(
      ({ rooms: list }) => {
        if (n !== loads.current) return;
        setRooms(new Map(list.map((r) => [r.id, { seq: r.seq, read: r.seq - r.unread }])));
      },
      () => {
        // A badge that silently stays empty hides messages: try again a few times, further apart.
        if (n === loads.current && attempt < 4)
          retry.current = setTimeout(() => reload(attempt + 1), 2_000 * 2 ** attempt);
      },
    );
  }, []);
  useEffect(() => () => clearTimeout(retry.current), []);

  useEffect(() => {
    setRooms(new Map());
    if (meId) reload();
    else loads.current++;
  }, [meId, reload]);

  useEffect(() => {
    if (!client || !meId) return;
    const offs = [
      client.on("chat.message", (m) => setRooms((current) => unreadAfterMessage(current, m, meRef.current))),
      client.on("chat.read", ({ roomId, userId, seq }) => {
        if (userId === meRef.current) setRooms((current) => unreadAfterRead(current, roomId, seq));
      }),
      client.on("room.updated", ({ roomId, member }) => {
        if (member) return;
        setRooms((current) => {
          const next = new Map(current);
          next.delete(roomId);
          return next;
        });
      }),
      // Back online after a gap: only the server knows what arrived meanwhile.
      client.onResync(() => reload()),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, meId, reload]);

  return (
    <ChatUnreadContext.Provider value={meId ? totalUnread(rooms) : 0}>{children}</ChatUnreadContext.Provider>
  );
}

/** Unread chat messages over all the user's rooms. */
export function useChatUnread(): number {
  return useContext(ChatUnreadContext);
}

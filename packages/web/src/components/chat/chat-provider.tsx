"use client";
// The room list for the chat screens, kept current from the shared realtime connection's events.
import type { ConnectionState, Message, RealtimeClient } from "@asyncsns/realtime";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { Room } from "../../lib/api-types";
import { useApp } from "../../lib/app-context";
import { chatApi } from "../../lib/chat-api";
import { roomAfterRead, roomsAfterMessage, sortRooms } from "../../lib/chat-logic";
import { useRealtime } from "../../lib/realtime-context";

interface ChatContextValue {
  client: RealtimeClient | null;
  connection: ConnectionState;
  /** Undefined while the first load runs. */
  rooms: Room[] | undefined;
  roomsError: unknown;
  /** Message requests and group invitations waiting for an answer (the Requests tab's count). */
  requestCount: number;
  reloadRooms: () => void;
  /** Puts a room (new or changed) into the list. */
  upsertRoom: (room: Room) => void;
  /** Drops a room the user left or was removed from. */
  removeRoom: (roomId: string) => void;
  /** The room the user is reading: its messages do not count as unread. */
  setReading: (roomId: string | null) => void;
  /** The user read a room up to `seq`. */
  markedRead: (roomId: string, seq: number) => void;
  /**
   * A message this user sent, as its POST answered: the list shows it at once, not when its own `chat.message`
   * comes back over the socket (that one is then a repeat and changes nothing).
   */
  noteSent: (message: Message) => void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

export function ChatProvider({ children }: { children: ReactNode }) {
  const { auth, me } = useApp();
  const { client, connection } = useRealtime();
  const [rooms, setRooms] = useState<Room[] | undefined>(undefined);
  const [roomsError, setRoomsError] = useState<unknown>(null);
  const [requestCount, setRequestCount] = useState(0);
  const reading = useRef<string | null>(null);
  const meId = me?.id;
  const meRef = useRef(meId);
  meRef.current = meId;
  const loadSeq = useRef(0);
  // A list read in flight when the user leaves or is removed must not bring the room back.
  const goneRooms = useRef(new Set<string>());
  const forget = useCallback((roomId: string) => {
    goneRooms.current.add(roomId);
    setRooms((current) => current?.filter((r) => r.id !== roomId));
  }, []);

  const reloadRooms = useCallback(() => {
    const n = ++loadSeq.current;
    chatApi.listRooms().then(
      ({ items, requests }) => {
        if (n !== loadSeq.current) return;
        setRoomsError(null);
        setRequestCount(requests);
        setRooms(sortRooms(items.filter((r) => !goneRooms.current.has(r.id))));
      },
      (err: unknown) => n === loadSeq.current && setRoomsError(err),
    );
  }, []);

  /** A message into the list: its room moves up with it; a room the list does not have yet is loaded. */
  const applyMessage = useCallback(
    (message: Message) => {
      let unknown = false;
      setRooms((current) => {
        if (!current) return current;
        const next = roomsAfterMessage(current, message, meRef.current, reading.current);
        unknown = !next.known;
        return next.rooms;
      });
      if (unknown) reloadRooms();
    },
    [reloadRooms],
  );

  const signedIn = auth.signedIn;
  useEffect(() => {
    if (signedIn && meId) reloadRooms();
  }, [signedIn, meId, reloadRooms]);

  useEffect(() => {
    if (!client) return;
    const onMessage = (message: Message) => applyMessage(message);
    const onChanged = (message: Message) =>
      setRooms((current) =>
        current?.map((r) => (r.lastMessage?.id === message.id ? { ...r, lastMessage: message } : r)),
      );
    const offs = [
      client.on("chat.message", onMessage),
      client.on("chat.message_updated", onChanged),
      client.on("chat.message_deleted", onChanged),
      client.on("chat.read", ({ roomId, userId, seq }) =>
        setRooms((current) =>
          current?.map((r) => (r.id === roomId ? roomAfterRead(r, userId, seq, meRef.current) : r)),
        ),
      ),
      client.on("room.updated", ({ roomId, member }) => {
        // A room one left or declined leaves the list; the request count may have changed too.
        if (!member) {
          forget(roomId);
          return reloadRooms();
        }
        goneRooms.current.delete(roomId);
        reloadRooms();
      }),
      // Back online after a gap: only the server's list has rooms and last messages changed meanwhile.
      client.onResync(reloadRooms),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, reloadRooms, forget, applyMessage]);

  const value = useMemo<ChatContextValue>(
    () => ({
      client,
      connection,
      rooms,
      roomsError,
      requestCount,
      reloadRooms,
      upsertRoom: (room) => {
        goneRooms.current.delete(room.id);
        setRooms((current) => sortRooms([room, ...(current ?? []).filter((r) => r.id !== room.id)]));
      },
      removeRoom: forget,
      noteSent: applyMessage,
      setReading: (roomId) => {
        reading.current = roomId;
      },
      markedRead: (roomId, seq) =>
        setRooms((current) =>
          current?.map((r) =>
            r.id === roomId ? roomAfterRead(r, meRef.current ?? "", seq, meRef.current) : r,
          ),
        ),
    }),
    [client, connection, rooms, roomsError, requestCount, reloadRooms, forget, applyMessage],
  );

  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error("useChat outside ChatProvider");
  return value;
}

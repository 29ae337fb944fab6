"use client";
import type { Message } from "@asyncsns/realtime";
import Link from "next/link";
import { Fragment, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "../../i18n";
import { ApiError } from "../../lib/api";
import type { Room } from "../../lib/api-types";
import { chatApi, PAGE } from "../../lib/chat-api";
import {
  applyReaction,
  dayKey,
  dayLabel,
  firstUnread,
  keepMine,
  mergeMessages,
  readMarkers,
  replaceMessage,
  roomAfterRead,
  roomTitle,
  shouldSendTyping,
  TYPING_SHOW_MS,
} from "../../lib/chat-logic";
import { apiErrorMessage } from "../../lib/errors";
import { sending } from "../../lib/sending";
import { CallButtons } from "../calls/call-buttons";
import { Loading, useDocumentTitle } from "../page-shell";
import { useChat } from "./chat-provider";
import { Composer } from "./composer";
import { MembersDialog } from "./members-dialog";
import { Avatar, MessageItem } from "./message-item";
import { RequestBar, RoomMenu } from "./requests";

type Load = { kind: "loading" } | { kind: "missing" } | { kind: "error"; error: unknown } | { kind: "ready" };

/** Within this many pixels of the bottom counts as "at the bottom" (new messages scroll into view). */
const BOTTOM_SLACK = 48;
/** Opening a room jumps back to its first unread message when at most this many are unread. */
const UNREAD_JUMP_MAX = 200;
/** Closer than this to the top loads older messages. */
const TOP_SLACK = 120;

export function RoomView({ roomId, meId }: { roomId: string; meId: string }) {
  const { t, lang } = useI18n();
  const { client, setReading, markedRead, removeRoom, noteSent } = useChat();
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [room, setRoom] = useState<Room | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState(false);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const [typing, setTyping] = useState<Map<string, { handle: string; until: number }>>(new Map());
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [visible, setVisible] = useState(true);
  const [membersOpen, setMembersOpen] = useState(false);
  /** On a phone, the message whose actions show. */
  const [selected, setSelected] = useState<number | null>(null);
  /** The caller's read marker when the room opened: the "Unread messages" line stays there while reading. */
  const [readAtOpen, setReadAtOpen] = useState<number | null>(null);
  /** Set once the user is no longer in the room: the history stays readable, sending does not. */
  const [gone, setGone] = useState<"removed" | "left" | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const roomRef = useRef(room);
  roomRef.current = room;
  const earlyReads = useRef<{ userId: string; seq: number }[]>([]);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const restore = useRef<{ height: number; top: number } | null>(null);
  const stick = useRef(true);
  const firstPaint = useRef(true);
  const lastTypingSent = useRef(0);
  const readSent = useRef(0);
  const titleId = useId();
  const minSeq = messages[0]?.seq ?? 0;
  const hasOlder = minSeq > 1;

  // ---- first load: the room and its latest page ----
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on retry.
  useEffect(() => {
    let cancelled = false;
    setLoad({ kind: "loading" });
    setMessages([]);
    firstPaint.current = true;
    stick.current = true;
    Promise.all([chatApi.getRoom(roomId), chatApi.messages(roomId, { limit: PAGE })]).then(
      ([r, page]) => {
        if (cancelled) return;
        setRoom(earlyReads.current.reduce((x, e) => roomAfterRead(x, e.userId, e.seq, meId), r));
        earlyReads.current = [];
        readSent.current = r.members.find((m) => m.id === meId)?.lastReadSeq ?? 0;
        const marker = readSent.current;
        setReadAtOpen(marker < r.seq ? marker : null);
        const oldest = page.items[0]?.seq ?? 1;
        // The first unread is older than the page: read the messages between (a bounded jump back).
        const between =
          marker < r.seq && marker + 1 < oldest && oldest - marker <= UNREAD_JUMP_MAX
            ? chatApi.range(roomId, marker + 1, oldest - 1)
            : Promise.resolve([]);
        between.then(
          (older) => {
            if (cancelled) return;
            setMessages((current) => mergeMessages(current, [...older, ...page.items]));
            setLoad({ kind: "ready" });
          },
          () => {
            if (cancelled) return;
            setMessages((current) => mergeMessages(current, page.items));
            setLoad({ kind: "ready" });
          },
        );
      },
      (error: unknown) => {
        if (cancelled) return;
        if (
          error instanceof ApiError &&
          (error.status === 403 || error.status === 404 || error.status === 400)
        )
          setLoad({ kind: "missing" });
        else setLoad({ kind: "error", error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [roomId, meId, attempt]);

  // ---- live events for this room ----
  useEffect(() => {
    if (!client) return;
    const here = (data: { roomId: string }) => data.roomId === roomId;
    const offs = [
      client.on("chat.message", (m) => {
        if (!here(m)) return;
        setMessages((current) => mergeMessages(current, [m]));
        setTyping((current) => {
          if (!current.has(m.sender.id)) return current;
          const next = new Map(current);
          next.delete(m.sender.id);
          return next;
        });
        setRoom((r) =>
          r ? roomAfterRead({ ...r, seq: Math.max(r.seq, m.seq) }, m.sender.id, m.seq, meId) : r,
        );
      }),
      client.on(
        "chat.message_updated",
        (m) =>
          here(m) &&
          setMessages((current) =>
            replaceMessage(
              current,
              keepMine(
                m,
                current.find((x) => x.seq === m.seq),
              ),
            ),
          ),
      ),
      client.on("chat.reaction", (e) => here(e) && setMessages((current) => applyReaction(current, e, meId))),
      client.on(
        "chat.message_deleted",
        (m) => here(m) && setMessages((current) => replaceMessage(current, m)),
      ),
      client.on("chat.read", (e) => {
        if (!here(e)) return;
        // A receipt that arrives while the room loads may be newer than the load's read: keep it for then.
        if (!roomRef.current) earlyReads.current.push(e);
        setRoom((r) => (r ? roomAfterRead(r, e.userId, e.seq, meId) : r));
        if (e.userId === meId) readSent.current = Math.max(readSent.current, e.seq);
      }),
      client.on("chat.typing", (e) => {
        if (!here(e) || e.userId === meId) return;
        setTyping((current) =>
          new Map(current).set(e.userId, { handle: e.handle, until: Date.now() + TYPING_SHOW_MS }),
        );
      }),
      client.on("room.updated", (e) => {
        if (!here(e)) return;
        if (!e.member) setGone(e.reason === "member_left" ? "left" : "removed");
        else chatApi.getRoom(roomId).then(setRoom, () => undefined);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, roomId, meId]);

  // Once loaded, the client resumes this room from what is shown (after any reconnect, too).
  const ready = load.kind === "ready";
  useEffect(() => {
    if (!client || !ready) return;
    const shown = messagesRef.current.at(-1)?.seq ?? 0;
    const known = client.lastSeq(roomId);
    client.track(roomId, shown);
    // The client had already passed this room further than the page we loaded: fetch the difference.
    if (known !== undefined && known > shown)
      chatApi.messages(roomId, { afterSeq: shown, limit: 100 }).then(
        ({ items }) => setMessages((current) => mergeMessages(current, items)),
        () => undefined,
      );
  }, [client, ready, roomId]);

  // Edits and deletions take no seq, so resume cannot replay them: each (re)connect re-reads the window.
  useEffect(() => {
    if (!client || !ready) return;
    let active = true;
    const off = client.onResync(() => {
      // A member change made while the socket was away reaches no one live: read the room again too.
      chatApi.getRoom(roomId).then(
        (r) => active && setRoom(r),
        () => undefined,
      );
      const first = messagesRef.current[0]?.seq;
      const last = messagesRef.current.at(-1)?.seq;
      if (first === undefined || last === undefined) return;
      chatApi.range(roomId, first, last).then(
        (items) => active && setMessages((current) => mergeMessages(current, items)),
        () => undefined,
      );
    });
    return () => {
      active = false;
      off();
    };
  }, [client, ready, roomId]);

  // ---- the list shows this room as read while open ----
  useEffect(() => {
    setReading(roomId);
    return () => setReading(null);
  }, [roomId, setReading]);

  useEffect(() => {
    const onVisibility = () => setVisible(document.visibilityState === "visible");
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, []);

  const lastSeq = messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    // `stick` as well: the jump to the first unread leaves the bottom before this render's state says so.
    if (!ready || !visible || !atBottom || !stick.current || lastSeq <= readSent.current) return;
    readSent.current = lastSeq;
    markedRead(roomId, lastSeq);
    chatApi.markRead(roomId, lastSeq).catch(() => {
      readSent.current = 0;
    });
  }, [ready, visible, atBottom, lastSeq, roomId, markedRead]);

  // ---- typing lines expire ----
  useEffect(() => {
    if (typing.size === 0) return;
    const soonest = Math.min(...[...typing.values()].map((v) => v.until));
    const timer = setTimeout(
      () => {
        const now = Date.now();
        setTyping((current) => new Map([...current].filter(([, v]) => v.until > now)));
      },
      Math.max(50, soonest - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [typing]);

  // ---- scrolling: keep the position on prepend, follow new messages only at the bottom ----
  const previousLast = useRef(0);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const last = messages.at(-1);
    if (restore.current) {
      el.scrollTop = el.scrollHeight - restore.current.height + restore.current.top;
      restore.current = null;
    } else if (firstPaint.current && messages.length > 0) {
      const line = el.querySelector<HTMLElement>(".unread-divider");
      if (line) {
        // Opening a room with unread messages starts at the first of them, not at the bottom.
        el.scrollTop += line.getBoundingClientRect().top - el.getBoundingClientRect().top - 8;
        const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
        stick.current = bottom;
        setAtBottom(bottom);
      } else el.scrollTop = el.scrollHeight;
      firstPaint.current = false;
    } else if (last && last.seq > previousLast.current) {
      if (stick.current || last.sender.id === meId) {
        el.scrollTop = el.scrollHeight;
        setUnseen(0);
      } else {
        const fresh = messages.filter((m) => m.seq > previousLast.current).length;
        setUnseen((n) => n + fresh);
      }
    }
    previousLast.current = last?.seq ?? 0;
  }, [messages, meId]);

  const loadOlder = useCallback(async () => {
    const el = listRef.current;
    const before = messagesRef.current[0]?.seq;
    if (!el || !before || before <= 1 || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(false);
    try {
      const { items } = await chatApi.messages(roomId, { beforeSeq: before, limit: PAGE });
      restore.current = { height: el.scrollHeight, top: el.scrollTop };
      setMessages((current) => mergeMessages(current, items));
    } catch {
      setOlderError(true);
    } finally {
      setLoadingOlder(false);
    }
  }, [roomId, loadingOlder]);

  const onScroll = () => {
    const el = listRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    stick.current = bottom;
    if (bottom !== atBottom) setAtBottom(bottom);
    if (bottom && unseen) setUnseen(0);
    if (el.scrollTop < TOP_SLACK && hasOlder && !loadingOlder && !olderError) void loadOlder();
  };

  const jumpToLatest = () => {
    const el = listRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    setAtBottom(true);
    setUnseen(0);
  };

  const unreadFrom = readAtOpen === null ? null : firstUnread(messages, readAtOpen, meId);
  const markers = useMemo(() => readMarkers(messages, room?.members ?? [], meId), [messages, room, meId]);
  const bySeq = useMemo(() => new Map(messages.map((m) => [m.seq, m])), [messages]);
  const title = room ? roomTitle(room, meId) : null;
  useDocumentTitle(title);

  const typingNames = [...typing.entries()].map(([userId, v]) => {
    const member = room?.members.find((m) => m.id === userId);
    return member?.displayName || `@${v.handle}`;
  });
  const typingText =
    typingNames.length === 0
      ? ""
      : typingNames.length === 1
        ? t("chat.typing.one", { name: typingNames[0]! })
        : typingNames.length === 2
          ? t("chat.typing.two", { a: typingNames[0]!, b: typingNames[1]! })
          : t("chat.typing.many");

  const onTyping = () => {
    const now = Date.now();
    if (!client || !shouldSendTyping(lastTypingSent.current, now)) return;
    if (client.send({ action: "typing", roomId })) lastTypingSent.current = now;
  };

  const updateRoom = useCallback((change: (r: Room) => Room) => setRoom((r) => (r ? change(r) : r)), []);

  const onSend = async (input: { text: string; mediaIds: string[]; replyTo?: string }) => {
    try {
      const message = await sending(
        chatApi.send(roomId, {
          text: input.text,
          ...(input.mediaIds.length ? { mediaIds: input.mediaIds } : {}),
          ...(input.replyTo ? { replyTo: input.replyTo } : {}),
        }),
      );
      stick.current = true;
      setMessages((current) => mergeMessages(current, [message]));
      noteSent(message);
      setReplyTo(null);
    } catch (err) {
      // Removed while this client missed the event: show it as such.
      if (err instanceof ApiError && err.code === "room.not_member") {
        setGone("removed");
        removeRoom(roomId);
      }
      // Blocked while this page was open: the room turns read-only at once.
      if (err instanceof ApiError && err.code === "user.blocked")
        updateRoom((r) => ({ ...r, blocked: true }));
      throw new Error(apiErrorMessage(t, err));
    }
  };

  if (load.kind === "loading") return <Loading />;
  if (load.kind === "missing") {
    return (
      <div className="chat-empty">
        <p>{t("chat.notFound")}</p>
        <Link href="/chat/" className="btn btn-secondary">
          {t("chat.back")}
        </Link>
      </div>
    );
  }
  if (load.kind === "error" || !room) {
    return (
      <div className="chat-empty" role="alert">
        <p>{apiErrorMessage(t, load.kind === "error" ? load.error : null)}</p>
        <button type="button" className="btn btn-primary" onClick={() => setAttempt((n) => n + 1)}>
          {t("common.retry")}
        </button>
      </div>
    );
  }

  const others = room.members.filter((m) => m.id !== meId);
  return (
    <section className="room" aria-labelledby={titleId}>
      <header className="room-header">
        <Link href="/chat/" className="btn-icon room-back" aria-label={t("chat.back")}>
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
            <path fill="currentColor" d="M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20v-2Z" />
          </svg>
        </Link>
        <Avatar name={title ?? "?"} url={room.kind === "direct" ? (others[0]?.avatarUrl ?? null) : null} />
        <div className="room-heading">
          <h2 id={titleId} className="room-title">
            {title}
          </h2>
          <p className="room-sub">
            {room.kind === "direct" && others[0]
              ? `@${others[0].handle}`
              : t("chat.members", { count: room.members.length })}
          </p>
        </div>
        {room.kind === "direct" && others[0] && !gone && !room.blocked && room.status === "member" ? (
          <CallButtons handle={others[0].handle} name={title ?? others[0].displayName} />
        ) : null}
        {room.kind === "direct" && !gone && room.status === "member" ? <RoomMenu roomId={roomId} /> : null}
        {room.kind === "group" && !gone ? (
          <button
            type="button"
            className="btn btn-secondary btn-small room-members"
            aria-haspopup="dialog"
            onClick={() => setMembersOpen(true)}
          >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
              <path
                fill="currentColor"
                d="M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-3.3 0-7 1.6-7 4v2h14v-2c0-2.4-3.7-4-7-4Zm7.5-2a3.5 3.5 0 1 0-1.2-6.8 6 6 0 0 1 0 6.6c.4.1.8.2 1.2.2Zm1.8 2.3c1.6.8 2.7 2 2.7 3.7v2h2v-2c0-1.9-2.1-3.1-4.7-3.7Z"
              />
            </svg>
            {t("chat.members.open")}
          </button>
        ) : null}
      </header>
      <div className="room-scroll" ref={listRef} onScroll={onScroll}>
        <div className="room-top">
          {hasOlder ? (
            <button
              type="button"
              className="btn btn-small btn-secondary"
              onClick={() => void loadOlder()}
              disabled={loadingOlder}
              aria-busy={loadingOlder}
            >
              {loadingOlder ? t("chat.loadingOlder") : t("chat.loadOlder")}
            </button>
          ) : messages.length > 0 ? (
            <p className="muted small">{t("chat.start")}</p>
          ) : null}
        </div>
        {messages.length === 0 ? <p className="chat-empty muted">{t("chat.empty")}</p> : null}
        <div role="log" aria-label={t("chat.messages")}>
          <ol className="msgs">
            {messages.map((m, i) => {
              const prev = messages[i - 1];
              const newDay = !prev || dayKey(prev.createdAt) !== dayKey(m.createdAt);
              const unreadLine = m.seq === unreadFrom;
              const first =
                !prev ||
                newDay ||
                unreadLine ||
                prev.sender.id !== m.sender.id ||
                Date.parse(m.createdAt) - Date.parse(prev.createdAt) > 5 * 60_000;
              const day = newDay ? dayLabel(m.createdAt, lang) : null;
              return (
                <Fragment key={m.seq}>
                  {day ? (
                    <li className="chat-divider day-divider">
                      <span>
                        {day === "today" ? t("chat.today") : day === "yesterday" ? t("chat.yesterday") : day}
                      </span>
                    </li>
                  ) : null}
                  {unreadLine ? (
                    <li className="chat-divider unread-divider">
                      <span>{t("chat.unreadDivider")}</span>
                    </li>
                  ) : null}
                  <MessageItem
                    message={m}
                    mine={m.sender.id === meId}
                    first={first}
                    replied={m.replyTo ? (bySeq.get(m.replyTo.seq) ?? null) : undefined}
                    readers={markers.get(m.seq) ?? []}
                    direct={room.kind === "direct"}
                    onReply={(target) => {
                      setReplyTo(target);
                      document.querySelector<HTMLTextAreaElement>(".composer-input")?.focus();
                    }}
                    onEdit={async (target, text) => {
                      const next = await chatApi.edit(roomId, target.id, text);
                      setMessages((current) => replaceMessage(current, next));
                    }}
                    onDelete={async (target) => {
                      await chatApi.remove(roomId, target.id);
                      setMessages((current) =>
                        replaceMessage(current, { ...target, text: "", media: [], deleted: true }),
                      );
                    }}
                    selected={selected === m.seq}
                    onSelect={setSelected}
                    onReact={async (target, emoji, on) => {
                      const next = await chatApi.react(roomId, target.id, emoji, on);
                      setMessages((current) => mergeMessages(current, [next]));
                    }}
                  />
                </Fragment>
              );
            })}
          </ol>
        </div>
      </div>
      {unseen > 0 ? (
        <button type="button" className="btn btn-primary btn-small room-jump" onClick={jumpToLatest}>
          {t("chat.newMessages")} ({unseen}) ↓
        </button>
      ) : null}
      <p className="room-typing" role="status" aria-live="polite">
        {typingText}
      </p>
      {gone ? (
        <div className="room-gone" role="status">
          <p>{t(gone === "left" ? "chat.members.youLeft" : "chat.members.youWereRemoved")}</p>
          <Link href="/chat/" className="btn btn-secondary btn-small">
            {t("chat.back")}
          </Link>
        </div>
      ) : room.blocked ? (
        <div className="room-gone" role="status">
          <p>{t("safety.roomReadOnly")}</p>
        </div>
      ) : room.status !== "member" ? (
        <RequestBar room={room} meId={meId} onAccepted={setRoom} />
      ) : (
        <Composer
          replyTo={replyTo}
          onCancelReply={() => setReplyTo(null)}
          onSend={onSend}
          onTyping={onTyping}
          members={others}
        />
      )}
      {room.kind === "group" && !gone ? (
        <MembersDialog
          room={room}
          meId={meId}
          open={membersOpen}
          onClose={() => setMembersOpen(false)}
          update={updateRoom}
        />
      ) : null}
    </section>
  );
}

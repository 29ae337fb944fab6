// A call's entry in its 1:1 room's history: one message per call, sent as the caller, written with a mark on the
// call item in the same transaction so a retried end (or the timer and a hangup racing) never writes two.

import { envelope, type Message } from "@asyncsns/realtime";
import type { CallItem } from "../call/call.entity";
import { durationSeconds, isFinal } from "../call/rules";
import { transact } from "../dynamo/service";
import { createId } from "../id";
import { avatarUrlOf } from "../media/urls";
import { deliver } from "./delivery";
import { DirectEntity, RoomEntity } from "./room.entity";

const MAX_TRIES = 40;

/** Appends the ended call to its room and delivers it live; a call without a room, or recorded already, is a no-op. */
export async function recordCall(call: CallItem): Promise<boolean> {
  const { roomId } = call;
  if (!roomId || !isFinal(call.state) || call.historySeq !== undefined) return false;
  const messageId = createId("msg");
  const entry = {
    callId: call.callId,
    kind: call.kind,
    state: call.state as "ended" | "declined" | "cancelled" | "missed" | "busy",
    ...(call.endReason && call.endReason !== "answered_elsewhere" ? { endReason: call.endReason } : {}),
    durationSeconds: durationSeconds(call),
  };
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const room = await RoomEntity.get({ roomId }).go({ consistent: true });
    if (!room.data) return false;
    const seq = room.data.seq + 1;
    const now = Date.now();
    const message = {
      roomId,
      seq,
      messageId,
      senderId: call.callerId,
      senderHandle: call.callerHandle,
      senderName: call.callerName,
      senderAvatar: call.callerAvatar,
      text: "",
      mediaIds: [],
      createdAt: now,
      call: entry,
    };
    const outcome = await transact(
      ({ room: r, message: m, call: c }) => ({
        counter: r
          .patch({ roomId })
          .set({ seq, lastMessageAt: now })
          .where((a, op) => op.eq(a.seq, seq - 1))
          .commit(),
        message: m.create(message).commit(),
        mark: c
          .patch({ callId: call.callId })
          .set({ historySeq: seq })
          .where((a, op) => op.notExists(a.historySeq))
          .commit(),
      }),
      { attempts: 1 },
    );
    if (outcome.ok) {
      await deliver([call.callerId, call.calleeId], envelope("chat.message", wire(message)));
      return true;
    }
    if (outcome.failed.includes("mark")) return false;
    // Lost the seq to a message sent meanwhile: take the next one.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** Math.min(tries, 5))));
  }
  return false;
}

/** As chat's serialize would answer it, without its media signing: a call's entry has no attachments. */
function wire(item: {
  roomId: string;
  seq: number;
  messageId: string;
  senderId: string;
  senderHandle: string;
  senderName: string;
  senderAvatar?: string;
  createdAt: number;
  call: {
    callId: string;
    kind: "audio" | "video";
    state: NonNullable<Message["call"]>["state"];
    endReason?: NonNullable<Message["call"]>["endReason"];
    durationSeconds: number;
  };
}): Message {
  const { callId, ...entry } = item.call;
  return {
    id: item.messageId,
    roomId: item.roomId,
    seq: item.seq,
    sender: {
      id: item.senderId,
      handle: item.senderHandle,
      displayName: item.senderName,
      avatarUrl: avatarUrlOf(item.senderAvatar),
    },
    text: "",
    media: [],
    replyTo: null,
    createdAt: new Date(item.createdAt).toISOString(),
    editedAt: null,
    deleted: false,
    call: { id: callId, ...entry },
  };
}

/** The pair's 1:1 room, found as chat finds it: by the sorted pair's item. */
export async function directRoomOf(userId: string, otherId: string): Promise<string | undefined> {
  const pairKey = [userId, otherId].sort().join("#");
  const { data } = await DirectEntity.get({ pairKey }).go();
  return data?.roomId;
}

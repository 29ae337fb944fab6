import type { Message } from "../src";

export const message = (roomId: string, seq: number, text = `m${seq}`): Message => ({
  id: `msg_${String(seq).padStart(26, "0")}`,
  roomId,
  seq,
  sender: { id: "u1", handle: "alice", displayName: "Alice", avatarUrl: null },
  text,
  media: [],
  replyTo: null,
  createdAt: new Date(1_700_000_000_000 + seq).toISOString(),
  editedAt: null,
  deleted: false,
});

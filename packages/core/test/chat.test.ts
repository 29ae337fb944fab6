import { describe, expect, it } from "vitest";
import { CreateRoom, History, MarkRead, SendMessage } from "../src/chat/inputs";

const roomId = "rom_01JDZ0000000000000000000AB";

describe("chat input rules", () => {
  it("counts message length in graphemes, up to 4,000, within 16,000 bytes", () => {
    expect(SendMessage.safeParse({ roomId, text: `${"あ".repeat(3999)}👨‍👩‍👧` }).success).toBe(true);
    const long = SendMessage.safeParse({ roomId, text: "あ".repeat(4001) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ params: { code: "chat.text_too_long" } });
    // 4,000 family emoji are 4,000 graphemes but 72,000 bytes.
    const heavy = SendMessage.safeParse({ roomId, text: "👨‍👩‍👧".repeat(4000) });
    expect(heavy.error?.issues[0]).toMatchObject({ params: { code: "chat.text_too_long" } });
  });

  it("caps a room at 50 members, the creator included, with its own code", () => {
    const handles = (n: number) => Array.from({ length: n }, (_, i) => `user_${i}`);
    expect(CreateRoom.safeParse({ memberHandles: handles(49) }).success).toBe(true);
    const over = CreateRoom.safeParse({ memberHandles: handles(50) });
    expect(over.error?.issues[0]).toMatchObject({ params: { code: "room.too_many_members" } });
    expect(CreateRoom.safeParse({ memberHandles: [] }).success).toBe(false);
  });

  it("takes seq bounds from the query string as non-negative integers", () => {
    expect(History.parse({ roomId, afterSeq: "12", limit: "5" })).toMatchObject({ afterSeq: 12, limit: 5 });
    expect(History.safeParse({ roomId, afterSeq: "-1" }).success).toBe(false);
    expect(History.safeParse({ roomId, limit: "500" }).success).toBe(false);
    expect(MarkRead.safeParse({ roomId, seq: 1.5 }).success).toBe(false);
  });

  it("only accepts room and message ids of the right shape", () => {
    expect(SendMessage.safeParse({ roomId: "pst_01JDZ0000000000000000000AB", text: "x" }).success).toBe(
      false,
    );
    expect(SendMessage.safeParse({ roomId, text: "x", replyTo: "msg_nope" }).success).toBe(false);
  });
});

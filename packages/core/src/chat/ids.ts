import * as z from "zod";

export const RoomId = z.string().regex(/^rom_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a room id.");
export const MessageId = z.string().regex(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a message id.");

// Every free-text field's rule and the budgets they add up to, in one place (docs/architecture.md "Budgets").
import type { TextRule } from "../util/text";

export { BYTES_PER_GRAPHEME, MAX_MARKS_PER_GRAPHEME, maxBytes } from "../util/text";

export const POST: TextRule = {
  name: "A post",
  max: 1000,
  code: "post.too_long",
  multiline: true,
  bidi: "strip",
};
export const MESSAGE: TextRule = {
  name: "A message",
  max: 4000,
  code: "chat.text_too_long",
  multiline: true,
  bidi: "strip",
};
export const DISPLAY_NAME: TextRule = {
  name: "A display name",
  min: 1,
  max: 50,
  code: "profile.invalid_display_name",
  trim: true,
  bidi: "refuse",
};
export const BIO: TextRule = {
  name: "A bio",
  max: 300,
  code: "profile.invalid_bio",
  multiline: true,
  bidi: "strip",
};
export const MUTED_WORD: TextRule = {
  name: "A muted word",
  min: 1,
  max: 100,
  code: "muted_word.invalid",
  trim: true,
  bidi: "refuse",
};
export const ROOM_NAME: TextRule = {
  name: "A room name",
  min: 1,
  max: 80,
  code: "room.invalid_name",
  trim: true,
  bidi: "refuse",
};
export const ALT: TextRule = {
  name: "Alt text",
  max: 1500,
  code: "media.invalid_alt",
  multiline: true,
  bidi: "strip",
};
export const FILE_NAME: TextRule = {
  name: "A file name",
  max: 255,
  code: "media.invalid_file_name",
  trim: true,
  bidi: "refuse",
};

const KB = 1024;

/** A JSON request body larger than this is refused with 413 before it is parsed. */
export const MAX_JSON_BODY_BYTES = 64 * KB;
/** The largest post item we may write; DynamoDB refuses items over 400 KB. */
export const POST_ITEM_BUDGET_BYTES = 64 * KB;
/** A page of 20 maximal posts (most of it four alt texts each); a Lambda response is at most 6 MB. */
export const PAGE_BUDGET_BYTES = 1024 * KB;
/** A chat event sent with postToConnection; API Gateway WebSocket frames are 32 KB (messages 128 KB). */
export const CHAT_EVENT_BUDGET_BYTES = 32 * KB;

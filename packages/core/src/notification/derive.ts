// The table's stream → notification events: a committed write always notifies, and no request handler publishes
// (a crash between a write and a publish cannot lose one). Retractions carry the cause's createdAt so a late add
// can be told from a re-like.

import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { activeMemberIds } from "../chat/access";
import { LikeEntity, RepostEntity } from "../post/post.entity";
import * as Posts from "../post/read";
import { mutedWords, silences } from "../safety/hidden";
import { matchesWord } from "../safety/rules";
import { Text } from "../text";
import type { StreamRecord } from "../timeline/fanout";
import { preview } from "./keys";
import type { NotificationEvent } from "./store";

type Image = Record<string, unknown> & { __edb_e__?: string };

function imageOf(raw: unknown): Image | undefined {
  return raw ? (unmarshall(raw as Record<string, AttributeValue>) as Image) : undefined;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : 0);

/** What a post item (new, edited or deleted) means: replies and mentions added or retracted. */
async function ofPost(before: Image | undefined, after: Image | undefined): Promise<NotificationEvent[]> {
  const live = (i: Image | undefined) => (i && !i.deletedAt ? i : undefined);
  const [was, is] = [live(before), live(after)];
  const post = is ?? was;
  if (!post || (was && is && mentionIds(was).join() === mentionIds(is).join())) return [];
  const authorId = String(post.authorId);
  const postId = String(post.postId);
  const at = num(post.createdAt);
  const subject = { kind: "post" as const, id: postId, text: preview(str(post.text) ?? "") };
  const events: NotificationEvent[] = [];
  const replyTo = str(post.replyTo);
  let parentAuthor: string | undefined;
  if (replyTo && (!was || !is)) {
    parentAuthor = (await Posts.get(replyTo))?.authorId;
    if (parentAuthor)
      events.push({
        type: "post.reply",
        op: is ? "add" : "retract",
        actor: authorId,
        recipient: parentAuthor,
        subject,
        at,
      });
  }
  // A reply already tells its parent's author; a mention of them in it would be the same news twice.
  const [old, now] = [new Set(mentionIds(was)), new Set(mentionIds(is))];
  for (const id of now)
    if (!old.has(id) && id !== parentAuthor)
      events.push({ type: "post.mention", op: "add", actor: authorId, recipient: id, subject, at });
  for (const id of old)
    if (!now.has(id) && id !== parentAuthor)
      events.push({ type: "post.mention", op: "retract", actor: authorId, recipient: id, subject, at });
  // A deleted post takes its likes and reposts out of its author's notifications: one retraction per reaction,
  // each with the reaction's own createdAt (the store's rule for telling a retraction from a re-like).
  if (was && !is) events.push(...(await reactionsRetracted(authorId, subject)));
  return events;
}

async function reactionsRetracted(
  authorId: string,
  subject: { kind: "post"; id: string; text?: string },
): Promise<NotificationEvent[]> {
  const [likes, reposts] = await Promise.all([
    LikeEntity.query.byPost({ postId: subject.id }).go({ pages: "all", attributes: ["userId", "createdAt"] }),
    RepostEntity.query
      .byPost({ postId: subject.id })
      .go({ pages: "all", attributes: ["userId", "createdAt"] }),
  ]);
  const retract = (type: "post.like" | "post.repost", r: { userId: string; createdAt: number }) => ({
    type,
    op: "retract" as const,
    actor: r.userId,
    recipient: authorId,
    subject,
    at: r.createdAt,
  });
  return [
    ...likes.data.map((r) => retract("post.like", r)),
    ...reposts.data.map((r) => retract("post.repost", r)),
  ];
}

function mentionIds(post: Image | undefined): string[] {
  const mentions = (post?.mentions ?? []) as { userId?: string }[];
  return [...new Set(mentions.flatMap((m) => (m.userId ? [m.userId] : [])))].sort();
}

/** A like or repost item (in the post's partition) added or removed: its author hears of it. */
async function ofReaction(
  type: "post.like" | "post.repost",
  item: Image,
  op: NotificationEvent["op"],
): Promise<NotificationEvent[]> {
  const post = await Posts.get(String(item.postId));
  if (!post || post.deletedAt) return [];
  return [
    {
      type,
      op,
      actor: String(item.userId),
      recipient: post.authorId,
      subject: { kind: "post", id: post.postId, text: preview(post.text) },
      at: num(item.createdAt),
    },
  ];
}

/**
 * A new message: every other active member hears of it; the consumer skips members with a live socket. Unanswered
 * requests and invitations, and rooms one left, stay silent.
 */
async function ofMessage(item: Image): Promise<NotificationEvent[]> {
  const roomId = String(item.roomId);
  const sender = String(item.senderId);
  const members = await activeMemberIds(roomId);
  const text = str(item.text) || undefined;
  return members
    .filter((id) => id !== sender)
    .map((recipient) => ({
      type: "chat.message" as const,
      op: "add" as const,
      actor: sender,
      recipient,
      subject: { kind: "room" as const, id: roomId, ...(text ? { text: preview(text) } : {}) },
      object: String(item.messageId),
      at: num(item.createdAt),
    }));
}

/** A call that stopped ringing unanswered: its callee hears of it once, from the caller. */
function ofCall(before: Image | undefined, after: Image | undefined): NotificationEvent[] {
  if (!after || after.state !== "missed" || before?.state === "missed") return [];
  const callId = String(after.callId);
  return [
    {
      type: "call.missed",
      op: "add",
      actor: String(after.callerId),
      recipient: String(after.calleeId),
      subject: { kind: "call", id: callId },
      at: num(after.createdAt),
    },
  ];
}

/** A moderator removed a post or message: its author hears of it (a suspension or dismissal tells no one). */
function ofModeration(entry: Image): NotificationEvent[] {
  if (entry.action !== "remove") return [];
  const message = entry.targetType === "message";
  const id = str(message ? entry.roomId : entry.targetId);
  if (!id) return [];
  return [
    {
      type: "moderation.removed",
      op: "add",
      actor: String(entry.moderatorId),
      recipient: String(entry.subjectId),
      subject: { kind: message ? "room" : "post", id },
      object: String(entry.auditId),
      at: num(entry.createdAt),
    },
  ];
}

/** Every notification event one stream record stands for; none from records that mean nothing to people. */
export async function derive(record: StreamRecord): Promise<NotificationEvent[]> {
  const before = imageOf(record.dynamodb?.OldImage);
  const after = imageOf(record.dynamodb?.NewImage);
  const entity = (after ?? before)?.__edb_e__;
  const op = record.eventName === "REMOVE" ? "retract" : "add";
  const events = await (async (): Promise<NotificationEvent[]> => {
    switch (entity) {
      case "follow": {
        if (record.eventName === "MODIFY") return [];
        const item = (after ?? before)!;
        return [
          {
            type: "follow",
            op,
            actor: String(item.followerId),
            recipient: String(item.followeeId),
            at: num(item.createdAt),
          },
        ];
      }
      case "like":
      case "repost":
        if (record.eventName === "MODIFY") return [];
        return ofReaction(entity === "like" ? "post.like" : "post.repost", (after ?? before)!, op);
      case "post":
        return ofPost(before, after);
      case "message":
        // A call's entry in the room's history is not a message anyone sent: calls notify of themselves.
        return record.eventName === "INSERT" && after && !after.call ? ofMessage(after) : [];
      case "call":
        return ofCall(before, after);
      case "modaudit":
        return record.eventName === "INSERT" && after ? ofModeration(after) : [];
      default:
        return [];
    }
  })();
  // Nobody is notified of their own actions.
  return events.filter((e) => e.actor !== e.recipient);
}

/**
 * The events their recipients want: none from someone they block, are blocked by or mute, nor of a post holding a
 * word they mute. Retractions always pass, so nothing stays behind that was stored before a block.
 */
export async function audible<E extends NotificationEvent>(events: E[]): Promise<E[]> {
  const silenced = await Promise.all(
    events.map(async (e) => {
      if (e.op !== "add") return false;
      if (await silences(e.recipient, e.actor)) return true;
      const text = e.subject?.kind === "post" ? e.subject.text : undefined;
      if (text === undefined) return false;
      const words = await mutedWords(e.recipient);
      return words.some((word) => matchesWord({ text, hashtags: hashtagsOf(text) }, word));
    }),
  );
  return events.filter((_, i) => !silenced[i]);
}

const hashtagsOf = (text: string) => Text.parse(text).hashtags;

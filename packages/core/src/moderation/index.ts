export * as Moderation from "./index";

import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Resource } from "sst";
import * as z from "zod";
import { useUserId, withActor } from "../actor";
import { Chat } from "../chat";
import { requireMember } from "../chat/access";
import { MessageEntity } from "../chat/room.entity";
import { conditionally } from "../dynamo";
import { transact } from "../dynamo/service";
import { VisibleError } from "../error";
import { createId } from "../id";
import { Limit } from "../limit";
import { Post } from "../post";
import * as Posts from "../post/read";
import { Realtime } from "../realtime";
import * as Users from "../user/read";
import { UserEntity } from "../user/user.entity";
import { fn, freeText, type TextRule } from "../util";
import { CaseEntity, ReportEntity } from "./moderation.entity";
import { ACTIONS, type CaseInfo, type CaseItem, describe, REASONS, TARGET_TYPES } from "./read";

// Endpoints come from the environment (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER points at the stand-in off AWS).
const cognito = new CognitoIdentityProviderClient({});

export * from "./read";

const REPORT_TEXT: TextRule = {
  name: "A report's text",
  max: 500,
  code: "report.invalid_text",
  multiline: true,
  bidi: "strip",
  trim: true,
};
const NOTE: TextRule = {
  name: "A moderation note",
  max: 500,
  code: "moderation.invalid_note",
  multiline: true,
  bidi: "strip",
  trim: true,
};

// ---------- reports ----------

export const ReportInput = z
  .object({
    type: z.enum(TARGET_TYPES),
    id: z.string().min(1).max(128),
    reason: z.enum(REASONS),
    text: freeText(REPORT_TEXT).optional(),
  })
  .meta({ id: "ReportInput" });

interface Target {
  ownerId: string;
  roomId?: string;
}

const noTarget = (type: string) =>
  new VisibleError("not-found", "report.target_not_found", `There is no such ${type} to report.`);

/** What a report names, as the reporter may see it: a live post, a message of one of their rooms, a user. */
async function targetOf(
  type: (typeof TARGET_TYPES)[number],
  id: string,
  reporterId: string,
): Promise<Target> {
  if (type === "post") {
    const post = await Posts.get(id);
    if (!post || post.deletedAt) throw noTarget("post");
    return { ownerId: post.authorId };
  }
  if (type === "message") {
    const { data } = await MessageEntity.query.byId({ messageId: id }).go();
    const message = data[0];
    if (!message || message.deletedAt || message.call) throw noTarget("message");
    // Only a member saw the message: anyone else learns nothing, not even that it exists.
    await requireMember(message.roomId, reporterId).catch(() => {
      throw noTarget("message");
    });
    return { ownerId: message.senderId, roomId: message.roomId };
  }
  const user = await Users.stored(id);
  if (!user) throw noTarget("user");
  return { ownerId: user.userId };
}

/**
 * Reports a post, a message or a user. One report per reporter and target: reporting again answers the first
 * report's id. Reports on one target gather in one case, which the moderators' queue shows once.
 */
export const report = fn(ReportInput, async (input): Promise<{ id: string }> => {
  const reporterId = useUserId();
  const key = { targetType: input.type, targetId: input.id };
  const earlier = await ReportEntity.get({ ...key, reporterId }).go({ consistent: true });
  if (earlier.data) return { id: earlier.data.reportId };
  const target = await targetOf(input.type, input.id, reporterId);
  if (target.ownerId === reporterId)
    throw new VisibleError("input", "report.self", "You cannot report yourself or what you wrote.");
  await Limit.consume("report");
  const reportId = createId("rpt");
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = Date.now();
    const { data: current } = await CaseEntity.get(key).go({ consistent: true });
    const outcome = await transact(({ report: reports, modcase }) => ({
      report: reports
        .create({
          ...key,
          reporterId,
          reportId,
          reason: input.reason,
          ...(input.text ? { text: input.text } : {}),
        })
        .commit(),
      modcase: !current
        ? modcase
            .create({
              ...key,
              caseId: createId("cas"),
              ownerId: target.ownerId,
              ...(target.roomId ? { roomId: target.roomId } : {}),
              status: "open",
              reasons: [input.reason],
              count: 1,
              openedAt: now,
            })
            .commit()
        : current.status === "open"
          ? modcase
              .update(key)
              .add({ count: 1, reasons: [input.reason] })
              .where((a, op) => op.eq(a.status, "open"))
              .commit()
          : // A closed case opens again: a new round in the queue.
            modcase
              .patch(key)
              .set({ status: "open", openedAt: now, count: 1, reasons: [input.reason] })
              // The queue's sort key holds the (read-only) case id beside the new round's start.
              .composite({ caseId: current.caseId })
              .where((a, op) => op.eq(a.status, current.status))
              .commit(),
    }));
    if (outcome.ok) return { id: reportId };
    if (outcome.failed.includes("report")) {
      const again = await ReportEntity.get({ ...key, reporterId }).go({ consistent: true });
      if (again.data) return { id: again.data.reportId };
    }
    // The case changed meanwhile (created, resolved or reopened by someone else): read it again.
  }
  throw new VisibleError("conflict", "report.retry", "Many people are reporting this; please try again.");
});

// ---------- actions ----------

export const ResolveInput = z.object({
  caseId: z.string().regex(/^cas_[0-9A-HJKMNP-TV-Z]{26}$/, "Not a report id."),
  action: z.enum(ACTIONS),
  note: freeText(NOTE).optional(),
});

const caseNotFound = () => new VisibleError("not-found", "report.not_found", "There is no such report.");

async function caseById(caseId: string): Promise<CaseItem> {
  const { data } = await CaseEntity.query.byId({ caseId }).go();
  const found = data[0];
  if (!found) throw caseNotFound();
  // The index is eventually consistent: the status is read from the table itself.
  const { data: current } = await CaseEntity.get({
    targetType: found.targetType,
    targetId: found.targetId,
  }).go({
    consistent: true,
  });
  if (!current || current.caseId !== caseId) throw caseNotFound();
  return current;
}

/** Runs a use case as the content's author: a removal goes through the author's own delete path. */
const asUser = <T>(userId: string, cb: () => Promise<T>) =>
  withActor({ type: "user", properties: { userId } }, cb);

async function removeContent(c: CaseItem): Promise<void> {
  if (c.targetType === "post") return asUser(c.ownerId, () => Post.remove({ postId: c.targetId }));
  if (c.targetType === "message") {
    const roomId = c.roomId;
    if (!roomId) throw caseNotFound();
    await asUser(c.ownerId, () => Chat.remove({ roomId, messageId: c.targetId })).catch((error: unknown) => {
      // Deleted already (by its sender, or a first attempt): the removal stands.
      if (error instanceof VisibleError && error.code === "chat.message_not_found") return;
      throw error;
    });
    return;
  }
  throw new VisibleError("input", "report.not_removable", "A user cannot be removed; suspend them instead.");
}

/**
 * Suspends a user: their profile is hidden from everyone else (`suspendedAt`), they cannot sign in (Cognito
 * AdminDisableUser), are signed out everywhere (refresh tokens revoked) and their sockets close. Their content is
 * hidden at read time, never deleted, so a lift brings it all back: pages read no profile per author, so a new card
 * stamp (`cardAt`) has the Cards subscriber copy a card marked suspended onto every post, readers drop such posts,
 * and the search subscriber takes them out of the index as they change.
 */
async function suspendUser(userId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const user = await Users.stored(userId, { consistent: true });
    if (!user || user.suspendedAt !== undefined) break;
    const now = Date.now();
    const stamped = await conditionally(
      UserEntity.patch({ userId })
        .set({ suspendedAt: now, cardAt: nextCardAt(user.cardAt, now) })
        .where((a, op) => `${op.notExists(a.suspendedAt)} AND ${sameCard(a, op, user.cardAt)}`)
        .go(),
    );
    if (stamped) break;
    if (attempt >= 4) throw cardBusy();
  }
  const UserPoolId = Resource.Auth.userPoolId;
  // The user pool's username of an email-username pool is the sub.
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: userId }));
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: userId }));
  await asUser(userId, () => Realtime.signOut());
}

/** A card stamp newer than the current one even within one millisecond: posts take only a newer card. */
const nextCardAt = (current: number | undefined, now: number) => Math.max(now, (current ?? 0) + 1);

type Ops = Parameters<Parameters<ReturnType<ReturnType<typeof UserEntity.patch>["set"]>["where"]>[0]>;

/** The card stamp is still the one read: a profile edit meanwhile (a newer stamp) is not overwritten by an older. */
const sameCard = (a: Ops[0], op: Ops[1], current: number | undefined) =>
  current === undefined ? op.notExists(a.cardAt) : op.eq(a.cardAt, current);

const cardBusy = () =>
  new VisibleError("conflict", "user.retry", "Their profile changed meanwhile; please try again.");

const closed = (c: { status: string }) =>
  new VisibleError("conflict", "report.resolved", `This report was already resolved (${c.status}).`, {
    status: c.status,
  });

const STATUS_OF = { dismiss: "dismissed", remove: "removed", suspend: "suspended" } as const;

/** Resolves an open case: its action first (each one idempotent), then the case and its audit entry together. */
export const resolve = fn(ResolveInput, async ({ caseId, action, note }) => {
  const moderatorId = useUserId();
  const c = await caseById(caseId);
  if (c.status !== "open") throw closed(c);
  if (action === "remove") await removeContent(c);
  if (action === "suspend") await suspendUser(c.ownerId);
  const now = Date.now();
  const key = { targetType: c.targetType, targetId: c.targetId };
  const outcome = await transact(({ modcase, modaudit }) => ({
    modcase: modcase
      .patch(key)
      .set({ status: STATUS_OF[action], resolvedAt: now, resolvedBy: moderatorId })
      .where((a, op) => `${op.eq(a.status, "open")} AND ${op.eq(a.caseId, caseId)}`)
      .commit(),
    audit: modaudit
      .create({
        auditId: createId("aud"),
        moderatorId,
        action,
        caseId,
        ...key,
        ...(c.roomId ? { roomId: c.roomId } : {}),
        subjectId: c.ownerId,
        ...(note ? { note } : {}),
        createdAt: now,
      })
      .commit(),
  }));
  // Another moderator resolved it first: their entry is the one in the log.
  if (!outcome.ok)
    throw closed((await CaseEntity.get(key).go({ consistent: true })).data ?? { status: "gone" });
  const [resolved] = await describe([{ ...c, status: STATUS_OF[action], resolvedAt: now }]);
  return resolved as CaseInfo;
});

export const UnsuspendInput = z.object({
  handle: z.string().min(1).max(20),
  note: freeText(NOTE).optional(),
});

/** Lifts a suspension: visible again with all their content, able to sign in; the lift is in the audit log. */
export const unsuspend = fn(UnsuspendInput, async ({ handle, note }) => {
  const moderatorId = useUserId();
  const userId = Users.HANDLE_PATTERN.test(handle) ? await Users.idOf(handle) : undefined;
  if (!userId) throw new VisibleError("not-found", "profile.not_found", `No one has the handle @${handle}.`);
  await cognito.send(new AdminEnableUserCommand({ UserPoolId: Resource.Auth.userPoolId, Username: userId }));
  const notSuspended = () =>
    new VisibleError("conflict", "user.not_suspended", `@${handle} is not suspended.`);
  for (let attempt = 0; ; attempt++) {
    const current = await Users.stored(userId, { consistent: true });
    if (current?.suspendedAt === undefined) throw notSuspended();
    const outcome = await transact(({ user, modaudit }) => ({
      // A new card stamp: the Cards subscriber copies the card, no longer marked suspended, back onto the posts.
      user: user
        .patch({ userId })
        .set({ cardAt: nextCardAt(current.cardAt, Date.now()) })
        .remove(["suspendedAt"])
        .where((a, op) => `${op.exists(a.suspendedAt)} AND ${sameCard(a, op, current.cardAt)}`)
        .commit(),
      audit: modaudit
        .create({
          auditId: createId("aud"),
          moderatorId,
          action: "unsuspend",
          targetType: "user",
          targetId: userId,
          subjectId: userId,
          ...(note ? { note } : {}),
        })
        .commit(),
    }));
    if (outcome.ok) return;
    // Lifted by someone else meanwhile (the next read says so), or the card changed: read again.
    if (attempt >= 4) throw cardBusy();
  }
});

export * as Moderation from "./read";

// The moderators' reads (the queue, the audit log) and the group check: no Cognito or socket clients, so the Query
// Lambda serves them with its read-only table access.
import * as z from "zod";
import { MessageEntity } from "../chat/room.entity";
import { Cursor } from "../cursor";
import { VisibleError } from "../error";
import * as Posts from "../post/read";
import * as Users from "../user/read";
import { fn } from "../util";
import { MODERATORS } from "./group";
import { AuditEntity, CaseEntity, ReportEntity } from "./moderation.entity";

export { MODERATORS };

export const TARGET_TYPES = ["post", "message", "user"] as const;
export const REASONS = ["spam", "harassment", "illegal", "other"] as const;
export const ACTIONS = ["dismiss", "remove", "suspend"] as const;
export const STATUSES = ["open", "dismissed", "removed", "suspended"] as const;

// ---------- who is a moderator ----------

/**
 * The groups of a `cognito:groups` claim as API Gateway's JWT authorizer hands it to Lambda (an array claim becomes
 * the string "[a b]"), or as the token holds it (an array).
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  if (typeof claim !== "string") return [];
  const inner = claim.trim().replace(/^\[/, "").replace(/\]$/, "");
  return inner.split(/[\s,]+/).filter(Boolean);
}

/** Refuses (403) anyone whose access token does not name the moderators group. */
export function requireModerator(groupsClaim: unknown): void {
  if (!groupsOf(groupsClaim).includes(MODERATORS))
    throw new VisibleError("forbidden", "admin.forbidden", "Only moderators may do this.");
}

// ---------- the moderators' queue ----------

const Person = z.object({ id: z.string(), handle: z.string(), displayName: z.string() }).nullable();

export const CaseInfo = z
  .object({
    id: z.string(),
    type: z.enum(TARGET_TYPES),
    targetId: z.string(),
    reasons: z.array(z.enum(REASONS)),
    count: z.number().int(),
    status: z.enum(STATUSES),
    createdAt: z.string(),
    /** The round's start: the queue's order. */
    openedAt: z.string(),
    /** Whom an action would act on: the author, or the reported user. */
    owner: Person,
    /** The reported content in context: a post's or message's text (empty once deleted). */
    content: z.object({ text: z.string(), deleted: z.boolean(), roomId: z.string().optional() }).nullable(),
    ownerSuspended: z.boolean(),
    /** What reporters wrote, newest reports last (at most 20). */
    notes: z.array(z.string()),
    resolvedAt: z.string().optional(),
  })
  .meta({ id: "ModerationCase" });
export type CaseInfo = z.infer<typeof CaseInfo>;

export const QueueInput = z.object({
  status: z.enum(STATUSES).default("open"),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export type CaseItem = NonNullable<Awaited<ReturnType<ReturnType<typeof CaseEntity.get>["go"]>>["data"]>;

export async function describe(cases: CaseItem[]): Promise<CaseInfo[]> {
  const owners = await Promise.all(cases.map((c) => Users.stored(c.ownerId)));
  const contents = await Promise.all(
    cases.map(async (c): Promise<CaseInfo["content"]> => {
      if (c.targetType === "post") {
        const post = await Posts.get(c.targetId);
        return post ? { text: post.text, deleted: !!post.deletedAt } : { text: "", deleted: true };
      }
      if (c.targetType === "message") {
        const { data } = await MessageEntity.query.byId({ messageId: c.targetId }).go();
        const message = data[0];
        return message
          ? { text: message.text, deleted: !!message.deletedAt, roomId: message.roomId }
          : { text: "", deleted: true };
      }
      return null;
    }),
  );
  const notes = await Promise.all(
    cases.map(async (c) => {
      const { data } = await ReportEntity.query
        .byTarget({ targetType: c.targetType, targetId: c.targetId })
        .go({ limit: 20 });
      return data
        .filter((r) => r.text && r.createdAt >= c.openedAt)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((r) => r.text as string);
    }),
  );
  return cases.map((c, i) => {
    const owner = owners[i];
    return {
      id: c.caseId,
      type: c.targetType,
      targetId: c.targetId,
      reasons: [...(c.reasons ?? [])].sort() as CaseInfo["reasons"],
      count: c.count,
      status: c.status,
      createdAt: new Date(c.createdAt).toISOString(),
      openedAt: new Date(c.openedAt).toISOString(),
      owner: owner ? { id: owner.userId, handle: owner.handle, displayName: owner.displayName } : null,
      content: contents[i] ?? null,
      ownerSuspended: !!owner?.suspendedAt,
      notes: notes[i] ?? [],
      ...(c.resolvedAt ? { resolvedAt: new Date(c.resolvedAt).toISOString() } : {}),
    };
  });
}

/** Cases by status (open by default), oldest round first: one query on the status index. */
export const queue = fn(QueueInput, async ({ status, cursor, limit }) => {
  const page = await CaseEntity.query.byStatus({ status }).go({ cursor: decodeCursor(cursor), limit });
  return { items: await describe(page.data), cursor: page.cursor ? encodeCursor(page.cursor) : null };
});

// ElectroDB's own cursor is opaque base64 JSON already; ours wraps it so every cursor of the API has one shape.
export const encodeCursor = (cursor: string) => Cursor.encode({ e: cursor });
function decodeCursor(cursor: string | undefined): string | null {
  const key = Cursor.decode(cursor);
  return typeof key?.e === "string" ? key.e : null;
}

// ---------- the audit log ----------

export const AuditInfo = z
  .object({
    id: z.string(),
    action: z.enum([...ACTIONS, "unsuspend"]),
    moderator: Person,
    subject: Person,
    caseId: z.string().optional(),
    targetType: z.enum(TARGET_TYPES).optional(),
    targetId: z.string().optional(),
    note: z.string().optional(),
    createdAt: z.string(),
  })
  .meta({ id: "AuditEntry" });
export type AuditInfo = z.infer<typeof AuditInfo>;

export const AuditInput = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The audit log, newest first. */
export const audit = fn(AuditInput, async ({ cursor, limit }) => {
  const page = await AuditEntity.query
    .byLog({ log: "moderation" })
    .go({ cursor: decodeCursor(cursor), limit, order: "desc" });
  // Moderators see suspended people too: the log names whom a suspension hides.
  const people = await Users.many(
    page.data.flatMap((e) => [e.moderatorId, e.subjectId]),
    { suspended: true },
  );
  const person = (id: string) => {
    const p = people.get(id);
    return p ? { id: p.id, handle: p.handle, displayName: p.displayName } : null;
  };
  const items: AuditInfo[] = page.data.map((e) => ({
    id: e.auditId,
    action: e.action,
    moderator: person(e.moderatorId),
    subject: person(e.subjectId),
    ...(e.caseId ? { caseId: e.caseId } : {}),
    ...(e.targetType ? { targetType: e.targetType } : {}),
    ...(e.targetId ? { targetId: e.targetId } : {}),
    ...(e.note ? { note: e.note } : {}),
    createdAt: new Date(e.createdAt).toISOString(),
  }));
  return { items, cursor: page.cursor ? encodeCursor(page.cursor) : null };
});

import { NOTIFICATION_TYPES, type NotificationItem, type Sender } from "@asyncsns/realtime";
import * as z from "zod";
import * as Cursor from "../cursor";
import { transact, type Outcome as Written } from "../dynamo/service";
import { VisibleError } from "../error";
import { hiddenFor } from "../safety/hidden";
import type { Hidden } from "../safety/rules";
import * as Users from "../user/read";
import { actorOrder, groupKeyOf, notificationId, preview, rowIdOf, rowOrder } from "./keys";
import {
  NotificationActorEntity,
  NotificationMarkEntity,
  NotificationMemberEntity,
  NotificationRowEntity,
  NotificationSlotEntity,
  NotificationStateEntity,
  TOMBSTONE_TTL_SECONDS,
} from "./notification.entity";

// The consumer's storage: grouped rows, idempotent per actor, safe against out-of-order delivery, exact unread count.

/** One derived domain event, as the consumer receives it (already JSON-parsed from SQS). */
export const NotificationEvent = z.object({
  type: z.enum(NOTIFICATION_TYPES),
  op: z.enum(["add", "retract"]),
  /** Who did it (Cognito sub). */
  actor: z.string().min(1),
  /** Whom it is for. */
  recipient: z.string().min(1),
  /** The post liked/reposted, the reply or mentioning post, the room, the call; absent for follow. */
  subject: z
    .object({ kind: z.enum(["post", "room", "call"]), id: z.string().min(1), text: z.string().optional() })
    .optional(),
  /** The distinct thing when one actor can cause several (message id, reply post id); default: the actor. */
  object: z.string().min(1).optional(),
  /** ms; createdAt of the item that caused it: orders an add against its retract. */
  at: z.number().int().nonnegative(),
});
export type NotificationEvent = z.input<typeof NotificationEvent>;

export type Outcome = "created" | "updated" | "retracted" | "duplicate" | "stale" | "noop";

export interface Applied {
  outcome: Outcome;
  /** The row as it is now (absent when removed or never made). */
  item?: NotificationItem;
  /** The row's id (also when removed). */
  id?: string;
  /** The exact unread count after the write. */
  unread: number;
}

/** Actors shown on a row. */
export const RECENT = 3;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;
// Applies for one recipient contend on its state and rows; each lost race re-reads and tries again.
const MAX_ATTEMPTS = 60;
// Rows marked read per transaction (two items each, plus the state): under DynamoDB's 100.
const READ_CHUNK = 40;

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof NotificationRowEntity.get>["go"]>>["data"]>;
type Mark = NonNullable<Awaited<ReturnType<ReturnType<typeof NotificationMarkEntity.get>["go"]>>["data"]>;
type Member = NonNullable<Awaited<ReturnType<ReturnType<typeof NotificationMemberEntity.get>["go"]>>["data"]>;
type Parsed = z.output<typeof NotificationEvent>;
type Recent = { id: string; at: number };
interface State {
  unread: number;
  gen: number;
}

/** Stores one event: adds or retracts its actor on its row, idempotently, keeping the unread count exact. */
export async function apply(input: NotificationEvent): Promise<Applied> {
  const event = NotificationEvent.parse(input);
  if (event.actor === event.recipient)
    return { outcome: "noop", unread: await storedUnread(event.recipient) };
  const markId = notificationId(event.recipient, event.type, event.subject?.id, event.object ?? event.actor);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const done = event.op === "add" ? await tryAdd(event, markId) : await tryRetract(event, markId);
    if (done) return done;
    await backoff(attempt);
  }
  throw new Error(`notification ${markId}: still contended after ${MAX_ATTEMPTS} attempts`);
}

/** One read-decide-write round of an add; undefined when a concurrent write got there first. */
async function tryAdd(event: Parsed, markId: string): Promise<Applied | undefined> {
  const { recipient, actor } = event;
  const rowId = rowIdOf(recipient, groupKeyOf(event.type, event.subject?.id, event.at));
  const [state, mark, row, member] = await Promise.all([
    stateOf(recipient),
    markOf(recipient, markId),
    rowOf(recipient, rowId),
    memberOf(rowId, actor),
  ]);
  if (mark?.state === "live") {
    if (event.at < mark.at) return settled("stale", recipient, mark.rowId ?? rowId);
    if (event.at === mark.at) return settled("duplicate", recipient, mark.rowId ?? rowId);
    // The actor is on the row already (a re-add whose retract is still on its way): only remember the newer time,
    // so that retract, older than it, is stale.
    const bumped = await transact((entities) => ({
      mark: entities.ntfMark
        .put(markItem(mark, liveMark(event, markId, mark.rowId ?? rowId)))
        .where(markCondition(mark))
        .commit(),
      ...recipientSteps(entities, recipient),
    }));
    if (gone(bumped)) return GONE;
    return bumped.ok ? settled("duplicate", recipient, mark.rowId ?? rowId) : undefined;
  }
  if (mark?.state === "tomb" && event.at <= mark.at) return settled("stale", recipient, rowId);

  const now = Date.now();
  const updatedAt = Math.max(now, (row?.updatedAt ?? 0) + 1);
  const lastAt = Math.max(member?.lastAt ?? 0, event.at);
  const subjectIsNewer = !row || event.at >= (row.subjectAt ?? 0);
  const subject = subjectIsNewer ? subjectOf(event) : row.subject;
  const next: Row = {
    recipient,
    rowId,
    type: event.type,
    groupKey: groupKeyOf(event.type, event.subject?.id, event.at),
    ...(subject ? { subject, subjectAt: subjectIsNewer ? event.at : row?.subjectAt } : {}),
    actorCount: (row?.actorCount ?? 0) + (member ? 0 : 1),
    recent: withRecent(row?.recent ?? [], { id: actor, at: lastAt }),
    unread: true,
    gen: state.gen,
    createdAt: row?.createdAt ?? now,
    updatedAt,
    order: rowOrder(updatedAt, rowId),
    version: (row?.version ?? 0) + 1,
  };
  const wasUnread = row ? isUnread(row, state.gen) : false;
  const moved = !member || member.lastAt !== lastAt;
  const outcome = await transact((entities) => {
    const { ntfRow, ntfSlot, ntfState, ntfMark, ntfMember, ntfActor } = entities;
    return {
      row: ntfRow
        .put(next)
        .where((a, op) => (row ? op.eq(a.version, row.version) : op.notExists(a.version)))
        .commit(),
      oldSlot: row && ntfSlot.delete({ inbox: recipient, order: row.order }).commit(),
      slot: ntfSlot.put({ ...next, inbox: recipient }).commit(),
      state: stateStep(ntfState, recipient, state.gen, wasUnread ? 0 : 1),
      mark: ntfMark
        .put(markItem(mark, liveMark(event, markId, rowId)))
        .where(markCondition(mark))
        .commit(),
      member: ntfMember
        .put({ rowId, actor, marks: (member?.marks ?? 0) + 1, lastAt })
        .where((a, op) =>
          member
            ? `${op.eq(a.marks, member.marks)} AND ${op.eq(a.lastAt, member.lastAt)}`
            : op.notExists(a.marks),
        )
        .commit(),
      oldActor:
        member && moved && ntfActor.delete({ rowId, order: actorOrder(member.lastAt, actor) }).commit(),
      actor: moved && ntfActor.put({ rowId, order: actorOrder(lastAt, actor), actor, at: lastAt }).commit(),
      ...recipientSteps(entities, recipient),
    };
  });
  if (gone(outcome)) return GONE;
  if (!outcome.ok) return undefined;
  return {
    outcome: row ? "updated" : "created",
    id: rowId,
    item: (await toItems([next], state.gen))[0]!,
    unread: await storedUnread(recipient),
  };
}

/** One read-decide-write round of a retract; undefined when a concurrent write got there first. */
async function tryRetract(event: Parsed, markId: string): Promise<Applied | undefined> {
  const { recipient } = event;
  const [state, mark] = await Promise.all([stateOf(recipient), markOf(recipient, markId)]);
  // Nothing to take back yet (the add is late) or a newer retract: a tombstone makes the late add stale.
  if (!mark || (mark.state === "tomb" && event.at > mark.at)) {
    const written = await transact((entities) => ({
      mark: entities.ntfMark
        .put(markItem(mark, tombstone(event, markId)))
        .where(markCondition(mark))
        .commit(),
      ...recipientSteps(entities, recipient),
    }));
    if (gone(written)) return GONE;
    return written.ok ? { outcome: "noop", unread: state.unread } : undefined;
  }
  if (mark.state === "tomb")
    return { outcome: event.at === mark.at ? "duplicate" : "stale", unread: state.unread };
  const rowId = mark.rowId!;
  // The live add is newer than what this retract takes back (re-liked since).
  if (event.at < mark.at) return settled("stale", recipient, rowId);

  const [row, member] = await Promise.all([rowOf(recipient, rowId), memberOf(rowId, mark.actor)]);
  if (!row || !member) throw new Error(`notification ${markId}: live mark without its row ${rowId}`);
  const leaves = member.marks <= 1;
  const actorCount = row.actorCount - (leaves ? 1 : 0);
  const memberSteps = <E extends StepEntities>({ ntfMember, ntfActor }: E) => ({
    member: leaves
      ? ntfMember
          .delete({ rowId, actor: mark.actor })
          .where((a, op) => op.eq(a.marks, member.marks))
          .commit()
      : ntfMember
          .patch({ rowId, actor: mark.actor })
          .set({ marks: member.marks - 1 })
          .where((a, op) => op.eq(a.marks, member.marks))
          .commit(),
    oldActor: leaves && ntfActor.delete({ rowId, order: actorOrder(member.lastAt, mark.actor) }).commit(),
  });

  if (actorCount <= 0) {
    const wasUnread = isUnread(row, state.gen);
    const outcome = await transact((entities) => ({
      row: entities.ntfRow
        .delete({ recipient, rowId })
        .where((a, op) => op.eq(a.version, row.version))
        .commit(),
      slot: entities.ntfSlot.delete({ inbox: recipient, order: row.order }).commit(),
      state: stateStep(entities.ntfState, recipient, state.gen, wasUnread ? -1 : 0),
      mark: entities.ntfMark
        .put(markItem(mark, tombstone(event, markId)))
        .where(markCondition(mark))
        .commit(),
      ...memberSteps(entities),
      ...recipientSteps(entities, recipient),
    }));
    if (gone(outcome)) return GONE;
    if (!outcome.ok) return undefined;
    return { outcome: "retracted", id: rowId, unread: await storedUnread(recipient) };
  }

  let recent: Recent[] = row.recent;
  if (leaves && recent.some((r) => r.id === mark.actor)) {
    // Read after the row: if an actor changed since, the row's version changed too and the write below fails.
    const { data } = await NotificationActorEntity.query
      .byOrder({ rowId })
      .go({ order: "desc", limit: RECENT + 1, consistent: true });
    recent = data
      .filter((a) => a.actor !== mark.actor)
      .slice(0, RECENT)
      .map((a) => ({ id: a.actor, at: a.at }));
  }
  // Taking an actor away neither moves the row nor changes whether it is read.
  const next: Row = { ...row, actorCount, recent, version: row.version + 1 };
  const outcome = await transact((entities) => ({
    row: entities.ntfRow
      .put(next)
      .where((a, op) => op.eq(a.version, row.version))
      .commit(),
    slot: entities.ntfSlot.put({ ...next, inbox: recipient }).commit(),
    mark: entities.ntfMark
      .put(markItem(mark, tombstone(event, markId)))
      .where(markCondition(mark))
      .commit(),
    ...memberSteps(entities),
    ...recipientSteps(entities, recipient),
  }));
  if (gone(outcome)) return GONE;
  if (!outcome.ok) return undefined;
  return {
    outcome: "retracted",
    id: rowId,
    item: (await toItems([next], state.gen))[0]!,
    unread: await storedUnread(recipient),
  };
}

type StepEntities = Parameters<Parameters<typeof transact>[0]>[0];

/**
 * Every write for a recipient holds only while they are a user whose deletion nobody asked for: an event the stream
 * delivers after (or while) the account sweeper ran leaves nothing of them behind.
 */
const recipientSteps = ({ user, deletion }: StepEntities, recipient: string) => ({
  recipientExists: user
    .check({ userId: recipient })
    .where((a, op) => op.exists(a.userId))
    .commit(),
  recipientStays: deletion
    .check({ userId: recipient })
    .where((a, op) => op.notExists(a.requestedAt))
    .commit(),
});
const gone = (outcome: Written<string>) =>
  !outcome.ok && outcome.failed.some((name) => name === "recipientExists" || name === "recipientStays");
/** The answer for a recipient who is gone or going: nothing written, nothing to count. */
const GONE: Applied = { outcome: "noop", unread: 0 };

/** The exact count moves by `delta` only if no "mark all read" happened since the rows were judged. */
function stateStep(ntfState: StepEntities["ntfState"], recipient: string, gen: number, delta: number) {
  return ntfState
    .update({ recipient })
    .add({ unread: delta })
    .where((a, op) => (gen === 0 ? `${op.notExists(a.gen)} OR ${op.eq(a.gen, 0)}` : op.eq(a.gen, gen)))
    .commit();
}

interface MarkFields {
  recipient: string;
  markId: string;
  state: "live" | "tomb";
  at: number;
  actor: string;
  rowId?: string;
  expireAt?: number;
}

/** A mark replaces the one read (same version) or none: concurrent events on one mark never both win. */
const markItem = (before: Mark | undefined, fields: MarkFields) => ({
  ...fields,
  version: (before?.version ?? 0) + 1,
});
const markCondition =
  (before: Mark | undefined) =>
  <V>(a: { version: V }, op: { eq: (attr: V, value: number) => string; notExists: (attr: V) => string }) =>
    before ? op.eq(a.version, before.version) : op.notExists(a.version);

const liveMark = (event: Parsed, markId: string, rowId: string): MarkFields => ({
  recipient: event.recipient,
  markId,
  state: "live",
  at: event.at,
  actor: event.actor,
  rowId,
});

const tombstone = (event: Parsed, markId: string): MarkFields => ({
  recipient: event.recipient,
  markId,
  state: "tomb",
  at: event.at,
  actor: event.actor,
  expireAt: Math.floor(Date.now() / 1000) + TOMBSTONE_TTL_SECONDS,
});

/** An answer that wrote nothing: the row as it is. */
async function settled(outcome: Outcome, recipient: string, rowId: string): Promise<Applied> {
  const [state, row] = await Promise.all([stateOf(recipient), rowOf(recipient, rowId)]);
  return {
    outcome,
    id: rowId,
    ...(row ? { item: (await toItems([row], state.gen))[0]! } : {}),
    unread: state.unread,
  };
}

const subjectOf = (event: Parsed): Row["subject"] =>
  event.subject && {
    kind: event.subject.kind,
    id: event.subject.id,
    ...(event.subject.text !== undefined ? { text: preview(event.subject.text) } : {}),
  };

/** The newest actors, newest first, with `actor` at its (new) time. */
export function withRecent(recent: { id: string; at: number }[], actor: { id: string; at: number }) {
  return [...recent.filter((r) => r.id !== actor.id), actor]
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
    .slice(0, RECENT);
}

const isUnread = (row: { unread: boolean; gen: number }, gen: number) => row.unread && row.gen === gen;

async function stateOf(recipient: string): Promise<State> {
  const { data } = await NotificationStateEntity.get({ recipient }).go({ consistent: true });
  return { unread: data?.unread ?? 0, gen: data?.gen ?? 0 };
}

async function markOf(recipient: string, markId: string): Promise<Mark | undefined> {
  const { data } = await NotificationMarkEntity.get({ recipient, markId }).go({ consistent: true });
  return data ?? undefined;
}

async function rowOf(recipient: string, rowId: string): Promise<Row | undefined> {
  const { data } = await NotificationRowEntity.get({ recipient, rowId }).go({ consistent: true });
  return data ?? undefined;
}

async function memberOf(rowId: string, actor: string): Promise<Member | undefined> {
  const { data } = await NotificationMemberEntity.get({ rowId, actor }).go({ consistent: true });
  return data ?? undefined;
}

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));

/** Profile cards of `ids` in one batch get; deleted and suspended accounts are left out. */
export async function cards(ids: string[]): Promise<Map<string, Sender>> {
  const profiles = await Users.many(ids);
  return new Map(
    [...profiles].map(([id, p]) => [
      id,
      { id, handle: p.handle, displayName: p.displayName, avatarUrl: p.avatarUrl },
    ]),
  );
}

/** Rows as the API shows them, their actors' cards read in one batch. */
async function toItems(rows: Row[], gen: number): Promise<NotificationItem[]> {
  const byId = await cards(rows.flatMap((row) => row.recent.map((r: Recent) => r.id)));
  return rows.map((row) => ({
    id: row.rowId,
    type: row.type as NotificationItem["type"],
    groupKey: row.groupKey,
    actors: row.recent.flatMap((r: Recent) => byId.get(r.id) ?? []),
    actorCount: row.actorCount,
    ...(row.subject
      ? {
          subject: {
            kind: row.subject.kind as "post" | "room" | "call",
            id: row.subject.id,
            ...(row.subject.text !== undefined ? { text: row.subject.text } : {}),
          },
        }
      : {}),
    read: !isUnread(row, gen),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  }));
}

const clampLimit = (limit?: number) => Math.min(Math.max(Math.trunc(limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);

const ORDER = /^\d{15}#ntf_[0-9a-f]{32}$/;
const ACTOR_ORDER = /^\d{15}#.+$/;

function orderFrom(cursor: string | undefined, field: string, pattern: RegExp): string | undefined {
  const key = Cursor.decode(cursor);
  if (!key) return undefined;
  const value = key[field];
  if (typeof value !== "string" || !pattern.test(value))
    throw new VisibleError(
      "input",
      "cursor.invalid",
      "The cursor is not valid; start again from the first page.",
    );
  return value;
}

/** Newest first by updatedAt: one strongly consistent key query of the slots, then one batch get of cards. */
export async function list(
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ items: NotificationItem[]; cursor: string | null; unread: number }> {
  const limit = clampLimit(options.limit);
  const from = orderFrom(options.cursor, "o", ORDER);
  const query = NotificationSlotEntity.query.byOrder({ inbox: userId });
  const [page, state, hidden] = await Promise.all([
    (from ? query.lt({ order: from }) : query).go({ order: "desc", limit: limit + 1, consistent: true }),
    stateOf(userId),
    hiddenFor(userId),
  ]);
  const shownUnread = unreadShown(userId, state, hidden);
  shownUnread.catch(() => undefined);
  const rows = page.data.slice(0, limit);
  // Rows from before a block or mute: the hidden leave the actors; a row with none left is not shown.
  // Suspended actors have no card (`cards`), so they leave the same way until the lift; a moderator's notice stays.
  const items = (await toItems(rows, state.gen)).flatMap((item, i) => {
    const carded = item.type === "moderation.removed" ? item.actors.length : (rows[i]?.recent.length ?? 0);
    const actors = item.actors.filter((a) => !hidden.users.has(a.id));
    if (actors.length === carded) return [item];
    return actors.length === 0
      ? []
      : [
          {
            ...item,
            actors,
            actorCount: Math.max(actors.length, item.actorCount - (carded - actors.length)),
          },
        ];
  });
  return {
    items,
    cursor: page.data.length > limit ? Cursor.encode({ o: rows.at(-1)!.order }) : null,
    unread: await shownUnread,
  };
}

/** The exact number of unread rows stored: what the consumer's live events carry. */
async function storedUnread(userId: string): Promise<number> {
  return (await stateOf(userId)).unread;
}

/** The number of unread rows the list shows (the bell's count): the stored count less the rows it leaves out. */
export async function unread(userId: string): Promise<number> {
  const [state, hidden] = await Promise.all([stateOf(userId), hiddenFor(userId)]);
  return unreadShown(userId, state, hidden);
}

// Unread rows looked at for ones the list leaves out; the bell shows "99+" past 99, so more would not show.
const UNREAD_LOOKED_AT = 100;

/**
 * The stored count less the unread rows `list` leaves out (every actor suspended, deleted, blocked or muted). The
 * unread rows are the newest (an event moves its row to the top, unread; marking read takes a row and all older
 * ones), so one key query of the newest slots finds them, plus one projected batch get of their actors.
 */
async function unreadShown(userId: string, state: State, hidden: Hidden): Promise<number> {
  if (state.unread <= 0) return 0;
  const { data } = await NotificationSlotEntity.query.byOrder({ inbox: userId }).go({
    order: "desc",
    limit: Math.min(state.unread, UNREAD_LOOKED_AT),
    consistent: true,
    attributes: ["type", "recent", "unread", "gen"],
  });
  const unreadRows = data.filter((row) => isUnread(row, state.gen));
  const gone = await Users.goneAmong(unreadRows.flatMap((row) => row.recent.map((r: Recent) => r.id)));
  const carded = (id: string) => !gone.has(id);
  const leftOut = unreadRows.filter((row) =>
    isLeftOut(
      row.type,
      row.recent.map((r: Recent) => r.id),
      carded,
      hidden.users,
    ),
  ).length;
  return Math.max(0, state.unread - leftOut);
}

/**
 * Whether `list` leaves a row out: it has actors and none is left once those without a card (suspended, deleted)
 * and those the reader hides go. A moderator's notice counts only its carded actors, so it always stays.
 */
function isLeftOut(
  type: string,
  actorIds: string[],
  carded: (id: string) => boolean,
  hidden: ReadonlySet<string>,
) {
  const counted = type === "moderation.removed" ? actorIds.filter(carded) : actorIds;
  return counted.length > 0 && !counted.some((id) => carded(id) && !hidden.has(id));
}

const notFound = () => new VisibleError("not-found", "notification.not_found", "No such notification.");

/** All read (O(1): a new read generation), or the row `upTo` and every older one by updatedAt. */
export async function markRead(userId: string, upTo?: string): Promise<{ unread: number }> {
  if (upTo === undefined) {
    await NotificationStateEntity.update({ recipient: userId }).add({ gen: 1 }).set({ unread: 0 }).go();
    return { unread: 0 };
  }
  const head = await rowOf(userId, upTo);
  if (!head) throw notFound();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await stateOf(userId);
    const { data } = await NotificationSlotEntity.query
      .byOrder({ inbox: userId })
      .lte({ order: head.order })
      .where((a, op) => `${op.eq(a.unread, true)} AND ${op.eq(a.gen, state.gen)}`)
      .go({ order: "desc", pages: "all", consistent: true });
    if (data.length === 0) return { unread: await unread(userId) };
    let lost = false;
    for (let i = 0; i < data.length && !lost; i += READ_CHUNK) {
      const chunk = data.slice(i, i + READ_CHUNK);
      const outcome = await transact(({ ntfRow, ntfSlot, ntfState }) => ({
        rows: chunk.map((row) =>
          ntfRow
            .patch({ recipient: userId, rowId: row.rowId })
            .set({ unread: false, version: row.version + 1 })
            .where((a, op) => op.eq(a.version, row.version))
            .commit(),
        ),
        slots: chunk.map((row) =>
          ntfSlot
            .patch({ inbox: userId, order: row.order })
            .set({ unread: false, version: row.version + 1 })
            .commit(),
        ),
        state: stateStep(ntfState, userId, state.gen, -chunk.length),
      }));
      lost = !outcome.ok;
    }
    if (!lost) return { unread: await unread(userId) };
    await backoff(attempt);
  }
  throw new Error(`markRead ${upTo}: still contended after ${MAX_ATTEMPTS} attempts`);
}

/** Everyone on a row, newest first, as profile cards; a row that is not the user's is not found. */
export async function actors(
  userId: string,
  id: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ items: Sender[]; cursor: string | null }> {
  const row = await rowOf(userId, id);
  if (!row) throw notFound();
  const limit = clampLimit(options.limit);
  const from = orderFrom(options.cursor, "a", ACTOR_ORDER);
  const query = NotificationActorEntity.query.byOrder({ rowId: id });
  const page = await (from ? query.lt({ order: from }) : query).go({
    order: "desc",
    limit: limit + 1,
    consistent: true,
  });
  const shown = page.data.slice(0, limit);
  const byId = await cards(shown.map((a) => a.actor));
  return {
    items: shown.flatMap((a) => byId.get(a.actor) ?? []),
    cursor: page.data.length > limit ? Cursor.encode({ a: shown.at(-1)!.order }) : null,
  };
}

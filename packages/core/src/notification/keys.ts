import { createHash } from "node:crypto";
import type { NotificationType } from "@asyncsns/realtime";

// Pure key design of the store: ids, group keys and sort orders (unit-tested without a table).

const hash = (parts: (string | null)[]) =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);

/** The per-actor record's id: a redelivered event derives the same one, so it is never counted twice. */
export function notificationId(
  recipient: string,
  type: NotificationType,
  subjectId: string | undefined,
  actorOrObject: string,
): string {
  return `ntf_${hash(["mark", recipient, type, subjectId ?? null, actorOrObject])}`;
}

/** A row's (group's) id, the one the API shows: per recipient and group key. */
export function rowIdOf(recipient: string, groupKey: string): string {
  return `ntf_${hash(["row", recipient, groupKey])}`;
}

/** `yyyy-mm-dd` of a time in UTC. */
export const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Follows group per UTC day of `at`; everything else per subject: a liked or reposted post and a chat room gather
 * many actors, while a reply, a mentioning post and a missed call are subjects of their own (one row each).
 */
export function groupKeyOf(type: NotificationType, subjectId: string | undefined, at: number): string {
  if (type === "follow") return `follow:${utcDay(at)}`;
  if (!subjectId) throw new Error(`A ${type} notification needs a subject.`);
  return `${type}:${subjectId}`;
}

// Milliseconds padded to a fixed width sort as strings; 15 digits last far beyond any clock.
const pad = (ms: number) => String(Math.max(0, Math.trunc(ms))).padStart(15, "0");

/** A row's place in the list: by updatedAt, ties broken by id, so a key is unique and moves only up. */
export const rowOrder = (updatedAt: number, rowId: string) => `${pad(updatedAt)}#${rowId}`;

/** An actor's place among a row's actors: by the time of their latest add. */
export const actorOrder = (at: number, actor: string) => `${pad(at)}#${actor}`;

/** Subject previews are bounded (the wire schema says 140 characters). */
export const PREVIEW_LENGTH = 140;
export const preview = (text: string) => Array.from(text).slice(0, PREVIEW_LENGTH).join("");

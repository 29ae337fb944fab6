import {
  NOTIFICATION_TYPES,
  NotificationPreference,
  type NotificationPreferences,
  type NotificationType,
} from "@asyncsns/realtime";
import * as z from "zod";
import { conditionally } from "../dynamo";
import * as Follow from "../follow";
import { NotificationPreferencesEntity } from "./notification.entity";

/** Any subset of the types (PUT's body); unknown keys are dropped. */
export const PreferencesPatch = z.object(
  Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, NotificationPreference.optional()])) as Record<
    NotificationType,
    z.ZodOptional<typeof NotificationPreference>
  >,
);
export type PreferencesPatch = z.input<typeof PreferencesPatch>;

export interface Relation {
  /** The recipient follows the actor. */
  following: boolean;
  /** The actor follows the recipient. */
  followedBy: boolean;
}

const MAX_ATTEMPTS = 10;

/** Everything in the app and pushed, from everyone. */
function defaults(): NotificationPreferences {
  return Object.fromEntries(
    NOTIFICATION_TYPES.map((type) => [type, { inApp: true, push: true, from: "everyone" }]),
  ) as NotificationPreferences;
}

/** Only known types with a valid shape count: a type added or renamed later falls back to its default. */
function known(stored: unknown): Partial<NotificationPreferences> {
  const parsed = PreferencesPatch.safeParse(stored ?? {});
  if (parsed.success) return stripped(parsed.data);
  const kept: Partial<NotificationPreferences> = {};
  for (const type of NOTIFICATION_TYPES) {
    const one = NotificationPreference.safeParse((stored as Record<string, unknown>)?.[type]);
    if (one.success) kept[type] = one.data;
  }
  return kept;
}

const stripped = (patch: z.output<typeof PreferencesPatch>) =>
  Object.fromEntries(
    Object.entries(patch).filter(([, v]) => v !== undefined),
  ) as Partial<NotificationPreferences>;

async function stored(userId: string) {
  const { data } = await NotificationPreferencesEntity.get({ recipient: userId }).go({ consistent: true });
  return data ?? undefined;
}

async function get(userId: string): Promise<NotificationPreferences> {
  return { ...defaults(), ...known((await stored(userId))?.types) };
}

/** Merges a subset into what is stored; a concurrent change is re-read, never overwritten. */
async function put(userId: string, partial: PreferencesPatch): Promise<NotificationPreferences> {
  const patch = stripped(PreferencesPatch.parse(partial));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await stored(userId);
    const types = { ...known(before?.types), ...patch };
    const written = await conditionally(
      NotificationPreferencesEntity.put({ recipient: userId, types, version: (before?.version ?? 0) + 1 })
        .where((a, op) => (before ? op.eq(a.version, before.version) : op.notExists(a.version)))
        .go(),
    );
    if (written) return { ...defaults(), ...types };
  }
  throw new Error(`preferences of ${userId}: still contended after ${MAX_ATTEMPTS} attempts`);
}

/** Both follow edges between recipient and actor, read side by side. */
async function relation(recipient: string, actor: string): Promise<Relation> {
  const [following, followedBy] = await Promise.all([
    Follow.exists(recipient, actor),
    Follow.exists(actor, recipient),
  ]);
  return { following, followedBy };
}

/** The `from` rule: following = the recipient follows the actor, followers = the actor follows the recipient. */
function allows(pref: NotificationPreference, relation: Relation): boolean {
  switch (pref.from) {
    case "everyone":
      return true;
    case "following":
      return relation.following;
    case "followers":
      return relation.followedBy;
    case "mutuals":
      return relation.following && relation.followedBy;
  }
}

export const Preferences = { defaults, get, put, relation, allows, schema: PreferencesPatch };

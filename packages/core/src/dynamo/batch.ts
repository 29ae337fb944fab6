import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type KeysAndAttributes,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { createConversions, type Entity } from "electrodb";
import { client, table } from "./index";

/** BatchGetItem's limit per call. */
export const MAX_KEYS = 100;
const MAX_ATTEMPTS = 8;

export type Key = Record<string, unknown>;
export type Item = Record<string, unknown>;

// biome-ignore lint/suspicious/noExplicitAny: any entity of the table
type AnyEntity = Entity<any, any, any, any>;
const tableKeys = new WeakMap<AnyEntity, (key: Key) => Key>();

/** An ElectroDB entity's table key for `key`, by its own key conversion (cheaper than building a request). */
export function keyOf(entity: AnyEntity, key: Key): Key {
  let toKey = tableKeys.get(entity);
  if (!toKey) {
    const indexes = Object.entries(entity.schema.indexes as Record<string, { index?: string }>);
    const [table] = indexes.find(([, index]) => !index.index)!;
    const conversion = createConversions(entity).byAccessPattern[table]!.fromComposite;
    toKey = (composite) => conversion.toKeys(composite as never, { strict: "all" });
    tableKeys.set(entity, toKey);
  }
  return toKey(key);
}

/** A key's (or a stored item's) identity: its table key. */
export const idOf = (key: Key) => `${String(key.pk)}\u0000${String(key.sk)}`;

/** Items read ahead of knowing exactly which are needed: the keys asked for, and what came back. */
export interface Prefetched {
  asked: Set<string>;
  items: Item[];
}

/** Reads `keys` now (see getMany), to be drawn on by a read that learns its own keys later (readWith). */
export async function prefetch(keys: Key[]): Promise<Prefetched> {
  return { asked: new Set(keys.map(idOf)), items: await getMany(keys) };
}

/** Keys already read ahead are not read again, so an unchanged page costs no batch get. */
export async function readWith(keys: Key[], ahead: Prefetched | undefined): Promise<Item[]> {
  if (!ahead) return getMany(keys);
  const wanted = new Set(keys.map(idOf));
  const missing = keys.filter((key) => !ahead.asked.has(idOf(key)));
  const known = ahead.items.filter((item) => wanted.has(idOf(item)));
  return missing.length ? [...known, ...(await getMany(missing))] : known;
}

/** BatchGetItem caps a request at 100 keys and may leave some unprocessed, so chunking and retries live here. */
export async function getMany(keys: Key[]): Promise<Item[]> {
  const unique = [...new Map(keys.map((key) => [idOf(key), key])).values()];
  const chunks = Array.from({ length: Math.ceil(unique.length / MAX_KEYS) }, (_, i) =>
    unique.slice(i * MAX_KEYS, (i + 1) * MAX_KEYS),
  );
  const pages = await Promise.all(chunks.map((chunk) => getChunk(chunk.map((key) => marshall(key)))));
  return pages.flat();
}

async function getChunk(keys: Record<string, AttributeValue>[]): Promise<Item[]> {
  const name = table();
  const items: Item[] = [];
  let pending: KeysAndAttributes | undefined = { Keys: keys };
  for (let attempt = 0; pending?.Keys?.length; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error(`batch get left ${pending.Keys.length} keys unread`);
    // Unprocessed keys mean throttling: back off before asking again.
    if (attempt) await new Promise((r) => setTimeout(r, 10 * 2 ** attempt));
    const out: BatchGetItemCommandOutput = await client.send(
      new BatchGetItemCommand({ RequestItems: { [name]: pending } }),
    );
    for (const item of out.Responses?.[name] ?? []) items.push(unmarshall(item));
    pending = out.UnprocessedKeys?.[name];
  }
  return items;
}

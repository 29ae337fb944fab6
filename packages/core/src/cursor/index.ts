export * as Cursor from "./index";

import * as z from "zod";
import { VisibleError } from "../error";

// Opaque to clients, versioned so the key layout can change without breaking saved links.
const Envelope = z.object({ v: z.literal(1), k: z.record(z.string(), z.union([z.string(), z.number()])) });

export type Key = Record<string, string | number>;

export function encode(key: Key | null | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify({ v: 1, k: key })).toString("base64url");
}

export function decode(cursor: string | null | undefined): Key | undefined {
  if (!cursor) return undefined;
  try {
    return Envelope.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))).k;
  } catch {
    throw new VisibleError(
      "input",
      "cursor.invalid",
      "The cursor is not valid; start again from the first page.",
    );
  }
}

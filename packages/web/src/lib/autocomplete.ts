// Composer autocomplete without React: what to ask for, in what order to offer it, and what a pick inserts.
import type { Text } from "@asyncsns/core/text";
import type { ListedProfile } from "./api-types";
import { searchApi } from "./search-api";

export type Suggestion =
  | {
      kind: "person";
      key: string;
      handle: string;
      displayName: string;
      avatarUrl: string | null;
      followed: boolean;
    }
  | { kind: "tag"; key: string; tag: string; count: number };

/** How many suggestions the list shows; more are asked for so people one follows can be put first. */
export const SHOWN = 8;
const ASKED = 20;

/** People one follows first, each group in the index's order. */
export function orderPeople(people: readonly ListedProfile[]): Suggestion[] {
  return [...people]
    .sort((a, b) => Number(b.followedByMe) - Number(a.followedByMe))
    .slice(0, SHOWN)
    .map((p) => ({
      kind: "person",
      key: `@${p.handle}`,
      handle: p.handle,
      displayName: p.displayName,
      avatarUrl: p.avatarUrl,
      followed: p.followedByMe,
    }));
}

/** The suggestions for what is being typed; `signal` cancels a request the typing has made stale. */
export async function suggest(typing: Text.Typing, signal: AbortSignal): Promise<Suggestion[]> {
  if (typing.kind === "mention") {
    const page = await searchApi.users(typing.query, null, { limit: ASKED, signal });
    return orderPeople(page.items);
  }
  const page = await searchApi.tags(typing.query, { limit: SHOWN, signal });
  return page.items.map((t) => ({ kind: "tag", key: `#${t.tag}`, tag: t.tag, count: t.count }));
}

/** The text with the typed word replaced by the pick and one space after it, and where the caret goes. */
export function complete(
  text: string,
  typing: Pick<Text.Typing, "start" | "end">,
  pick: Suggestion,
): { text: string; caret: number } {
  const word = pick.kind === "person" ? `@${pick.handle}` : `#${pick.tag}`;
  const rest = text.slice(typing.end);
  const space = /^\s/.test(rest) ? "" : " ";
  const head = text.slice(0, typing.start) + word + space;
  // The caret lands after the space, whether it was added or already there.
  return { text: head + rest, caret: head.length + (space ? 0 : 1) };
}

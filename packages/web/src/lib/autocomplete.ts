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
      /** One of the people the page offers first (a chat room's members). */
      member?: boolean;
    }
  | { kind: "tag"; key: string; tag: string; count: number };

/** How many suggestions the list shows; more are asked for so people one follows can be put first. */
export const SHOWN = 8;
const ASKED = 20;

/** One person as a suggestion; `member`: one of the people the page offers first. */
function personSuggestion(
  p: { handle: string; displayName: string; avatarUrl: string | null },
  followed: boolean,
  member?: true,
): Suggestion {
  return {
    kind: "person",
    key: `@${p.handle}`,
    handle: p.handle,
    displayName: p.displayName,
    avatarUrl: p.avatarUrl,
    followed,
    ...(member ? { member } : {}),
  };
}

/** People one follows first, each group in the index's order. */
export function orderPeople(people: readonly ListedProfile[]): Suggestion[] {
  return [...people]
    .sort((a, b) => Number(b.followedByMe) - Number(a.followedByMe))
    .slice(0, SHOWN)
    .map((p) => personSuggestion(p, p.followedByMe));
}

/** Someone the page already knows (a chat room's member), offered before anyone the search finds. */
export interface KnownPerson {
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

/** Whether a known person matches what is typed after @: the handle or a word of the name starts with it. */
export function matchesPerson(person: KnownPerson, query: string): boolean {
  const q = query.toLowerCase();
  return (
    person.handle.toLowerCase().startsWith(q) ||
    person.displayName
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(q))
  );
}

/** The known people who match first (in the page's order), then the search's people (followed first), each once. */
export function mergePeople(
  known: readonly KnownPerson[],
  query: string,
  found: readonly ListedProfile[],
): Suggestion[] {
  const first: Suggestion[] = known
    // A member shown like a deleted account has no handle to insert.
    .filter((p) => p.handle !== "" && matchesPerson(p, query))
    .slice(0, SHOWN)
    .map((p) =>
      personSuggestion(
        p,
        found.some((f) => f.handle === p.handle && f.followedByMe),
        true,
      ),
    );
  const seen = new Set(first.map((p) => p.key));
  const rest = orderPeople(found.filter((p) => !seen.has(`@${p.handle}`)));
  return [...first, ...rest].slice(0, SHOWN);
}

/**
 * The suggestions for what is being typed; `signal` cancels a request the typing has made stale. `known` people
 * (a chat room's members) who match come before the search's.
 */
export async function suggest(
  typing: Text.Typing,
  signal: AbortSignal,
  known: readonly KnownPerson[] = [],
): Promise<Suggestion[]> {
  if (typing.kind === "mention") {
    const found = await searchApi.users(typing.query, null, { limit: ASKED, signal }).then(
      (page) => page.items,
      // Without the search, the known people are still worth offering (a cancelled request offers nothing).
      (err: unknown) => {
        if (signal.aborted || !known.length) throw err;
        return [];
      },
    );
    return mergePeople(known, typing.query, found);
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

import { Text } from "@asyncsns/core/text";
import { describe, expect, it } from "vitest";
import type { ListedProfile } from "../src/lib/api-types";
import {
  complete,
  matchesPerson,
  mergePeople,
  orderPeople,
  SHOWN,
  type Suggestion,
} from "../src/lib/autocomplete";

const person = (handle: string, followedByMe = false): ListedProfile =>
  ({
    id: `u_${handle}`,
    handle,
    displayName: handle.toUpperCase(),
    avatarUrl: null,
    followedByMe,
  }) as ListedProfile;

const pick = (handle: string): Suggestion => ({
  kind: "person",
  key: `@${handle}`,
  handle,
  displayName: handle,
  avatarUrl: null,
  followed: false,
});

describe("composer autocomplete", () => {
  it("puts people one follows first, keeping the index's order within each group", () => {
    const people = [person("kaa"), person("kab", true), person("kac"), person("kad", true)];
    expect(orderPeople(people).map((p) => (p.kind === "person" ? p.handle : ""))).toEqual([
      "kab",
      "kad",
      "kaa",
      "kac",
    ]);
    expect(orderPeople(Array.from({ length: 20 }, (_, i) => person(`k${i}`)))).toHaveLength(SHOWN);
  });

  it("offers a chat room's members who match first, then the search's people followed first, each once", () => {
    const members = [
      { handle: "mika", displayName: "Mika Sato", avatarUrl: null },
      { handle: "kenta", displayName: "Kenta", avatarUrl: null },
      { handle: "ryo", displayName: "Ryo Kato", avatarUrl: null },
    ];
    const found = [person("kaa"), person("kenta", true), person("kab", true)];
    const merged = mergePeople(members, "K", found);
    expect(merged.map((p) => (p.kind === "person" ? [p.handle, p.member ?? false, p.followed] : []))).toEqual(
      [
        ["kenta", true, true],
        ["ryo", true, false],
        ["kab", false, true],
        ["kaa", false, false],
      ],
    );
    // Without members, it is the post composer's order.
    expect(mergePeople([], "k", found)).toEqual(orderPeople(found));
    const many = Array.from({ length: 12 }, (_, i) => ({
      handle: `k${i}`,
      displayName: "",
      avatarUrl: null,
    }));
    expect(mergePeople(many, "k", found)).toHaveLength(SHOWN);
  });

  it("matches a known person by the start of the handle or of a word of the name, in any case", () => {
    const mika = { handle: "mika_s", displayName: "Mika Sato", avatarUrl: null };
    expect(matchesPerson(mika, "MI")).toBe(true);
    expect(matchesPerson(mika, "sat")).toBe(true);
    expect(matchesPerson(mika, "ika")).toBe(false);
    expect(matchesPerson(mika, "_s")).toBe(false);
  });

  it("replaces the whole word at the caret with the pick and one space", () => {
    const text = "hi @kaXY there";
    const typing = Text.typingAt(text, 6);
    expect(typing).not.toBeNull();
    expect(complete(text, typing!, pick("kai"))).toEqual({ text: "hi @kai there", caret: 8 });
    const end = "こんにちは@ka";
    expect(complete(end, Text.typingAt(end, end.length)!, pick("kai"))).toEqual({
      text: "こんにちは@kai ",
      caret: 10,
    });
  });

  it("inserts a tag as the server normalised it, after a full-width sign too", () => {
    const text = "今日は＃とう";
    const typing = Text.typingAt(text, text.length)!;
    const done = complete(text, typing, { kind: "tag", key: "#東京", tag: "東京", count: 3 });
    expect(done).toEqual({ text: "今日は#東京 ", caret: 7 });
    expect(Text.parse(done.text).hashtags).toEqual(["東京"]);
  });
});

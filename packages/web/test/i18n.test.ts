import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { ja } from "../src/i18n/ja";
import { type Lang, pluralArgs, translate } from "../src/i18n/translate";
import { ApiError } from "../src/lib/api";
import { CognitoError } from "../src/lib/cognito";
import { apiErrorMessage, authErrorMessage } from "../src/lib/errors";

const t = (lang: Lang) => (key: keyof typeof en, vars?: Record<string, string | number>) =>
  translate(lang, key, vars);

describe("dictionaries", () => {
  it("translate every key with the same placeholders", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key], key).not.toBe("");
      // A plural argument's name counts once; the braces of its forms are text, with their own placeholders.
      const placeholders = (s: string): string[] => {
        const args = pluralArgs(s);
        const outside = args.reduceRight<string>((t, arg) => t.slice(0, arg.start) + t.slice(arg.end), s);
        const inside = args.flatMap((arg) => Object.values(arg.forms).flatMap(placeholders));
        const plain = [...outside.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
        return [...new Set([...args.map((arg) => arg.name), ...inside, ...plain])].sort();
      };
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders", () => {
    expect(translate("en", "confirm.lead", { email: "a@b.c" })).toBe(
      "Enter the 6-digit code we emailed to a@b.c.",
    );
  });
});

// Placeholders that hold a number of things; in English each needs a plural form unless no noun follows it.
const COUNTS = new Set(["count", "n", "max", "likes", "reposts", "replies", "others", "total"]);
/** English messages where a count stands alone or after the noun, so "1" and "2" read the same. */
const NO_NOUN: Partial<Record<keyof typeof en, string>> = {
  "profile.bioCount": "12 / 160",
  "composer.count": "12 / 500",
  "composer.dropHint": "Up to 4.",
  "post.media.view": "View image 1 of 3",
  "lightbox.position": "Image 1 of 3",
  "chat.unread": "3 unread",
  "chat.readBy": "Read by 3",
  "chat.reactionLabel": "👍 3",
  "chat.reactionMine": "👍 3, including you",
  "nav.chatUnread": "Chat, 3 unread",
  "chat.attachment": "Attachment 2",
  "notifications.bellUnread": "Notifications, 3 unread",
  "notifications.seeAll": "See all 3",
  "discover.reason.friends": "Followed by 3 you follow",
};

describe("plurals", () => {
  const keys = Object.keys(en) as (keyof typeof en)[];

  it("give every English count a one and an other form", () => {
    const missing: string[] = [];
    for (const key of keys) {
      const template: string = en[key];
      for (const arg of pluralArgs(template))
        expect(Object.keys(arg.forms).sort(), key).toEqual(expect.arrayContaining(["one", "other"]));
      const outside = pluralArgs(template).reduceRight<string>(
        (s, arg) => s.slice(0, arg.start) + s.slice(arg.end),
        template,
      );
      // A unit symbol ("5 MB", "40%") has no plural.
      const bare = [...outside.replace(/\{\w+\} ?(MB|%)/g, "").matchAll(/\{(\w+)\}/g)]
        .map((m) => m[1] as string)
        .filter((v) => COUNTS.has(v));
      if (bare.length && !NO_NOUN[key]) missing.push(`${key}: "${template}"`);
    }
    expect(missing, "these need {x, plural, one {…} other {…}}").toEqual([]);
  });

  it("leave no message with a count glued to a fixed plural noun", () => {
    for (const key of keys) expect(en[key], key).not.toMatch(/\(s\)|\b1 \w+s\b/);
  });

  it("parse in every language, Japanese with one form for every number", () => {
    for (const key of keys) {
      expect(() => pluralArgs(ja[key]), key).not.toThrow();
      for (const arg of pluralArgs(ja[key])) expect(arg.forms.other, key).toBeDefined();
    }
  });

  it("choose the form by the number and format the number for the language", () => {
    const readOnly = (n: number, lang: Lang = "en") =>
      translate(lang, "public.readOnly", { likes: n, reposts: 0, replies: n });
    expect(readOnly(1)).toBe("1 like · 0 reposts · 1 reply");
    expect(readOnly(2)).toBe("2 likes · 0 reposts · 2 replies");
    expect(readOnly(1234)).toBe("1,234 likes · 0 reposts · 1,234 replies");
    expect(readOnly(1, "ja")).toBe("いいね 1 · リポスト 0 · 返信 1");
    expect(translate("en", "notifications.actors.title", { count: 1 })).toBe("1 person");
    expect(translate("en", "notifications.actors.title", { count: 5 })).toBe("5 people");
    expect(translate("en", "discover.trendingPeople", { count: 1 })).toBe("1 person");
    expect(translate("en", "notifications.seeAllLabel", { count: 3, sentence: "x" })).toBe(
      "See all 3 people in: x",
    );
    expect(translate("en", "timeline.newPosts", { count: 1 })).toBe("1 new post");
    // A label after a number shown on its own agrees with it too.
    expect(translate("en", "profile.followers", { count: 1 })).toBe("Follower");
    expect(translate("en", "profile.followers", { count: 0 })).toBe("Followers");
    expect(translate("ja", "profile.followers", { count: 1 })).toBe("フォロワー");
    expect(translate("ja", "timeline.newPosts", { count: 2 })).toBe("新しい投稿 2 件");
  });

  it("keep the other placeholders of a plural message for later filling", () => {
    expect(translate("en", "notifications.who.others", { n: 1 })).toBe("{a} and 1 other");
    expect(translate("en", "notifications.who.others", { n: 4 })).toBe("{a} and 4 others");
  });
});

describe("error messages", () => {
  it("localizes Cognito exceptions and falls back to the server's message", () => {
    expect(authErrorMessage(t("en"), new CognitoError("UsernameExistsException", "x"))).toMatch(
      /already exists/,
    );
    expect(authErrorMessage(t("ja"), new CognitoError("CodeMismatchException", "x"))).toMatch(
      /コードが正しくありません/,
    );
    expect(authErrorMessage(t("en"), new CognitoError("WeirdException", "odd thing"))).toMatch(/odd thing/);
  });

  it("localizes API error codes, then statuses", () => {
    expect(apiErrorMessage(t("en"), new ApiError("profile.handle_taken", 409, "taken"))).toMatch(
      /handle is taken/,
    );
    expect(apiErrorMessage(t("en"), new ApiError("rate.limited", 429, "slow"))).toMatch(/bit fast/);
    expect(apiErrorMessage(t("en"), new ApiError("post.something", 400, "server says no"))).toMatch(
      /server says no/,
    );
  });

  it("says not found when a room or call is refused because the person was suspended meanwhile (404)", () => {
    const suspended = new ApiError("profile.not_found", 404, "No one has the handle @gone.");
    expect(apiErrorMessage(t("en"), suspended)).toBe("Profile not found.");
    expect(apiErrorMessage(t("ja"), suspended)).toBe("プロフィールが見つかりません。");
  });
});

describe("rate limits", () => {
  const limited = (retryAfter: number, action?: string) =>
    new ApiError("rate.limited", 429, "server words", retryAfter, action);

  it("name the limit and the wait in both languages", () => {
    expect(apiErrorMessage(t("en"), limited(281, "post"))).toBe(
      "You're posting too fast — try again in 5 minutes.",
    );
    expect(apiErrorMessage(t("ja"), limited(281, "post"))).toBe(
      "投稿のペースが速すぎます。5分後にもう一度お試しください。",
    );
    expect(apiErrorMessage(t("en"), limited(40, "message"))).toBe(
      "You're sending messages too fast — try again in 40 seconds.",
    );
    expect(apiErrorMessage(t("ja"), limited(3 * 3600, "upload"))).toMatch(/3時間後/);
    expect(apiErrorMessage(t("en"), limited(60, "follow"))).toMatch(/following and unfollowing.*1 minute\./);
  });

  it("fall back to a general message for a limit the web does not know", () => {
    expect(apiErrorMessage(t("en"), limited(1, "somethingNew"))).toBe(
      "You're going too fast — try again in 1 second.",
    );
  });
});

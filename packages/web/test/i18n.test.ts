import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { ja } from "../src/i18n/ja";
import { type Lang, translate } from "../src/i18n/translate";
import { ApiError } from "../src/lib/api";
import { CognitoError } from "../src/lib/cognito";
import { apiErrorMessage, authErrorMessage } from "../src/lib/errors";

const t = (lang: Lang) => (key: keyof typeof en, vars?: Record<string, string | number>) =>
  translate(lang, key, vars);

describe("dictionaries", () => {
  it("translate every key with the same placeholders", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key], key).not.toBe("");
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders", () => {
    expect(translate("en", "confirm.lead", { email: "a@b.c" })).toBe(
      "Enter the 6-digit code we emailed to a@b.c.",
    );
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

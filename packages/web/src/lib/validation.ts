// The same profile and password rules the API and Cognito enforce, checked in the browser first.
import { Text } from "@asyncsns/core/text";
import { checkText } from "@asyncsns/core/util";

export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,20}$/;
export const DISPLAY_NAME_MAX = Text.Limits.DISPLAY_NAME.max;
export const BIO_MAX = Text.Limits.BIO.max;
export const PASSWORD_MIN = 8;

export type HandleProblem = "required" | "invalid" | null;

const segmenter =
  typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** Counts user-perceived characters, as the API does (an emoji with modifiers is one). */
export function graphemeLength(text: string): number {
  if (!segmenter) return [...text].length;
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

export function normalizeHandle(input: string): string {
  return input.trim().replace(/^@/, "");
}

export function checkHandle(handle: string): HandleProblem {
  if (handle === "") return "required";
  return HANDLE_PATTERN.test(handle) ? null : "invalid";
}

export function checkDisplayName(name: string): "required" | "tooLong" | null {
  const trimmed = name.trim();
  if (trimmed === "") return "required";
  const rule = Text.Limits.DISPLAY_NAME;
  return checkText(trimmed, rule)?.code === rule.code ? "tooLong" : null;
}

export function checkBio(bio: string): "tooLong" | null {
  const rule = Text.Limits.BIO;
  return checkText(bio, rule)?.code === rule.code ? "tooLong" : null;
}

export interface PasswordRules {
  length: boolean;
  lowercase: boolean;
  number: boolean;
}

export function passwordRules(password: string): PasswordRules {
  return {
    length: password.length >= PASSWORD_MIN,
    lowercase: /[a-z]/.test(password),
    number: /[0-9]/.test(password),
  };
}

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

/** A same-origin path to return to after sign-in; anything else (null) falls back to home. */
export function safeNext(next: string | null, origin = globalThis.location?.origin): string | null {
  if (!next || !origin) return null;
  // Browsers drop tabs and newlines and read "\\" as "/" in URLs: only the URL parser decides where `next` goes.
  if (!next.startsWith("/") || /[\p{Cc}\\]/u.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.com" resolves to the path "//evil.com", which a router would read as another host.
  if (url.origin !== new URL(origin).origin || path.startsWith("//")) return null;
  return path;
}

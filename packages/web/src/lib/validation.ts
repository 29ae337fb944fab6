// The same profile and password rules the API and Cognito enforce, checked in the browser first.
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,20}$/;
export const DISPLAY_NAME_MAX = 50;
export const BIO_MAX = 300;
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
  return graphemeLength(trimmed) > DISPLAY_NAME_MAX ? "tooLong" : null;
}

export function checkBio(bio: string): "tooLong" | null {
  return graphemeLength(bio) > BIO_MAX ? "tooLong" : null;
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

/** A same-origin path to return to after sign-in; anything else falls back to home. */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  return next;
}

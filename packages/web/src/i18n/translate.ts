// Message lookup without React, so libraries and unit tests can use it.
import { en, type MessageKey, type Messages } from "./en";
import { ja } from "./ja";

export type Lang = "en" | "ja";
export const LANGS: readonly { code: Lang; label: string }[] = [
  { code: "en", label: "English" },
  { code: "ja", label: "日本語" },
];
const dictionaries: Record<Lang, Messages> = { en, ja };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const template = dictionaries[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

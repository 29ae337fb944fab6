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
  const { number } = rulesOf(lang);
  const show = (value: string | number) => (typeof value === "number" ? number.format(value) : value);
  return expandPlurals(lang, template, vars).replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? show(vars[name] as string | number) : match,
  );
}

export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** An ICU plural argument, `{count, plural, one {# reply} other {# replies}}`: its variable and its forms. */
export interface PluralArg {
  name: string;
  forms: Record<string, string>;
  start: number;
  end: number;
}

const PLURAL_START = /\{(\w+),\s*plural,/g;

/** The plural arguments of a message, in order (the subset of ICU MessageFormat the catalog uses). */
export function pluralArgs(template: string): PluralArg[] {
  const args: PluralArg[] = [];
  for (const match of template.matchAll(PLURAL_START)) {
    const forms: Record<string, string> = {};
    let i = match.index + match[0].length;
    for (;;) {
      while (/\s/.test(template[i] ?? "")) i++;
      if (template[i] === "}" || i >= template.length) break;
      const selector = /^(=\d+|zero|one|two|few|many|other)\s*\{/.exec(template.slice(i));
      if (!selector) throw new Error(`Bad plural form at ${i} in "${template}"`);
      i += selector[0].length;
      let depth = 1;
      const from = i;
      for (; i < template.length && depth > 0; i++) {
        if (template[i] === "{") depth++;
        else if (template[i] === "}") depth--;
      }
      if (depth > 0) throw new Error(`Unclosed plural form in "${template}"`);
      forms[selector[1] as string] = template.slice(from, i - 1);
    }
    if (template[i] !== "}") throw new Error(`Unclosed plural in "${template}"`);
    args.push({ name: match[1] as string, forms, start: match.index, end: i + 1 });
  }
  return args;
}

const rules = new Map<Lang, { plural: Intl.PluralRules; number: Intl.NumberFormat }>();
function rulesOf(lang: Lang) {
  let r = rules.get(lang);
  if (!r) {
    r = { plural: new Intl.PluralRules(lang), number: new Intl.NumberFormat(lang) };
    rules.set(lang, r);
  }
  return r;
}

// `#` in the chosen form is the number, formatted for the language ("1,234 replies").
function expandPlurals(lang: Lang, template: string, vars: Record<string, string | number>): string {
  const args = pluralArgs(template);
  if (!args.length) return template;
  const { plural, number } = rulesOf(lang);
  let out = "";
  let last = 0;
  for (const arg of args) {
    const value = vars[arg.name];
    const n = typeof value === "number" ? value : Number(value);
    const form =
      (Number.isFinite(n) ? (arg.forms[`=${n}`] ?? arg.forms[plural.select(n)]) : undefined) ??
      arg.forms.other ??
      "";
    const shown = typeof value === "number" ? number.format(value) : String(value ?? "");
    out += template.slice(last, arg.start) + form.replace(/#/g, shown);
    last = arg.end;
  }
  return out + template.slice(last);
}

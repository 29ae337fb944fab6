"use client";
// Language state: English and Japanese, persisted in localStorage, defaulting to the browser's language.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { type Lang, type Translate, translate } from "./translate";

export { hasMessage, LANGS, type Lang, type Translate, translate } from "./translate";

const STORAGE_KEY = "asyncsns.lang";

function preferredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "ja") return stored;
  } catch {
    // Storage unavailable: fall back to the browser's language.
  }
  const browser =
    typeof navigator === "undefined" ? [] : [...(navigator.languages ?? []), navigator.language];
  return browser.some((l) => l?.toLowerCase().startsWith("ja")) ? "ja" : "en";
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  formatNumber: (n: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  // The static HTML is English; the stored or browser preference applies right after hydration.
  const [lang, setLangState] = useState<Lang>("en");

  useEffect(() => {
    setLangState(preferredLang());
    const onStorage = (e: StorageEvent) => {
      if (e.key === STORAGE_KEY && (e.newValue === "en" || e.newValue === "ja")) setLangState(e.newValue);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; still switched for this page.
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const numbers = new Intl.NumberFormat(lang);
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      formatNumber: (n) => numbers.format(n),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

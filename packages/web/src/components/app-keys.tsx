"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n";
import { useApp } from "../lib/app-context";

/** The home composer's text box (the first composer that is not a reply), focused and scrolled to. */
export function focusComposer(): boolean {
  const box = document.querySelector<HTMLTextAreaElement>("form.composer textarea.composer-text");
  if (!box) return false;
  box.scrollIntoView({ block: "center" });
  box.focus();
  return true;
}

/** Writing a post from anywhere: on home the composer, elsewhere home with the composer asked for. */
export function useCompose() {
  const router = useRouter();
  const pathname = usePathname();
  return () => {
    if (pathname === "/" && focusComposer()) return;
    router.push("/?compose=1");
  };
}

const typing = (target: EventTarget | null) => {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
};

/** Moves focus to the next or previous post card on the page. */
function move(step: 1 | -1) {
  const cards = [...document.querySelectorAll<HTMLElement>("main article.post-card")];
  if (!cards.length) return;
  const at = cards.findIndex((c) => c === document.activeElement || c.contains(document.activeElement));
  const next =
    cards[
      at === -1 ? (step === 1 ? 0 : cards.length - 1) : Math.min(Math.max(at + step, 0), cards.length - 1)
    ];
  next?.focus();
  next?.scrollIntoView({ block: "nearest" });
}

/** j/k between posts, n to write, / to search, ? for the list; never while typing or with a modifier. */
export function KeyboardShortcuts() {
  const { t } = useI18n();
  const { auth } = useApp();
  const router = useRouter();
  const compose = useCompose();
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const composeRef = useRef(compose);
  composeRef.current = compose;

  useEffect(() => {
    if (!auth.signedIn) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || typing(e.target)) return;
      if (document.querySelector("dialog[open]") && e.key !== "?") return;
      switch (e.key) {
        case "j":
          move(1);
          break;
        case "k":
          move(-1);
          break;
        case "n":
          composeRef.current();
          break;
        case "/":
          router.push("/search/");
          break;
        case "?":
          setOpen(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [auth.signedIn, router]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const keys: [string, string][] = [
    ["j", t("shortcuts.next")],
    ["k", t("shortcuts.previous")],
    ["n", t("shortcuts.compose")],
    ["/", t("shortcuts.search")],
    ["?", t("shortcuts.help")],
  ];
  return (
    <dialog
      ref={dialog}
      className="dialog shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      onClose={() => setOpen(false)}
    >
      <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
      <dl className="shortcuts-list">
        {keys.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
        {t("shortcuts.close")}
      </button>
    </dialog>
  );
}

/** Phones: a floating button that writes a post (the tab bar is the header's nav, pinned to the bottom). */
export function ComposeButton() {
  const { t } = useI18n();
  const { auth } = useApp();
  const compose = useCompose();
  if (!auth.signedIn) return null;
  return (
    <button type="button" className="compose-fab" onClick={compose} aria-label={t("tabbar.compose")}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
        <path fill="currentColor" d="M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6V5Z" />
      </svg>
    </button>
  );
}

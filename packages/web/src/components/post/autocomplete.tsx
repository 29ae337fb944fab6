"use client";
import { Text } from "@asyncsns/core/text";
import {
  type CompositionEvent,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { useI18n } from "../../i18n";
import { complete, type KnownPerson, type Suggestion, suggest } from "../../lib/autocomplete";
import { Avatar } from "./post-card";

/** Waits for a pause in typing before asking the server. */
const DEBOUNCE_MS = 150;

const NO_ONE: readonly KnownPerson[] = [];

const keyOf = (typing: Text.Typing) => `${typing.kind}:${typing.start}:${typing.query}`;

interface Open {
  typing: Text.Typing;
  items: Suggestion[];
  active: number;
}

/**
 * @mention and #hashtag completion for a textarea (the WAI-ARIA combobox pattern): the textarea's props and the
 * listbox to render after it. Typing is never held up: requests wait for a pause and stale ones are cancelled.
 * `known` people (a chat room's members) are offered first when they match.
 */
export function useAutocomplete(
  textarea: RefObject<HTMLTextAreaElement | null>,
  text: string,
  onChange: (text: string) => void,
  known: readonly KnownPerson[] = NO_ONE,
) {
  const { t } = useI18n();
  const listId = useId();
  const [typing, setTyping] = useState<Text.Typing | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const composing = useRef(false);
  // The word Escape closed the list on: it stays closed until the word changes.
  const dismissed = useRef<string | null>(null);
  const caretAfter = useRef<number | null>(null);
  // Read when a request starts: a member joining or leaving does not restart one.
  const knownNow = useRef(known);
  knownNow.current = known;

  /** Reads the word at the caret again (after typing, a click or a caret move). */
  const update = useCallback(() => {
    const el = textarea.current;
    if (!el || composing.current) return;
    const next =
      el.selectionStart === el.selectionEnd && document.activeElement === el
        ? Text.typingAt(el.value, el.selectionStart)
        : null;
    setTyping((prev) => (prev && next && keyOf(prev) === keyOf(next) && prev.end === next.end ? prev : next));
  }, [textarea]);

  // Text set from outside (a draft restored, the box emptied after posting) is read again too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the text changes.
  useEffect(update, [text, update]);

  useEffect(() => {
    if (!typing || dismissed.current === keyOf(typing)) {
      setOpen(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      suggest(typing, controller.signal, knownNow.current)
        .then((items) => {
          if (controller.signal.aborted) return;
          setOpen(items.length ? { typing, items, active: 0 } : null);
        })
        // A failed suggestion is no error: the user can type the whole word.
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [typing]);

  // The list follows the word: while a new answer is on its way, the old one is still offered for it.
  const shown =
    open && typing && open.typing.kind === typing.kind && open.typing.start === typing.start ? open : null;

  useLayoutEffect(() => {
    const caret = caretAfter.current;
    const el = textarea.current;
    if (caret === null || !el) return;
    caretAfter.current = null;
    el.setSelectionRange(caret, caret);
  });

  const pick = (item: Suggestion) => {
    if (!shown) return;
    const done = complete(text, typing ?? shown.typing, item);
    caretAfter.current = done.caret;
    setOpen(null);
    setTyping(null);
    onChange(done.text);
    textarea.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    // Keys during IME composition belong to the IME (Enter commits the kana, not a suggestion).
    if (!shown || e.nativeEvent.isComposing || e.keyCode === 229) return false;
    const count = shown.items.length;
    const move = (active: number) => setOpen({ ...shown, active: (active + count) % count });
    switch (e.key) {
      case "ArrowDown":
        move(shown.active + 1);
        break;
      case "ArrowUp":
        move(shown.active - 1);
        break;
      case "Enter":
      case "Tab":
        if (e.shiftKey || e.metaKey || e.ctrlKey || e.altKey) return false;
        pick(shown.items[shown.active] as Suggestion);
        break;
      case "Escape":
        if (typing) dismissed.current = keyOf(typing);
        setOpen(null);
        break;
      default:
        return false;
    }
    e.preventDefault();
    e.stopPropagation();
    return true;
  };

  const activeId = shown ? `${listId}-${shown.active}` : undefined;

  // Keeps the active option in view in a list that scrolls.
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  // No role="combobox" or aria-expanded: a textarea may not take the role (ARIA in HTML), and its implicit textbox
  // role does not support aria-expanded, so axe flags either. aria-controls is there only while the list is open,
  // and the live status says how many suggestions it holds.
  const inputProps = {
    "aria-autocomplete": "list",
    "aria-controls": shown ? listId : undefined,
    "aria-activedescendant": activeId,
    onKeyDown,
    onSelect: update,
    onBlur: () => setTyping(null),
    onCompositionStart: () => {
      composing.current = true;
      setOpen(null);
    },
    onCompositionEnd: (_e: CompositionEvent<HTMLTextAreaElement>) => {
      composing.current = false;
      update();
    },
  } as const;

  const list = shown ? (
    <div
      id={listId}
      role="listbox"
      className="autocomplete"
      aria-label={shown.typing.kind === "mention" ? t("autocomplete.people") : t("autocomplete.tags")}
    >
      {shown.items.map((item, i) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the combobox (arrows and Enter).
        <div
          key={item.key}
          id={`${listId}-${i}`}
          role="option"
          tabIndex={-1}
          aria-selected={i === shown.active}
          className={i === shown.active ? "autocomplete-option active" : "autocomplete-option"}
          // The textarea keeps the focus (and the caret) while a pick is clicked.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => pick(item)}
        >
          {item.kind === "person" ? (
            <>
              <Avatar name={item.displayName} url={item.avatarUrl} size="small" />
              <span className="autocomplete-text">
                <span className="autocomplete-name">{item.displayName}</span>
                <span className="autocomplete-sub">@{item.handle}</span>
              </span>
              {item.member || item.followed ? (
                <span className="autocomplete-note">
                  {item.member ? t("autocomplete.member") : t("autocomplete.following")}
                </span>
              ) : null}
            </>
          ) : (
            <>
              <span className="autocomplete-text">
                <span className="autocomplete-name">#{item.tag}</span>
              </span>
              <span className="autocomplete-note">{t("search.tagCount", { count: item.count })}</span>
            </>
          )}
        </div>
      ))}
    </div>
  ) : null;

  const status = (
    <span className="visually-hidden" role="status">
      {shown ? t("autocomplete.count", { count: shown.items.length }) : ""}
    </span>
  );

  return { inputProps, list, status };
}

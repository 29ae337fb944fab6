"use client";
import { Text } from "@asyncsns/core/text";
import Link from "next/link";
import { Fragment, useMemo } from "react";
import { profileHref } from "../site-header";

export function tagHref(tag: string): string {
  return `/tag/?t=${encodeURIComponent(tag)}`;
}

type Range = { start: number; end: number };

/** A token's text with the search highlights that fall inside it (UTF-16 offsets into the whole text) as <mark>. */
function marked(text: string, offset: number, ranges: Range[] | undefined) {
  if (!ranges?.length) return text;
  const pieces: React.ReactNode[] = [];
  let at = 0;
  for (const r of ranges) {
    const start = Math.max(r.start - offset, at);
    const end = Math.min(r.end - offset, text.length);
    if (end <= start) continue;
    if (start > at) pieces.push(text.slice(at, start));
    pieces.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces;
}

/** Post text from the shared parser's tokens: React escapes every piece, so no HTML from a post ever runs. */
export function PostText({
  text,
  className,
  highlights,
}: {
  text: string;
  className?: string;
  /** Search matches to mark, as UTF-16 ranges of `text`. */
  highlights?: Range[];
}) {
  const tokens = useMemo(() => Text.parse(text).tokens, [text]);
  if (!text) return null;
  let offset = 0;
  return (
    <p className={className ? `post-text ${className}` : "post-text"}>
      {tokens.map((token, i) => {
        const key = `${i}-${token.type}`;
        const at = offset;
        offset += token.text.length;
        const shown = marked(token.text, at, highlights);
        switch (token.type) {
          case "mention":
            return (
              <Link key={key} href={profileHref(token.handle)} className="post-mention">
                {shown}
              </Link>
            );
          case "hashtag":
            return (
              <Link key={key} href={tagHref(token.tag)} className="post-hashtag">
                {shown}
              </Link>
            );
          case "link":
            return (
              <a
                key={key}
                href={token.url}
                target="_blank"
                rel="noopener noreferrer nofollow"
                className="post-link"
              >
                {shown}
              </a>
            );
          default:
            return <Fragment key={key}>{shown}</Fragment>;
        }
      })}
    </p>
  );
}

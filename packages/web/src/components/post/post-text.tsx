"use client";
import { Text } from "@asyncsns/core/text";
import Link from "next/link";
import { Fragment, useMemo } from "react";
import { profileHref } from "../site-header";

export function tagHref(tag: string): string {
  return `/tag/?t=${encodeURIComponent(tag)}`;
}

/** Post text from the shared parser's tokens: React escapes every piece, so no HTML from a post ever runs. */
export function PostText({ text, className }: { text: string; className?: string }) {
  const tokens = useMemo(() => Text.parse(text).tokens, [text]);
  if (!text) return null;
  return (
    <p className={className ? `post-text ${className}` : "post-text"}>
      {tokens.map((token, i) => {
        const key = `${i}-${token.type}`;
        switch (token.type) {
          case "mention":
            return (
              <Link key={key} href={profileHref(token.handle)} className="post-mention">
                {token.text}
              </Link>
            );
          case "hashtag":
            return (
              <Link key={key} href={tagHref(token.tag)} className="post-hashtag">
                {token.text}
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
                {token.text}
              </a>
            );
          default:
            return <Fragment key={key}>{token.text}</Fragment>;
        }
      })}
    </p>
  );
}

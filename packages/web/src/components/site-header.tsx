"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useI18n } from "../i18n";
import { useApp } from "../lib/app-context";
import { badgeText } from "../lib/notification-logic";
import { useChatUnread } from "./chat/chat-unread";
import { LanguageSwitch } from "./language-switch";
import { useNotifications } from "./notifications/notifications-provider";

export function profileHref(handle: string): string {
  return `/u/?h=${encodeURIComponent(handle)}`;
}

const ICONS = {
  shield:
    "M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm0 2.2 6 2.2V11c0 3.9-2.5 7.6-6 8.9-3.5-1.3-6-5-6-8.9V6.4l6-2.2Z",
  home: "M12 3 2 11h3v9h5v-6h4v6h5v-9h3L12 3Z",
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2Zm0 2v11.2L7.2 14H20V6H4Z",
  search:
    "M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z",
  bell: "M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2Zm6-6v-5c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1l-2-2Z",
  settings:
    "M19.4 13a7.6 7.6 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.5 7.5 0 0 0-1.7-1L15 3h-4l-.4 2.9a7.5 7.5 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.6 7.6 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.5 7.5 0 0 0 1.7 1L11 21h4l.4-2.9a7.5 7.5 0 0 0 1.7-1l2.5 1 2-3.5-2.2-1.6ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z",
  profile: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.5-8 5.5V21h16v-1.5c0-3-3.6-5.5-8-5.5Z",
};

export function SiteHeader() {
  const { t } = useI18n();
  const { auth, me, signOut } = useApp();
  const { unread } = useNotifications();
  const chatUnread = useChatUnread();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [signingOut, setSigningOut] = useState(false);

  const onHome = pathname === "/";
  const onOwnProfile =
    pathname === "/u/" && !!me && search.get("h")?.toLowerCase() === me.handle.toLowerCase();

  const handleSignOut = async () => {
    setSigningOut(true);
    await signOut();
    setSigningOut(false);
    router.replace("/");
  };

  const badge = badgeText(unread);
  const links: {
    href: string;
    label: string;
    current: boolean;
    icon: string;
    badge?: string;
    name?: string;
  }[] = [
    { href: "/", label: t("nav.home"), current: onHome, icon: ICONS.home },
    {
      href: "/search/",
      label: t("nav.search"),
      current: pathname.startsWith("/search/"),
      icon: ICONS.search,
    },
    ...(me
      ? [
          {
            href: "/notifications/",
            label: t("nav.notifications"),
            current: pathname.startsWith("/notifications/"),
            icon: ICONS.bell,
            badge,
            // The count is part of the name, so a screen reader hears it on the link.
            name: unread > 0 ? t("notifications.bellUnread", { count: unread }) : t("notifications.bell"),
          },
          {
            href: "/chat/",
            label: t("nav.chat"),
            current: pathname.startsWith("/chat/"),
            icon: ICONS.chat,
            badge: badgeText(chatUnread),
            name: chatUnread > 0 ? t("nav.chatUnread", { count: chatUnread }) : undefined,
          },
          {
            href: profileHref(me.handle),
            label: t("nav.profile"),
            current: onOwnProfile,
            icon: ICONS.profile,
          },
          {
            href: "/settings/",
            label: t("nav.settings"),
            current: pathname.startsWith("/settings/"),
            icon: ICONS.settings,
          },
          // Only for members of the Cognito group `moderators` (the claim in the access token).
          ...(auth.moderator
            ? [
                {
                  href: "/admin/",
                  label: t("nav.admin"),
                  current: pathname.startsWith("/admin/"),
                  icon: ICONS.shield,
                },
              ]
            : []),
        ]
      : [{ href: "/chat/", label: t("nav.chat"), current: pathname.startsWith("/chat/"), icon: ICONS.chat }]),
  ];

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            a
          </span>
          <span className="brand-name">{t("app.name")}</span>
        </Link>
        {auth.signedIn ? (
          <nav aria-label={t("nav.label")} className="site-nav">
            <ul>
              {links.map((link) => (
                <li key={link.href} className={link.href === "/settings/" ? "nav-item-settings" : undefined}>
                  <Link
                    href={link.href}
                    className={link.badge ? `nav-link nav-link-badge-${link.badge.length}` : "nav-link"}
                    aria-current={link.current ? "page" : undefined}
                    aria-label={link.name}
                  >
                    <span className="nav-icon">
                      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" className="icon">
                        <path fill="currentColor" d={link.icon} />
                      </svg>
                      {link.badge ? (
                        // Drawn by CSS from data-count: as text it would be part of the link's visible label,
                        // which must match its spoken name (WCAG 2.5.3, axe label-content-name-mismatch).
                        <span
                          className="nav-badge"
                          aria-hidden="true"
                          data-testid="unread-badge"
                          data-count={link.badge}
                        />
                      ) : null}
                    </span>
                    <span className="nav-text">{link.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="site-header-actions">
          {/* Signed in, a phone's header has no room for it: the settings page holds the language then. */}
          {auth.signedIn ? (
            <div className="hide-narrow">
              <LanguageSwitch />
            </div>
          ) : (
            <LanguageSwitch />
          )}
          {auth.signedIn && me ? (
            // Phones: the bottom tab bar holds five sections; settings stays up here.
            <Link href="/settings/" className="btn btn-ghost show-narrow" aria-label={t("nav.settings")}>
              <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" className="icon">
                <path fill="currentColor" d={ICONS.settings} />
              </svg>
            </Link>
          ) : null}
          {auth.signedIn ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={handleSignOut}
              disabled={signingOut}
              aria-busy={signingOut}
            >
              <svg
                aria-hidden="true"
                viewBox="0 0 24 24"
                width="20"
                height="20"
                className="icon sign-out-icon"
              >
                <path
                  fill="currentColor"
                  d="M10 3h9a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-9v-2h9V5h-9V3Zm-.6 4.4L11 6l5 6-5 6-1.6-1.4 3-3.6H3v-2h9.4l-3-3.6Z"
                />
              </svg>
              <span className="nav-text">{t("nav.signOut")}</span>
            </button>
          ) : (
            <>
              {pathname !== "/signin/" ? (
                <Link href="/signin/" className="btn btn-ghost hide-narrow">
                  {t("nav.signIn")}
                </Link>
              ) : null}
              {pathname !== "/signup/" ? (
                <Link href="/signup/" className="btn btn-primary hide-narrow">
                  {t("nav.signUp")}
                </Link>
              ) : null}
            </>
          )}
        </div>
      </div>
    </header>
  );
}

// Apart from storage.ts, so code that only maps keys to URLs (the CDN purge) bundles no S3 client or bucket link.

/** The browser-facing path of a served key (public/x → /media/x). */
export const urlOf = (publicKey: string) => `/media/${publicKey.replace(/^public\//, "")}`;

/** A profile picture's URL from the path its profile (or a copy of its card) stores, if it has one. */
export const avatarUrlOf = (avatarKey: string | undefined | null) => (avatarKey ? urlOf(avatarKey) : null);

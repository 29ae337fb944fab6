// Apart from storage.ts, so code that only maps keys to URLs (the CDN purge) bundles no S3 client or bucket link.

/** The browser-facing path of a served key (public/x → /media/x). */
export const urlOf = (publicKey: string) => `/media/${publicKey.replace(/^public\//, "")}`;

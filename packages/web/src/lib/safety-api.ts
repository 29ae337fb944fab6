// Blocks, mutes and muted words: the profile's menu and the settings page.
import { apiClient, ok } from "./api";

const user = (handle: string) => ({ params: { path: { handle } } });

/** The expiry choices the settings page offers, in seconds (none: forever). */
export const EXPIRY_CHOICES = [
  { key: "forever", seconds: undefined },
  { key: "day", seconds: 24 * 3600 },
  { key: "week", seconds: 7 * 24 * 3600 },
  { key: "month", seconds: 30 * 24 * 3600 },
] as const;
export type ExpiryKey = (typeof EXPIRY_CHOICES)[number]["key"];

export const safetyApi = {
  block: (handle: string) => ok(apiClient().POST("/api/users/{handle}/block", user(handle))),
  unblock: (handle: string) => ok(apiClient().DELETE("/api/users/{handle}/block", user(handle))),
  mute: (handle: string) => ok(apiClient().POST("/api/users/{handle}/mute", user(handle))),
  unmute: (handle: string) => ok(apiClient().DELETE("/api/users/{handle}/mute", user(handle))),
  blocks: () => ok(apiClient().GET("/api/me/blocks", { params: { query: { limit: 100 } } })),
  mutes: () => ok(apiClient().GET("/api/me/mutes", { params: { query: { limit: 100 } } })),
  words: () => ok(apiClient().GET("/api/me/muted-words")),
  addWord: (word: string, expiresIn?: number) =>
    ok(apiClient().POST("/api/me/muted-words", { body: { word, ...(expiresIn ? { expiresIn } : {}) } })),
  removeWord: (id: string) =>
    ok(apiClient().DELETE("/api/me/muted-words/{id}", { params: { path: { id } } })),
};

// A tiny in-page bus so every list showing a post (timelines, threads) follows creates, edits and deletes.
import type { Post } from "./api-types";

export interface LocalPost {
  /** The temporary id the post has until the server answers. */
  tempId: string;
  state: "pending" | "failed";
  error?: string;
  retry: () => void;
  discard: () => void;
}

export type PostEvent =
  /** Shown at once, before the server has it (again on each retry or failure). */
  | { type: "optimistic"; post: Post; local: LocalPost }
  /** The server's version replaces the optimistic one. */
  | { type: "confirmed"; tempId: string; post: Post }
  | { type: "updated"; post: Post }
  | { type: "deleted"; id: string };

type Listener = (event: PostEvent) => void;
const listeners = new Set<Listener>();

export const postEvents = {
  emit(event: PostEvent): void {
    for (const listener of listeners) listener(event);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

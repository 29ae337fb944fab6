// Posts and messages on their way to the server: leaving the page while any is in flight asks first.

let inFlight = 0;

function onBeforeUnload(e: BeforeUnloadEvent) {
  e.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  e.returnValue = "";
}

/** Counts `work` as sending until it settles; returns it unchanged. */
export function sending<T>(work: Promise<T>): Promise<T> {
  if (inFlight++ === 0) window.addEventListener("beforeunload", onBeforeUnload);
  const done = () => {
    if (--inFlight === 0) window.removeEventListener("beforeunload", onBeforeUnload);
  };
  work.then(done, done);
  return work;
}

/** A composer's unsent text, kept per user and per thread so a reload or a crash loses nothing. */
export const drafts = {
  key: (userId: string, replyTo?: string) => `asyncsns.draft.${userId}.${replyTo ?? "post"}`,
  read(key: string): string {
    try {
      return localStorage.getItem(key) ?? "";
    } catch {
      return "";
    }
  },
  write(key: string, text: string): void {
    try {
      if (text) localStorage.setItem(key, text);
      else localStorage.removeItem(key);
    } catch {
      // Storage full or blocked: the draft lives only on the page.
    }
  },
  /** Forgets the draft once the server has it, unless the box holds something newer. */
  clear(key: string, sent: string): void {
    if (drafts.read(key) === sent) drafts.write(key, "");
  },
};

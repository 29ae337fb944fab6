import { VisibleError } from "../../../error";

/** A file the stripper cannot walk to the end is never served, neither as uploaded nor half-stripped. */
export const malformed = (format: string, detail: string) =>
  new VisibleError("input", "media.unreadable", `Not a readable ${format} file: ${detail}.`);

import { ulid } from "ulid";

export type IdPrefix =
  | "pst"
  | "med"
  | "rom"
  | "msg"
  | "ntf"
  | "cal"
  | "mwd"
  | "evt"
  | "exp"
  | "key"
  | "rpt"
  | "cas"
  | "aud";

/** Prefixed ULIDs: sortable by time and self-describing in logs. */
export function createId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}

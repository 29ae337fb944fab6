import { DEFAULT_LIMITS, type Table } from "./rules";

// Set once per Lambda from its deploy's Limits link (as the fan-out threshold is); the defaults until then.
let current: Table = DEFAULT_LIMITS;

/** The limits this process enforces: the defaults, with the actions `rules` names replaced. */
export function configure(rules: Partial<Table>) {
  current = { ...DEFAULT_LIMITS, ...rules };
}

export const table = (): Table => current;

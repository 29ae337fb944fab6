import { DEFAULT_LIMITS, scaled } from "../packages/core/src/limit/rules";

// Per-user abuse limits (core/limit/rules.ts); suites that post a lot raise them with ASYNCSNS_LIMIT_FACTOR.
export const limitsConfig = new sst.Linkable("Limits", {
  properties: { rules: scaled(DEFAULT_LIMITS, Number(process.env.ASYNCSNS_LIMIT_FACTOR ?? 1)) },
});

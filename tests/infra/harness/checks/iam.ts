// IAM: each `*` grant and managed policy needs a reason in the allow-list; table access is exactly what is needed.
import { type FunctionView, type InfraGraph, type Statement, statementList, T } from "../graph";
import { type Problem, parsePolicy, problem } from "./shared";

export interface Wildcard {
  /** Who holds it: the function's logical name, or the role/policy resource name. */
  owner: string;
  kind: "action" | "resource" | "managed-policy";
  value: string;
}

export interface AllowedWildcard {
  owner: string | RegExp;
  kind: Wildcard["kind"];
  value: string | RegExp;
  reason: string;
}

const matches = (pattern: string | RegExp, value: string) =>
  typeof pattern === "string" ? pattern === value : pattern.test(value);

/** Every `*` in an Allow statement (action or resource) and every managed policy, per owner. */
export function findWildcards(graph: InfraGraph): Wildcard[] {
  const found: Wildcard[] = [];
  const fnByRole = new Map<string, FunctionView>();
  for (const fn of graph.functions()) if (fn.role) fnByRole.set(fn.role.name, fn);
  const add = (owner: string, statements: Statement[]) => {
    for (const st of statements.filter((x) => x.Effect === "Allow")) {
      for (const a of [...statementList(st, "Action"), ...statementList(st, "NotAction")])
        if (a.includes("*")) found.push({ owner, kind: "action", value: a });
      for (const r of [...statementList(st, "Resource"), ...statementList(st, "NotResource")])
        if (r.includes("*")) found.push({ owner, kind: "resource", value: r });
    }
  };
  for (const role of graph.findAll(T.role)) {
    const fn = fnByRole.get(role.name);
    const owner = fn?.logicalName ?? role.name;
    add(
      owner,
      fn
        ? graph.policiesOf(fn)
        : ((role.inputs.inlinePolicies as { policy?: string }[] | undefined) ?? []).flatMap((p) =>
            parsePolicy(p.policy),
          ),
    );
    for (const arn of (role.inputs.managedPolicyArns as string[] | undefined) ?? [])
      found.push({ owner, kind: "managed-policy", value: arn });
  }
  for (const p of graph.findAll(T.policy)) add(p.name, parsePolicy(p.inputs.policy));
  const unique = new Map(found.map((w) => [`${w.owner}|${w.kind}|${w.value}`, w]));
  return [...unique.values()];
}

/** Wildcards nobody explained: each needs an entry (with a reason) in the allow-list. */
export function checkWildcards(graph: InfraGraph, allowed: AllowedWildcard[]): Problem[] {
  return findWildcards(graph)
    .filter(
      (w) =>
        !allowed.some((a) => a.kind === w.kind && matches(a.owner, w.owner) && matches(a.value, w.value)),
    )
    .map((w) =>
      problem(
        "iam",
        w.owner,
        `${w.owner} is granted ${w.kind === "managed-policy" ? "managed policy" : `wildcard ${w.kind}`} ${w.value} with no reason in the allow-list`,
      ),
    );
}

/** DynamoDB actions that read and never change an item or a table. */
export const DYNAMODB_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];

export interface TableAccess {
  /** The function's handler as given to SST, e.g. `packages/functions/src/api/query.handler`. */
  handler: string;
  /** Actions allowed with no condition: the exact set, no wildcard. */
  actions: string[];
  /** Writes allowed only inside these partitions (`dynamodb:LeadingKeys`, StringLike patterns). */
  leadingKeyWrites?: { actions: string[]; leadingKeys: string[] };
}

interface TableGrant {
  actions: string[];
  leadingKeys?: string[];
}

/** The DynamoDB statements of a function's role that reach a table of this app (its ARN or below it). */
export function tableGrantsOf(graph: InfraGraph, fn: FunctionView): TableGrant[] {
  const tables = graph.tables().map((t) => String(t.outputs.arn));
  return graph
    .policiesOf(fn)
    .filter((st) => st.Effect === "Allow")
    .filter((st) =>
      statementList(st, "Resource").some((r) => tables.some((t) => r === t || r.startsWith(`${t}/`))),
    )
    .map((st) => {
      const condition = (st.Condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
      const keys = condition["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
      const other = Object.keys(condition).filter((k) => k !== "ForAllValues:StringLike");
      return {
        actions: statementList(st, "Action").filter((a) => a.startsWith("dynamodb:")),
        ...(keys !== undefined && other.length === 0 ? { leadingKeys: [keys].flat().map(String) } : {}),
      };
    });
}

/**
 * table-least-privilege: a function gets the table actions its handler needs, not the `dynamodb:*` SST's link
 * grants. AWS: "Security best practices in IAM — Apply least-privilege permissions",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege ; partitions by
 * "Using IAM policy conditions for fine-grained access control",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function checkTableAccess(graph: InfraGraph, expected: TableAccess[]): Problem[] {
  const out: Problem[] = [];
  const sorted = (list: string[]) => [...new Set(list)].sort();
  for (const rule of expected) {
    const fns = graph.functions().filter((fn) => fn.handler === rule.handler);
    if (fns.length === 0) out.push(problem("table-access", rule.handler, `no function runs ${rule.handler}`));
    for (const fn of fns) {
      const grants = tableGrantsOf(graph, fn);
      const plain = sorted(grants.filter((g) => !g.leadingKeys).flatMap((g) => g.actions));
      const scoped = grants.filter((g) => g.leadingKeys);
      if (JSON.stringify(plain) !== JSON.stringify(sorted(rule.actions)))
        out.push(
          problem(
            "table-access",
            fn.logicalName,
            `${fn.logicalName} may ${plain.join(", ") || "nothing"} on the table, not exactly ${sorted(rule.actions).join(", ")}`,
          ),
        );
      const wanted = rule.leadingKeyWrites;
      const scopedActions = sorted(scoped.flatMap((g) => g.actions));
      const scopedKeys = sorted(scoped.flatMap((g) => g.leadingKeys ?? []));
      if (
        JSON.stringify(scopedActions) !== JSON.stringify(sorted(wanted?.actions ?? [])) ||
        JSON.stringify(scopedKeys) !== JSON.stringify(sorted(wanted?.leadingKeys ?? []))
      )
        out.push(
          problem(
            "table-access",
            fn.logicalName,
            `${fn.logicalName} may ${scopedActions.join(", ") || "nothing"} in partitions ${scopedKeys.join(", ") || "none"}, not ${sorted(wanted?.actions ?? []).join(", ") || "nothing"} in ${sorted(wanted?.leadingKeys ?? []).join(", ") || "none"}`,
          ),
        );
    }
  }
  return out;
}

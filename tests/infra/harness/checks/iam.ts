// IAM wildcards: each `*` grant and managed policy needs a reason in the allow-list.
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

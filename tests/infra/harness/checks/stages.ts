// Stages: production keeps its data; personal stages remove everything; every stage passes every posture check.
import { type InfraGraph, T } from "../graph";
import type { MockedResource } from "../types";
import { checkCloudFront } from "./cloudfront";
import { checkFunctions, checkInstallPins, checkPowertoolsEnv, checkTraceWriting } from "./functions";
import { type AllowedWildcard, checkTableAccess, checkWildcards, type TableAccess } from "./iam";
import {
  checkDeadLetterQueues,
  checkEncryption,
  checkPointInTimeRecovery,
  checkPrivateBucket,
  checkQueuePolicies,
  checkSearchAccess,
  checkSearchReplicas,
  checkStreamSubscribers,
  checkStreamView,
  type StreamSubscriberIntent,
} from "./posture";
import { type Problem, problem } from "./shared";

const isDataBucket = (graph: InfraGraph, b: MockedResource) => {
  const component = graph.byName("sst:aws:Bucket", graph.componentOf(b) ?? "");
  return !component?.parent; // a site's asset bucket (parent StaticSite) is rebuilt on every deploy
};

/** Production keeps its data (retain on delete, deletion protection); personal stages remove everything. */
export function checkRemoval(graph: InfraGraph, accountLevel: string[] = []): Problem[] {
  const out: Problem[] = [];
  const production = graph.stage === "production";
  const tables = graph.tables();
  const buckets = graph.buckets().filter((b) => isDataBucket(graph, b));
  const pools = graph.findAll(T.userPool);
  if (production) {
    for (const r of [...tables, ...buckets])
      if (r.retainOnDelete !== true)
        out.push(problem("removal", r.name, `${r.name} is not retained on delete in production`));
    for (const t of tables)
      if (t.inputs.deletionProtectionEnabled !== true)
        out.push(problem("removal", t.name, `${t.name} has no deletion protection in production`));
    for (const p of pools)
      if (p.inputs.deletionProtection !== "ACTIVE")
        out.push(problem("removal", p.name, `${p.name} has no deletion protection in production`));
    if (graph.app.app.protect !== true)
      out.push(problem("removal", "app", "production is not protected from sst remove"));
    return out;
  }
  for (const r of graph.resources)
    if ((r.retainOnDelete || r.protect) && !accountLevel.includes(r.type))
      out.push(problem("removal", r.name, `${r.name} would survive removing personal stage ${graph.stage}`));
  for (const t of tables)
    if (t.inputs.deletionProtectionEnabled === true)
      out.push(
        problem("removal", t.name, `${t.name} has deletion protection in personal stage ${graph.stage}`),
      );
  for (const b of buckets)
    if (b.inputs.forceDestroy !== true)
      out.push(
        problem("removal", b.name, `${b.name} cannot be removed while it holds objects (no forceDestroy)`),
      );
  for (const p of pools)
    if (p.inputs.deletionProtection === "ACTIVE")
      out.push(
        problem("removal", p.name, `${p.name} has deletion protection in personal stage ${graph.stage}`),
      );
  return out;
}

export interface PostureRules {
  mediaReadable: string[];
  wildcards: AllowedWildcard[];
  tableAccess: TableAccess[];
  streamSubscribers: StreamSubscriberIntent[];
  /** The root package.json's `dependencies`, where SST reads `nodejs.install` versions. */
  dependencies: Record<string, string>;
  /** Handlers that may call the search domain. */
  searchClients: string[];
  /** The replicas the app gives an index on a domain of this many nodes. */
  replicasFor: (nodes: number) => number;
}

/** Every posture check at once, so each stage's graph (production too) is held to all of them. */
export function checkPosture(graph: InfraGraph, rules: PostureRules): Problem[] {
  return [
    ...checkPrivateBucket(graph, "Media", { readable: rules.mediaReadable }),
    ...checkEncryption(graph),
    ...checkPointInTimeRecovery(graph),
    ...checkDeadLetterQueues(graph),
    ...checkQueuePolicies(graph),
    ...checkFunctions(graph),
    ...checkTraceWriting(graph),
    ...checkPowertoolsEnv(graph),
    ...checkInstallPins(graph, rules.dependencies),
    ...checkCloudFront(graph),
    ...checkWildcards(graph, rules.wildcards),
    ...checkTableAccess(graph, rules.tableAccess),
    ...checkStreamView(graph),
    ...checkStreamSubscribers(graph, rules.streamSubscribers),
    ...checkSearchAccess(graph, rules.searchClients),
    ...checkSearchReplicas(graph, rules.replicasFor),
  ];
}

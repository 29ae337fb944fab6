// sst.aws.SnsTopic: the topic, function subscribers and queue subscribers with their filter policies.
import { logicalName, PULUMI_OUTPUT_TO_STRING, prettyHash } from "../naming";
import { COMPONENT, isComponent, output, serialize, unwrap } from "../output";
import { applyTransform, isFunctionSubscriber } from "./args";
import { Component } from "./component";
import type { Args, RecorderContext } from "./context";
import { buildFunction } from "./function";

/** What `transform.subscription` sets on the sns.TopicSubscription that changes delivery. */
function subscriptionTransform(args: Args, subName: string): { raw?: boolean; filterPolicyScope?: string } {
  const t = applyTransform(unwrap(args.transform)?.subscription, `${subName}Subscription`, {});
  const raw = unwrap(t.rawMessageDelivery);
  const scope = unwrap(t.filterPolicyScope);
  return { ...(raw ? { raw: Boolean(raw) } : {}), ...(scope ? { filterPolicyScope: String(scope) } : {}) };
}

export class SnsTopic extends Component {
  static override readonly sstType = "sst.aws.SnsTopic" as const;
  constructor(ctx: RecorderContext, name: string, args?: Args, opts?: Args) {
    super(ctx, "sst.aws.SnsTopic", name, args, opts);
    this.record({ arn: this.ref("arn") });
  }
  get arn() {
    return this.ref("arn");
  }
  subscribe(nameOrSubscriber: unknown, subscriberOrArgs?: unknown, maybeArgs?: unknown) {
    const topic = this[COMPONENT].name;
    const named = isFunctionSubscriber(subscriberOrArgs);
    const subscriber = named ? subscriberOrArgs : nameOrSubscriber;
    const args = ((named ? unwrap(maybeArgs) : unwrap(subscriberOrArgs)) ?? {}) as Args;
    let subName: string;
    if (named) subName = `${topic}Subscriber${nameOrSubscriber}`;
    else {
      const sub = unwrap(subscriber) as string | Args;
      const handler = typeof sub === "string" ? sub : sub.handler;
      const suffix = prettyHash(
        [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filter ?? {}), handler].join(""),
        6,
      );
      subName = `${topic}Subscriber${logicalName(suffix)}`;
    }
    const fn = buildFunction(this.ctx, `${subName}Function`, subscriber, {}, undefined, subName);
    this.ctx.topology.topicSubscriptions.push({
      name: subName,
      topic,
      function: fn,
      ...(args.filter ? { filter: serialize(args.filter) } : {}),
      ...subscriptionTransform(args, subName),
    });
    return output({ name: subName });
  }
  subscribeQueue(nameOrQueue: unknown, queueOrArgs?: unknown, maybeArgs?: unknown) {
    const topic = this[COMPONENT].name;
    const q = unwrap(queueOrArgs);
    const named = typeof nameOrQueue === "string" && (isComponent(q) || typeof q === "string");
    const queue = named ? q : unwrap(nameOrQueue);
    const args = ((named ? unwrap(maybeArgs) : q) ?? {}) as Args;
    const queueName = isComponent(queue) ? queue[COMPONENT].name : undefined;
    const subName = named
      ? `${topic}Subscriber${nameOrQueue}`
      : `${topic}Subscriber${logicalName(
          prettyHash(
            [PULUMI_OUTPUT_TO_STRING, JSON.stringify(args.filter ?? {}), String(serialize(queue))].join(""),
            6,
          ),
        )}`;
    this.ctx.topology.topicSubscriptions.push({
      name: subName,
      topic,
      queue: queueName ?? serialize(queue),
      ...(args.filter ? { filter: serialize(args.filter) } : {}),
      ...subscriptionTransform(args, subName),
    });
    return output({ name: subName });
  }
}

// The SNS query protocol (form-encoded `Action=Publish`, XML answers) that @aws-sdk/client-sns v3 speaks.
import { randomUUID } from "node:crypto";
import type { Messaging, PublishInput } from "./index";
import type { MessageAttributeValue } from "./queue-store";
import type { ApiResponse } from "./sqs-api";

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const esc = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

function xml(action: string, result: string): ApiResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body: `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function snsError(code: string, message: string, status = 400): ApiResponse {
  return {
    status,
    headers: { "content-type": "text/xml" },
    body: `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

type Params = Map<string, string>;

/** Indexes of a query-protocol list or map: `Prefix.member.N.` / `Prefix.entry.N.`. */
function indexes(p: Params, prefix: string): number[] {
  const found = new Set<number>();
  for (const key of p.keys()) {
    if (!key.startsWith(prefix)) continue;
    const n = Number.parseInt(key.slice(prefix.length), 10);
    if (Number.isInteger(n)) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

function messageAttributes(p: Params, prefix: string): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const n of indexes(p, `${prefix}MessageAttributes.entry.`)) {
    const base = `${prefix}MessageAttributes.entry.${n}.`;
    const name = p.get(`${base}Name`);
    const type = p.get(`${base}Value.DataType`);
    if (!name) continue;
    if (!type)
      throw new SnsError("InvalidParameterValue", `The message attribute '${name}' must contain a DataType.`);
    const s = p.get(`${base}Value.StringValue`);
    const b = p.get(`${base}Value.BinaryValue`);
    if (s === undefined && b === undefined)
      throw new SnsError(
        "ParameterValueInvalid",
        `The message attribute '${name}' must contain non-empty message attribute value.`,
      );
    out[name] = {
      DataType: type,
      ...(s !== undefined ? { StringValue: s } : {}),
      ...(b !== undefined ? { BinaryValue: b } : {}),
    };
  }
  return out;
}

function stringMap(p: Params, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of indexes(p, `${prefix}.entry.`)) {
    const key = p.get(`${prefix}.entry.${n}.key`) ?? p.get(`${prefix}.entry.${n}.Key`);
    const value = p.get(`${prefix}.entry.${n}.value`) ?? p.get(`${prefix}.entry.${n}.Value`);
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

function publishInput(p: Params, prefix: string): PublishInput {
  const message = p.get(`${prefix}Message`);
  if (message === undefined || message === "")
    throw new SnsError("InvalidParameter", "Invalid parameter: Empty message");
  if (Buffer.byteLength(message) > 262_144)
    throw new SnsError("InvalidParameter", "Invalid parameter: Message too long");
  const subject = p.get(`${prefix}Subject`);
  const groupId = p.get(`${prefix}MessageGroupId`);
  const deduplicationId = p.get(`${prefix}MessageDeduplicationId`);
  return {
    message,
    attributes: messageAttributes(p, prefix),
    ...(subject !== undefined ? { subject } : {}),
    ...(groupId ? { groupId } : {}),
    ...(deduplicationId ? { deduplicationId } : {}),
  };
}

function required(p: Params, name: string): string {
  const v = p.get(name);
  if (!v) throw new SnsError("InvalidParameter", `Invalid parameter: ${name}`);
  return v;
}

export function handleSns(m: Messaging, p: Params): ApiResponse {
  const action = p.get("Action") ?? "";
  try {
    switch (action) {
      case "Publish": {
        const arn = p.get("TopicArn") ?? p.get("TargetArn");
        if (!arn)
          throw new SnsError(
            "InvalidParameter",
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
          );
        const id = m.publish(arn, publishInput(p, ""));
        return xml("Publish", `<MessageId>${id}</MessageId>`);
      }
      case "PublishBatch": {
        const arn = required(p, "TopicArn");
        const entries = indexes(p, "PublishBatchRequestEntries.member.");
        if (entries.length === 0)
          throw new SnsError("EmptyBatchRequest", "The batch request doesn't contain any entries.");
        if (entries.length > 10)
          throw new SnsError(
            "TooManyEntriesInBatchRequest",
            "The batch request contains more entries than permissible.",
          );
        const ids = entries.map((n) => p.get(`PublishBatchRequestEntries.member.${n}.Id`) ?? "");
        if (new Set(ids).size !== ids.length)
          throw new SnsError(
            "BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id.",
          );
        m.topic(arn);
        const ok: string[] = [];
        const failed: string[] = [];
        entries.forEach((n, i) => {
          const id = ids[i]!;
          try {
            const messageId = m.publish(arn, publishInput(p, `PublishBatchRequestEntries.member.${n}.`));
            ok.push(`<member><Id>${esc(id)}</Id><MessageId>${messageId}</MessageId></member>`);
          } catch (err) {
            if (!(err instanceof SnsError)) throw err;
            failed.push(
              `<member><Id>${esc(id)}</Id><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message><SenderFault>true</SenderFault></member>`,
            );
          }
        });
        return xml(
          "PublishBatch",
          `<Successful>${ok.join("")}</Successful><Failed>${failed.join("")}</Failed>`,
        );
      }
      case "CreateTopic": {
        const arn = m.createTopic(required(p, "Name"));
        return xml("CreateTopic", `<TopicArn>${esc(arn)}</TopicArn>`);
      }
      case "ListTopics":
        return xml(
          "ListTopics",
          `<Topics>${m
            .topicArns()
            .map((a) => `<member><TopicArn>${esc(a)}</TopicArn></member>`)
            .join("")}</Topics>`,
        );
      case "GetTopicAttributes": {
        const arn = required(p, "TopicArn");
        const t = m.topic(arn);
        const attrs: Record<string, string> = {
          TopicArn: arn,
          Owner: m.accountId,
          DisplayName: "",
          SubscriptionsConfirmed: String(t.subscriptions.length),
          SubscriptionsPending: "0",
          SubscriptionsDeleted: "0",
        };
        return xml(
          "GetTopicAttributes",
          `<Attributes>${Object.entries(attrs)
            .map(([k, v]) => `<entry><key>${esc(k)}</key><value>${esc(v)}</value></entry>`)
            .join("")}</Attributes>`,
        );
      }
      case "Subscribe": {
        const attrs = stringMap(p, "Attributes");
        const arn = m.subscribe({
          topicArn: required(p, "TopicArn"),
          protocol: required(p, "Protocol"),
          endpoint: required(p, "Endpoint"),
          ...(attrs.FilterPolicy ? { filterPolicy: JSON.parse(attrs.FilterPolicy) } : {}),
          ...(attrs.FilterPolicyScope ? { filterPolicyScope: attrs.FilterPolicyScope as "MessageBody" } : {}),
          raw: attrs.RawMessageDelivery === "true",
        });
        return xml("Subscribe", `<SubscriptionArn>${esc(arn)}</SubscriptionArn>`);
      }
      case "Unsubscribe":
        m.unsubscribe(required(p, "SubscriptionArn"));
        return xml("Unsubscribe", "");
      case "ListSubscriptions":
      case "ListSubscriptionsByTopic": {
        const topicArn = p.get("TopicArn");
        const subs = m.subscriptions().filter((s) => !topicArn || s.topicArn === topicArn);
        if (topicArn) m.topic(topicArn);
        return xml(
          action,
          `<Subscriptions>${subs
            .map(
              (s) =>
                `<member><SubscriptionArn>${esc(s.arn)}</SubscriptionArn><Owner>${m.accountId}</Owner><Protocol>${s.protocol}</Protocol><Endpoint>${esc(s.endpoint)}</Endpoint><TopicArn>${esc(s.topicArn)}</TopicArn></member>`,
            )
            .join("")}</Subscriptions>`,
        );
      }
      default:
        return snsError("InvalidAction", `The action ${action} is not valid for this endpoint (local SNS).`);
    }
  } catch (err) {
    if (err instanceof SnsError) return snsError(err.code, err.message, err.status);
    if (err instanceof SyntaxError) return snsError("InvalidParameter", `Invalid parameter: ${err.message}`);
    throw err;
  }
}

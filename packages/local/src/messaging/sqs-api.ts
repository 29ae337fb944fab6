// The SQS JSON protocol (awsJson1_0, `X-Amz-Target: AmazonSQS.<Operation>`) that @aws-sdk/client-sqs v3 speaks.
import type { Messaging } from "./index";
import {
  type MessageAttributeValue,
  md5OfMessageAttributes,
  type QueueAttributes,
  QueueError,
  type StoredMessage,
} from "./queue-store";

type Json = Record<string, any>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** SQS error codes and the query-compatible code the SDK reads from x-amzn-query-error. */
const QUERY_CODES: Record<string, [string, number]> = {
  QueueDoesNotExist: ["AWS.SimpleQueueService.NonExistentQueue", 400],
  QueueNameExists: ["QueueAlreadyExists", 400],
  MessageNotInflight: ["AWS.SimpleQueueService.MessageNotInflight", 400],
  InvalidParameterValue: ["InvalidParameterValue", 400],
  MissingParameter: ["MissingParameter", 400],
  TooManyEntriesInBatchRequest: ["AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400],
  EmptyBatchRequest: ["AWS.SimpleQueueService.EmptyBatchRequest", 400],
  BatchEntryIdsNotDistinct: ["AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400],
  InvalidAction: ["InvalidAction", 400],
  InvalidAddress: ["InvalidAddress", 404],
};

function json(body: unknown): ApiResponse {
  return {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.0" },
    body: JSON.stringify(body),
  };
}

export function sqsError(code: string, message: string): ApiResponse {
  const [queryCode, status] = QUERY_CODES[code] ?? [code, 400];
  return {
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": `${queryCode};Sender`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }),
  };
}

const ATTRIBUTE_NAMES: Record<string, keyof QueueAttributes> = {
  VisibilityTimeout: "visibilityTimeout",
  DelaySeconds: "delaySeconds",
  MessageRetentionPeriod: "messageRetentionPeriod",
  ContentBasedDeduplication: "contentBasedDeduplication",
};

/** CreateQueue/SetQueueAttributes' string map into the store's attributes. */
function parseAttributes(m: Messaging, attrs: Record<string, string> | undefined): Partial<QueueAttributes> {
  const out: Partial<QueueAttributes> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (k === "RedrivePolicy") {
      const p = JSON.parse(v) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
      out.redrive = {
        deadLetterQueue: m.queueNameFromArn(p.deadLetterTargetArn),
        maxReceiveCount: Number(p.maxReceiveCount),
      };
    } else if (k === "ContentBasedDeduplication") out.contentBasedDeduplication = v === "true";
    else if (k in ATTRIBUTE_NAMES) (out as Record<string, unknown>)[ATTRIBUTE_NAMES[k]!] = Number(v);
  }
  return out;
}

function queueName(m: Messaging, url: unknown): string {
  if (typeof url !== "string" || !url) throw new QueueError("MissingParameter", "QueueUrl is required.");
  let name: string;
  try {
    name = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
  } catch {
    name = url.split("/").pop() ?? "";
  }
  if (!m.store.has(name)) throw new QueueError("QueueDoesNotExist", "The specified queue does not exist.");
  return name;
}

function wantsName(name: string, wanted: string[]): boolean {
  return wanted.some(
    (w) => w === "All" || w === ".*" || w === name || (w.endsWith(".*") && name.startsWith(w.slice(0, -1))),
  );
}

export function toResponseMessage(msg: StoredMessage, systemNames: string[], attributeNames: string[]) {
  const system: Record<string, string> = {
    SenderId: msg.senderId,
    SentTimestamp: String(msg.sentAt),
    ApproximateReceiveCount: String(msg.receiveCount),
    ApproximateFirstReceiveTimestamp: String(msg.firstReceivedAt ?? Date.now()),
    ...(msg.groupId ? { MessageGroupId: msg.groupId } : {}),
    ...(msg.deduplicationId ? { MessageDeduplicationId: msg.deduplicationId } : {}),
    ...(msg.sequenceNumber ? { SequenceNumber: msg.sequenceNumber } : {}),
    ...(msg.deadLetterQueueSourceArn ? { DeadLetterQueueSourceArn: msg.deadLetterQueueSourceArn } : {}),
  };
  const attributes = Object.fromEntries(Object.entries(system).filter(([k]) => wantsName(k, systemNames)));
  const messageAttributes = Object.fromEntries(
    Object.entries(msg.messageAttributes).filter(([k]) => wantsName(k, attributeNames)),
  );
  const attrMd5 = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: msg.id,
    ReceiptHandle: msg.receiptHandle ?? "",
    MD5OfBody: msg.md5OfBody,
    Body: msg.body,
    ...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
    ...(attrMd5 ? { MD5OfMessageAttributes: attrMd5, MessageAttributes: messageAttributes } : {}),
  };
}

function checkBatch(entries: unknown): Json[] {
  if (!Array.isArray(entries) || entries.length === 0)
    throw new QueueError("EmptyBatchRequest", "There should be at least one entry in the request.");
  if (entries.length > 10)
    throw new QueueError("TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10.");
  const ids = new Set(entries.map((e: Json) => e.Id));
  if (ids.size !== entries.length)
    throw new QueueError("BatchEntryIdsNotDistinct", "Two or more batch entries have the same Id.");
  return entries as Json[];
}

function validateAttributes(attrs: unknown): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries((attrs ?? {}) as Record<string, Json>)) {
    if (!v?.DataType)
      throw new QueueError("InvalidParameterValue", `The message attribute '${k}' must contain a DataType.`);
    out[k] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: String(v.StringValue) } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: String(v.BinaryValue) } : {}),
    };
  }
  return out;
}

function send(m: Messaging, queue: string, e: Json) {
  if (typeof e.MessageBody !== "string" || e.MessageBody === "")
    throw new QueueError("MissingParameter", "The request must contain the parameter MessageBody.");
  if (Buffer.byteLength(e.MessageBody) > 262_144)
    throw new QueueError(
      "InvalidParameterValue",
      "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.",
    );
  const messageAttributes = validateAttributes(e.MessageAttributes);
  const msg = m.store.send(queue, {
    body: e.MessageBody,
    messageAttributes,
    ...(e.DelaySeconds !== undefined ? { delaySeconds: Number(e.DelaySeconds) } : {}),
    ...(e.MessageGroupId ? { groupId: e.MessageGroupId } : {}),
    ...(e.MessageDeduplicationId ? { deduplicationId: e.MessageDeduplicationId } : {}),
  });
  const attrMd5 = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: msg.id,
    MD5OfMessageBody: msg.md5OfBody,
    ...(attrMd5 ? { MD5OfMessageAttributes: attrMd5 } : {}),
    ...(msg.sequenceNumber ? { SequenceNumber: msg.sequenceNumber } : {}),
  };
}

function batchError(e: unknown) {
  const err = e as QueueError;
  return { SenderFault: true, Code: err.code ?? "InternalError", Message: err.message };
}

export async function handleSqs(
  m: Messaging,
  operation: string,
  input: Json,
  signal: AbortSignal,
): Promise<ApiResponse> {
  try {
    switch (operation) {
      case "CreateQueue": {
        const name = String(input.QueueName ?? "");
        if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name))
          throw new QueueError(
            "InvalidParameterValue",
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
          );
        if (input.Attributes?.FifoQueue === "true" && !name.endsWith(".fifo"))
          throw new QueueError(
            "InvalidParameterValue",
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix.",
          );
        m.store.createQueue(name, parseAttributes(m, input.Attributes));
        return json({ QueueUrl: m.queueUrl(name) });
      }
      case "GetQueueUrl": {
        const name = String(input.QueueName ?? "");
        if (!m.store.has(name))
          throw new QueueError("QueueDoesNotExist", "The specified queue does not exist.");
        return json({ QueueUrl: m.queueUrl(name) });
      }
      case "ListQueues": {
        const prefix = String(input.QueueNamePrefix ?? "");
        return json({
          QueueUrls: m.store
            .names()
            .filter((n) => n.startsWith(prefix))
            .map((n) => m.queueUrl(n)),
        });
      }
      case "DeleteQueue":
        m.store.deleteQueue(queueName(m, input.QueueUrl));
        return json({});
      case "PurgeQueue":
        m.store.purge(queueName(m, input.QueueUrl));
        return json({});
      case "GetQueueAttributes": {
        const name = queueName(m, input.QueueUrl);
        const a = m.store.attributes(name);
        const c = m.store.counts(name);
        const all: Record<string, string> = {
          QueueArn: m.queueArn(name),
          VisibilityTimeout: String(a.visibilityTimeout),
          DelaySeconds: String(a.delaySeconds),
          MessageRetentionPeriod: String(a.messageRetentionPeriod),
          MaximumMessageSize: "262144",
          ReceiveMessageWaitTimeSeconds: "0",
          CreatedTimestamp: String(Math.floor(a.createdAt / 1000)),
          LastModifiedTimestamp: String(Math.floor(a.createdAt / 1000)),
          ApproximateNumberOfMessages: String(c.visible),
          ApproximateNumberOfMessagesNotVisible: String(c.inFlight),
          ApproximateNumberOfMessagesDelayed: String(c.delayed),
          ...(a.fifo
            ? { FifoQueue: "true", ContentBasedDeduplication: String(a.contentBasedDeduplication) }
            : {}),
          ...(a.redrive
            ? {
                RedrivePolicy: JSON.stringify({
                  deadLetterTargetArn: m.queueArn(a.redrive.deadLetterQueue),
                  maxReceiveCount: a.redrive.maxReceiveCount,
                }),
              }
            : {}),
        };
        const wanted = (input.AttributeNames as string[] | undefined) ?? ["All"];
        return json({
          Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => wantsName(k, wanted))),
        });
      }
      case "SetQueueAttributes": {
        m.store.setAttributes(queueName(m, input.QueueUrl), parseAttributes(m, input.Attributes));
        return json({});
      }
      case "SendMessage":
        return json(send(m, queueName(m, input.QueueUrl), input));
      case "SendMessageBatch": {
        const name = queueName(m, input.QueueUrl);
        const Successful: Json[] = [];
        const Failed: Json[] = [];
        for (const e of checkBatch(input.Entries)) {
          try {
            Successful.push({ Id: e.Id, ...send(m, name, e) });
          } catch (err) {
            Failed.push({ Id: e.Id, ...batchError(err) });
          }
        }
        return json({ Successful, Failed });
      }
      case "ReceiveMessage": {
        const name = queueName(m, input.QueueUrl);
        const max = Number(input.MaxNumberOfMessages ?? 1);
        if (!Number.isInteger(max) || max < 1 || max > 10)
          throw new QueueError(
            "InvalidParameterValue",
            "Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
          );
        const wait = Number(input.WaitTimeSeconds ?? 0);
        const visibility =
          input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
        const messages = await m.receiveWaiting(name, max, visibility, wait * 1000, signal);
        const systemNames = [
          ...((input.MessageSystemAttributeNames as string[]) ?? []),
          ...((input.AttributeNames as string[]) ?? []),
        ];
        const attributeNames = (input.MessageAttributeNames as string[]) ?? [];
        return json({
          Messages: messages.map((msg) => toResponseMessage(msg, systemNames, attributeNames)),
        });
      }
      case "DeleteMessage":
        m.store.delete(queueName(m, input.QueueUrl), String(input.ReceiptHandle ?? ""));
        return json({});
      case "DeleteMessageBatch": {
        const name = queueName(m, input.QueueUrl);
        const entries = checkBatch(input.Entries);
        for (const e of entries) m.store.delete(name, String(e.ReceiptHandle ?? ""));
        return json({ Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] });
      }
      case "ChangeMessageVisibility":
        m.store.changeVisibility(
          queueName(m, input.QueueUrl),
          String(input.ReceiptHandle ?? ""),
          Number(input.VisibilityTimeout ?? 0),
        );
        return json({});
      case "ChangeMessageVisibilityBatch": {
        const name = queueName(m, input.QueueUrl);
        const Successful: Json[] = [];
        const Failed: Json[] = [];
        for (const e of checkBatch(input.Entries)) {
          try {
            m.store.changeVisibility(name, String(e.ReceiptHandle ?? ""), Number(e.VisibilityTimeout ?? 0));
            Successful.push({ Id: e.Id });
          } catch (err) {
            Failed.push({ Id: e.Id, ...batchError(err) });
          }
        }
        return json({ Successful, Failed });
      }
      default:
        return sqsError(
          "InvalidAction",
          `The action ${operation} is not valid for this endpoint (local SQS).`,
        );
    }
  } catch (err) {
    if (err instanceof QueueError) return sqsError(err.code, err.message);
    if (err instanceof SyntaxError) return sqsError("InvalidParameterValue", err.message);
    throw err;
  }
}

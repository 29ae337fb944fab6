// Local SNS and SQS on one loopback port (AWS_ENDPOINT_URL_SNS/SQS), so the real SDK clients work unchanged.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { join } from "node:path";
import { passesFilterPolicy } from "./filter-policy";
import { type MessageAttributeValue, QueueStore, type StoredMessage } from "./queue-store";
import { handleSns, SnsError, snsError } from "./sns-api";
import { type ApiResponse, handleSqs, sqsError } from "./sqs-api";

export { QueueStore } from "./queue-store";

export interface PublishInput {
  message: string;
  subject?: string;
  attributes: Record<string, MessageAttributeValue>;
  groupId?: string;
  deduplicationId?: string;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  /** A queue ARN (sqs) or function ARN (lambda). */
  endpoint: string;
  filterPolicy?: unknown;
  filterPolicyScope?: "MessageAttributes" | "MessageBody";
  raw: boolean;
}

interface Topic {
  name: string;
  arn: string;
  subscriptions: Subscription[];
}

export interface MessagingOptions {
  dataDir: string;
  inMemory?: boolean;
  region: string;
  accountId: string;
  log?: (line: string) => void;
}

/** SNS's Lambda async invoke: retried twice, then given up on (no DLQ on the subscription here). */
const LAMBDA_RETRIES = [200, 1000];

export class Messaging {
  readonly store: QueueStore;
  readonly region: string;
  readonly accountId: string;
  endpoint = "";
  private readonly topics = new Map<string, Topic>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Delivers an SNS event to a function subscriber (set by the local cloud once functions run). */
  invokeFunction: ((functionArn: string, event: unknown) => Promise<unknown>) | undefined;

  constructor(private readonly o: MessagingOptions) {
    this.region = o.region;
    this.accountId = o.accountId;
    this.store = new QueueStore({
      ...(o.inMemory ? {} : { journalPath: join(o.dataDir, "sqs", "journal.jsonl") }),
      log: (line) => this.log(line),
    });
    this.store.arnOf = (name) => this.queueArn(name);
  }

  private log(line: string) {
    this.o.log?.(line);
  }

  topicArn(name: string) {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  queueArn(name: string) {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  queueUrl(name: string) {
    return `${this.endpoint}/${this.accountId}/${name}`;
  }

  queueNameFromArn(arn: string): string {
    const name = arn.split(":").pop() ?? "";
    if (!arn.startsWith("arn:aws:sqs:") || !name)
      throw new SnsError("InvalidParameter", `Invalid queue ARN ${arn}`);
    return name;
  }

  createTopic(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name))
      throw new SnsError("InvalidParameter", "Invalid parameter: Topic Name");
    const arn = this.topicArn(name);
    if (!this.topics.has(arn)) this.topics.set(arn, { name, arn, subscriptions: [] });
    return arn;
  }

  topic(arn: string): Topic {
    const t = this.topics.get(arn);
    if (!t) throw new SnsError("NotFound", "Topic does not exist", 404);
    return t;
  }

  topicArns(): string[] {
    return [...this.topics.keys()];
  }

  subscriptions(): Subscription[] {
    return [...this.topics.values()].flatMap((t) => t.subscriptions);
  }

  subscribe(s: Omit<Subscription, "arn">): string {
    const topic = this.topic(s.topicArn);
    if (s.protocol !== "sqs" && s.protocol !== "lambda")
      throw new SnsError(
        "InvalidParameter",
        `Invalid parameter: Protocol ${s.protocol} (the local SNS delivers to sqs and lambda)`,
      );
    const same = topic.subscriptions.find((x) => x.protocol === s.protocol && x.endpoint === s.endpoint);
    if (same) {
      Object.assign(same, s);
      return same.arn;
    }
    const arn = `${s.topicArn}:${randomUUID()}`;
    topic.subscriptions.push({ ...s, arn });
    return arn;
  }

  unsubscribe(arn: string) {
    for (const t of this.topics.values()) t.subscriptions = t.subscriptions.filter((s) => s.arn !== arn);
  }

  /** Fans a message out to every subscription whose filter policy matches; returns the SNS message id. */
  publish(topicArn: string, input: PublishInput): string {
    const topic = this.topic(topicArn);
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    for (const s of topic.subscriptions) {
      if (
        !passesFilterPolicy(s.filterPolicy, s.filterPolicyScope, {
          body: input.message,
          attributes: input.attributes,
        })
      )
        continue;
      const base = {
        Type: "Notification",
        MessageId: messageId,
        TopicArn: topicArn,
        ...(input.subject !== undefined ? { Subject: input.subject } : {}),
        Message: input.message,
        Timestamp: timestamp,
        SignatureVersion: "1",
        Signature: Buffer.from(`local-${messageId}`).toString("base64"),
      };
      const attrs = Object.fromEntries(
        Object.entries(input.attributes).map(([k, v]) => [
          k,
          { Type: v.DataType, Value: v.StringValue ?? v.BinaryValue ?? "" },
        ]),
      );
      const unsubscribeUrl = `${this.endpoint}/?Action=Unsubscribe&SubscriptionArn=${s.arn}`;
      const certUrl = `${this.endpoint}/SimpleNotificationService-local.pem`;
      if (s.protocol === "sqs") {
        const queue = this.queueNameFromArn(s.endpoint);
        if (!this.store.has(queue)) {
          this.log(`sns: ${topic.name} → ${queue}: no such queue; message dropped`);
          continue;
        }
        const body = s.raw
          ? input.message
          : JSON.stringify({
              ...base,
              SigningCertURL: certUrl,
              UnsubscribeURL: unsubscribeUrl,
              ...(Object.keys(attrs).length ? { MessageAttributes: attrs } : {}),
            });
        this.store.send(queue, {
          body,
          ...(s.raw ? { messageAttributes: input.attributes } : {}),
          ...(input.groupId ? { groupId: input.groupId } : {}),
          ...(input.deduplicationId || input.groupId
            ? { deduplicationId: input.deduplicationId ?? messageId }
            : {}),
          senderId: this.accountId,
        });
        continue;
      }
      const event = {
        Records: [
          {
            EventSource: "aws:sns",
            EventVersion: "1.0",
            EventSubscriptionArn: s.arn,
            Sns: {
              ...base,
              Subject: input.subject ?? null,
              SigningCertUrl: certUrl,
              UnsubscribeUrl: unsubscribeUrl,
              MessageAttributes: attrs,
            },
          },
        ],
      };
      this.track(this.deliverToFunction(s, event));
    }
    return messageId;
  }

  private async deliverToFunction(s: Subscription, event: unknown) {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.invokeFunction) throw new Error("functions are not running");
        await this.invokeFunction(s.endpoint, event);
        return;
      } catch (err) {
        const delay = LAMBDA_RETRIES[attempt];
        if (delay === undefined) {
          this.log(
            `sns: ${s.endpoint} failed ${attempt + 1} times; event dropped (${(err as Error).message})`,
          );
          return;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Remembers an in-flight delivery so drain() can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
    return p;
  }

  /** Resolves when every function delivery started so far has finished. */
  async drainDeliveries(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** ReceiveMessage with long polling: waits for a send or a visibility timeout to run out. */
  async receiveWaiting(
    queue: string,
    max: number,
    visibilityTimeout: number | undefined,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<StoredMessage[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const got = this.store.receive(queue, max, visibilityTimeout);
      if (got.length || Date.now() >= deadline || signal?.aborted) return got;
      await new Promise<void>((resolve) => {
        const next = this.store.nextVisibleAt(queue);
        const until = Math.max(
          5,
          Math.min(deadline, next && next > Date.now() ? next : deadline) - Date.now(),
        );
        const timer = setTimeout(done, until);
        const off = this.store.onChange(done);
        signal?.addEventListener("abort", done, { once: true });
        function done() {
          clearTimeout(timer);
          off();
          signal?.removeEventListener("abort", done);
          resolve();
        }
      });
    }
  }
}

export interface RunningMessaging {
  messaging: Messaging;
  endpoint: string;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startMessaging(o: MessagingOptions): Promise<RunningMessaging> {
  const messaging = new Messaging(o);
  const closing = new AbortController();
  const server: Server = createServer(async (req, res) => {
    const answer = (r: ApiResponse) => {
      res.writeHead(r.status, { ...r.headers, "x-amzn-requestid": randomUUID() });
      res.end(r.body);
    };
    try {
      if (req.method === "GET" && (req.url === "/" || req.url === "/health")) {
        res.writeHead(200, { "content-type": "text/plain" }).end("local SNS + SQS\n");
        return;
      }
      const body = await readBody(req);
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target.startsWith("AmazonSQS.")) {
        // A long poll ends early when the client goes away or the local cloud stops.
        const gone = new AbortController();
        res.on("close", () => gone.abort());
        const signal = AbortSignal.any([gone.signal, closing.signal]);
        let input: Record<string, unknown>;
        try {
          input = body ? JSON.parse(body) : {};
        } catch {
          answer(sqsError("InvalidParameterValue", "The request body is not valid JSON."));
          return;
        }
        answer(await handleSqs(messaging, target.slice("AmazonSQS.".length), input, signal));
        return;
      }
      const params = new Map(new URLSearchParams(body || (req.url ?? "").split("?")[1] || ""));
      if (params.get("Version") && params.get("Version") !== "2010-03-31") {
        answer(
          snsError(
            "InvalidAction",
            `the local endpoint speaks SNS (2010-03-31) query and SQS JSON, not ${params.get("Version")} query`,
          ),
        );
        return;
      }
      answer(handleSns(messaging, params));
    } catch (err) {
      o.log?.(`messaging: ${(err as Error).stack}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("InternalError");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  messaging.endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    messaging,
    endpoint: messaging.endpoint,
    stop() {
      stopping ??= (async () => {
        closing.abort();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await messaging.drainDeliveries();
        messaging.store.close();
      })();
      return stopping;
    },
  };
}

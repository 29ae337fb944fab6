// SQS queues (visibility, receive counts, DLQ, FIFO groups) journaled as JSON lines to survive restarts.
import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface QueueAttributes {
  visibilityTimeout: number;
  delaySeconds: number;
  messageRetentionPeriod: number;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** The DLQ's name and how many receives a message gets before it moves there. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  sentAt: number;
  senderId: string;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /** Set when the message was moved here from a source queue by its redrive policy. */
  deadLetterQueueSourceArn?: string;
}

interface QueueState {
  name: string;
  attributes: QueueAttributes;
  createdAt: number;
  messages: Map<string, StoredMessage>;
  /** FIFO deduplication ids seen in the last 5 minutes. */
  dedup: Map<string, { id: string; at: number }>;
}

type JournalEntry =
  | { op: "queue"; name: string; attributes: QueueAttributes; createdAt: number }
  | { op: "drop"; name: string }
  | { op: "send"; queue: string; message: StoredMessage }
  | { op: "update"; queue: string; id: string; patch: Partial<StoredMessage> }
  | { op: "delete"; queue: string; id: string }
  | { op: "purge"; queue: string };

export class QueueError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_ATTRIBUTES: QueueAttributes = {
  visibilityTimeout: 30,
  delaySeconds: 0,
  messageRetentionPeriod: 345_600,
  fifo: false,
  contentBasedDeduplication: false,
};

const DEDUP_WINDOW_MS = 5 * 60_000;

export const md5 = (s: string | Buffer) => createHash("md5").update(s).digest("hex");

/** The MD5 SQS reports over message attributes (sorted names; length-prefixed name, type, value). */
export function md5OfMessageAttributes(attrs: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lp = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of names) {
    const a = attrs[name]!;
    lp(Buffer.from(name, "utf8"));
    lp(Buffer.from(a.DataType, "utf8"));
    if (a.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lp(Buffer.from(a.BinaryValue, "base64"));
    } else {
      parts.push(Buffer.from([1]));
      lp(Buffer.from(a.StringValue ?? "", "utf8"));
    }
  }
  return md5(Buffer.concat(parts));
}

export interface SendInput {
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  senderId?: string;
}

export interface QueueStoreOptions {
  /** Journal file; none keeps everything in memory. */
  journalPath?: string;
  log?: (line: string) => void;
}

export class QueueStore {
  private readonly queues = new Map<string, QueueState>();
  private fd: number | undefined;
  private sequence = 0n;
  private readonly listeners = new Set<() => void>();
  /** Which queue ARN a redriven message came from needs the ARN format; the messaging layer sets it. */
  arnOf: (name: string) => string = (name) => name;

  constructor(private readonly o: QueueStoreOptions = {}) {
    if (!o.journalPath) return;
    mkdirSync(dirname(o.journalPath), { recursive: true });
    if (existsSync(o.journalPath)) this.replay(readFileSync(o.journalPath, "utf8"));
    this.compact();
  }

  private replay(text: string) {
    let bad = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      let e: JournalEntry;
      try {
        e = JSON.parse(line) as JournalEntry;
      } catch {
        // A torn last line from a crash mid-write: everything before it is intact.
        bad++;
        continue;
      }
      this.apply(e);
    }
    if (bad) this.o.log?.(`sqs journal: skipped ${bad} unreadable line(s)`);
  }

  private apply(e: JournalEntry) {
    switch (e.op) {
      case "queue": {
        const q = this.queues.get(e.name);
        if (q) q.attributes = e.attributes;
        else
          this.queues.set(e.name, {
            name: e.name,
            attributes: e.attributes,
            createdAt: e.createdAt,
            messages: new Map(),
            dedup: new Map(),
          });
        return;
      }
      case "drop":
        this.queues.delete(e.name);
        return;
      case "send": {
        this.queues.get(e.queue)?.messages.set(e.message.id, e.message);
        if (e.message.sequenceNumber) {
          const n = BigInt(e.message.sequenceNumber);
          if (n > this.sequence) this.sequence = n;
        }
        return;
      }
      case "update": {
        const m = this.queues.get(e.queue)?.messages.get(e.id);
        if (m) Object.assign(m, e.patch);
        return;
      }
      case "delete":
        this.queues.get(e.queue)?.messages.delete(e.id);
        return;
      case "purge":
        this.queues.get(e.queue)?.messages.clear();
    }
  }

  /** Rewrites the journal as the current state, so it only grows with this run's traffic. */
  private compact() {
    const path = this.o.journalPath!;
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, "w");
    for (const q of this.queues.values()) {
      writeSync(
        fd,
        `${JSON.stringify({ op: "queue", name: q.name, attributes: q.attributes, createdAt: q.createdAt })}\n`,
      );
      for (const m of q.messages.values())
        writeSync(fd, `${JSON.stringify({ op: "send", queue: q.name, message: m })}\n`);
    }
    closeSync(fd);
    renameSync(tmp, path);
    this.fd = openSync(path, "a");
  }

  private record(e: JournalEntry) {
    this.apply(e);
    // Synchronous appends keep the journal in the order the queue saw them, even across a crash.
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(e)}\n`);
  }

  close() {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    for (const l of this.listeners) l();
  }

  /** Called whenever a message may have become receivable (a send, a visibility change). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const l of [...this.listeners]) l();
  }

  createQueue(name: string, attributes: Partial<QueueAttributes> = {}): QueueAttributes {
    const existing = this.queues.get(name);
    const merged = { ...DEFAULT_ATTRIBUTES, ...existing?.attributes, ...attributes };
    merged.fifo = name.endsWith(".fifo");
    if (!existing || JSON.stringify(existing.attributes) !== JSON.stringify(merged)) {
      this.record({ op: "queue", name, attributes: merged, createdAt: existing?.createdAt ?? Date.now() });
    }
    return merged;
  }

  deleteQueue(name: string) {
    this.queue(name);
    this.record({ op: "drop", name });
  }

  has(name: string): boolean {
    return this.queues.has(name);
  }

  names(): string[] {
    return [...this.queues.keys()];
  }

  private queue(name: string): QueueState {
    const q = this.queues.get(name);
    if (!q) throw new QueueError("QueueDoesNotExist", `The specified queue ${name} does not exist.`);
    return q;
  }

  attributes(name: string): QueueAttributes & { createdAt: number } {
    const q = this.queue(name);
    return { ...q.attributes, createdAt: q.createdAt };
  }

  setAttributes(name: string, patch: Partial<QueueAttributes>) {
    const q = this.queue(name);
    this.record({ op: "queue", name, attributes: { ...q.attributes, ...patch }, createdAt: q.createdAt });
    this.changed();
  }

  counts(name: string, now = Date.now()) {
    const q = this.queue(name);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of q.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.receiptHandle) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed, total: q.messages.size };
  }

  /** Messages as they are now (tests, diagnostics). */
  peek(name: string): StoredMessage[] {
    return [...this.queue(name).messages.values()].map((m) => ({ ...m }));
  }

  send(name: string, input: SendInput): StoredMessage {
    const q = this.queue(name);
    const now = Date.now();
    if (q.attributes.fifo) {
      if (!input.groupId)
        throw new QueueError("MissingParameter", "The request must contain MessageGroupId.");
      const dedupId =
        input.deduplicationId ??
        (q.attributes.contentBasedDeduplication
          ? createHash("sha256").update(input.body).digest("hex")
          : undefined);
      if (!dedupId)
        throw new QueueError(
          "InvalidParameterValue",
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        );
      for (const [k, v] of q.dedup) if (now - v.at > DEDUP_WINDOW_MS) q.dedup.delete(k);
      const seen = q.dedup.get(dedupId);
      const original = seen && q.messages.get(seen.id);
      if (seen) return original ? { ...original } : this.ghost(seen.id, input);
      input = { ...input, deduplicationId: dedupId };
    }
    const message: StoredMessage = {
      id: randomUUID(),
      body: input.body,
      md5OfBody: md5(input.body),
      messageAttributes: input.messageAttributes ?? {},
      sentAt: now,
      senderId: input.senderId ?? "000000000000",
      receiveCount: 0,
      visibleAt:
        now +
        1000 *
          (q.attributes.fifo ? q.attributes.delaySeconds : (input.delaySeconds ?? q.attributes.delaySeconds)),
      ...(input.groupId ? { groupId: input.groupId } : {}),
      ...(input.deduplicationId ? { deduplicationId: input.deduplicationId } : {}),
      ...(q.attributes.fifo ? { sequenceNumber: String(++this.sequence).padStart(20, "0") } : {}),
    };
    if (q.attributes.fifo && message.deduplicationId)
      q.dedup.set(message.deduplicationId, { id: message.id, at: now });
    this.record({ op: "send", queue: name, message });
    this.changed();
    return { ...message };
  }

  /** A deduplicated send whose original is already gone still answers with the original id. */
  private ghost(id: string, input: SendInput): StoredMessage {
    return {
      id,
      body: input.body,
      md5OfBody: md5(input.body),
      messageAttributes: input.messageAttributes ?? {},
      sentAt: Date.now(),
      senderId: "000000000000",
      receiveCount: 0,
      visibleAt: 0,
    };
  }

  /** Takes up to `max` visible messages and hides them for the visibility timeout. */
  receive(name: string, max: number, visibilityTimeout?: number): StoredMessage[] {
    const q = this.queue(name);
    const now = Date.now();
    const timeout = visibilityTimeout ?? q.attributes.visibilityTimeout;
    const out: StoredMessage[] = [];
    // FIFO: a group with a message in flight is locked, and only its oldest message may go out.
    const lockedGroups = new Set<string>();
    if (q.attributes.fifo) {
      for (const m of q.messages.values()) if (m.groupId && m.visibleAt > now) lockedGroups.add(m.groupId);
    }
    for (const m of [...q.messages.values()]) {
      if (out.length >= max) break;
      if (now - m.sentAt > q.attributes.messageRetentionPeriod * 1000) {
        this.record({ op: "delete", queue: name, id: m.id });
        continue;
      }
      if (m.groupId && lockedGroups.has(m.groupId)) continue;
      if (m.visibleAt > now) continue;
      const redrive = q.attributes.redrive;
      if (redrive && m.receiveCount >= redrive.maxReceiveCount && this.queues.has(redrive.deadLetterQueue)) {
        this.moveToDeadLetterQueue(q, m, redrive.deadLetterQueue);
        continue;
      }
      const patch: Partial<StoredMessage> = {
        receiveCount: m.receiveCount + 1,
        firstReceivedAt: m.firstReceivedAt ?? now,
        visibleAt: now + timeout * 1000,
        receiptHandle: randomUUID(),
      };
      this.record({ op: "update", queue: name, id: m.id, patch });
      if (m.groupId) lockedGroups.add(m.groupId);
      out.push({ ...m });
    }
    return out;
  }

  private moveToDeadLetterQueue(q: QueueState, m: StoredMessage, dlq: string) {
    const { receiptHandle: _receipt, firstReceivedAt: _first, ...rest } = m;
    const moved: StoredMessage = {
      ...rest,
      // A fresh count in the DLQ, so its own redrive policy (if any) starts over.
      receiveCount: 0,
      visibleAt: Date.now(),
      deadLetterQueueSourceArn: this.arnOf(q.name),
    };
    this.record({ op: "send", queue: dlq, message: moved });
    this.record({ op: "delete", queue: q.name, id: m.id });
    this.o.log?.(`${q.name}: message ${m.id} moved to ${dlq} after ${m.receiveCount} receives`);
    this.changed();
  }

  private byReceipt(name: string, receiptHandle: string): StoredMessage | undefined {
    const q = this.queue(name);
    for (const m of q.messages.values()) if (m.receiptHandle === receiptHandle) return m;
    return undefined;
  }

  /** Deletes by receipt handle; an unknown (already deleted, or stale) receipt handle is a no-op, as on AWS. */
  delete(name: string, receiptHandle: string): boolean {
    const m = this.byReceipt(name, receiptHandle);
    if (!m) return false;
    this.record({ op: "delete", queue: name, id: m.id });
    this.changed();
    return true;
  }

  changeVisibility(name: string, receiptHandle: string, timeoutSeconds: number) {
    const m = this.byReceipt(name, receiptHandle);
    if (!m || m.visibleAt <= Date.now())
      throw new QueueError(
        "MessageNotInflight",
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    this.record({
      op: "update",
      queue: name,
      id: m.id,
      patch: { visibleAt: Date.now() + timeoutSeconds * 1000 },
    });
    this.changed();
  }

  purge(name: string) {
    this.queue(name);
    this.record({ op: "purge", queue: name });
  }

  /** When the next hidden message becomes visible (to wake pollers without busy-waiting). */
  nextVisibleAt(name: string): number | undefined {
    const q = this.queues.get(name);
    if (!q) return undefined;
    let next: number | undefined;
    for (const m of q.messages.values()) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }
}

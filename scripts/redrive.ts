// npm run redrive [-- --stage <stage>] [queue ...]: replays the on-failure queues; only endpoints differ between clouds.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { clientsFor, moveBack, redriveQueue } from "./redrive/replay";

/** The app's on-failure destinations (infra/database.ts, infra/storage.ts): invocation records, replayed. */
const FAILURE_QUEUES = ["StreamFailures", "MediaFailures"];
/**
 * Dead-letter queues (infra/notification.ts, infra/calls.ts, infra/accounts.ts) by the queue their messages are moved
 * back to.
 */
const DEAD_LETTERS: Record<string, string> = {
  NotificationDeadLetters: "NotificationQueue",
  CallTimeoutDeadLetters: "CallTimeouts",
  AccountDeletionDeadLetters: "AccountDeletions",
  AccountExportDeadLetters: "AccountExports",
};

const args = process.argv.slice(2);
const stageAt = args.indexOf("--stage");
const stage = stageAt >= 0 ? args[stageAt + 1] : undefined;
const named = args.filter((_, i) => stageAt < 0 || (i !== stageAt && i !== stageAt + 1));
const root = process.env.ASYNCSNS_ROOT ?? process.cwd();

/** Queue URLs by logical name, and the region: from the running local cloud, or a deployed stage's outputs. */
function target(): { region: string; queues: Record<string, string> } {
  if (stage) {
    const outputs = JSON.parse(readFileSync(resolve(root, ".sst/outputs.json"), "utf8"));
    if (outputs.stage && outputs.stage !== stage)
      throw new Error(`.sst/outputs.json is for stage ${outputs.stage}`);
    return {
      region: process.env.AWS_REGION ?? "ap-northeast-1",
      queues: { ...outputs.failureQueues, ...outputs.queues },
    };
  }
  const file = resolve(root, process.env.ASYNCSNS_DATA_DIR || ".asyncsns", "local.json");
  if (!existsSync(file)) throw new Error(`no ${file}: start the local cloud (npm start) or pass --stage`);
  const local = JSON.parse(readFileSync(file, "utf8"));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: local.sqs.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: local.lambda.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: local.dynamodbStreams.endpoint,
    // The stand-ins take any key pair.
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "S3RVER",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "S3RVER",
  });
  return { region: local.lambda.region, queues: local.sqs.queues };
}

const { region, queues } = target();
const clients = clientsFor(region);
let failed = 0;
const urlOf = (name: string) => {
  const url = name.includes("://") ? name : queues[name];
  if (!url) throw new Error(`no queue ${name} (known: ${Object.keys(queues).join(", ") || "none"})`);
  return url;
};
for (const name of named.length ? named : [...FAILURE_QUEUES, ...Object.keys(DEAD_LETTERS)]) {
  const log = (line: string) => console.log(`[redrive] ${name}: ${line}`);
  const source = DEAD_LETTERS[name];
  const result = source
    ? await moveBack(clients, urlOf(name), urlOf(source), log)
    : await redriveQueue(clients, urlOf(name), log);
  console.log(`[redrive] ${name}: ${result.replayed} replayed, ${result.failed.length} kept`);
  failed += result.failed.length;
}
process.exitCode = failed ? 1 : 0;

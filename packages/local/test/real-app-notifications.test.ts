// The real app on the local cloud: a chat message, read from the table's stream, reaches the Notifications topic.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalCloud, startLocalCloud } from "../src/local-cloud";

const root = resolve(import.meta.dirname, "../../..");
const CODE = "246810";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "asyncsns-real-notify-"));
  cloud = await startLocalCloud({
    root,
    configFile: join(root, "sst.config.ts"),
    port: 0,
    dataDir,
    inMemory: true,
    confirmationCode: CODE,
    quiet: true,
    functionOutput: () => undefined,
  });
});

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function user(handle: string) {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: cloud.urls.cognito.endpoint,
    region: cloud.urls.cognito.region,
    credentials,
  });
  const email = `${handle}@example.com`;
  const ClientId = cloud.urls.cognito.clientId;
  await cognito.send(
    new SignUpCommand({
      ClientId,
      Username: email,
      Password: "Passw0rd!x",
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: CODE }));
  const auth = await cognito.send(
    new InitiateAuthCommand({
      ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: "Passw0rd!x" },
    }),
  );
  cognito.destroy();
  const token = auth.AuthenticationResult!.AccessToken!;
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${cloud.urls.apiUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
  const me = await api("/me", { handle, displayName: handle });
  expect(me.status).toBe(201);
  return { api, id: me.body.id as string, handle };
}

it("publishes chat.message for every other member to the Notifications topic, from the stream", async () => {
  // A test queue subscribed through the SNS API taps the topic beside the app's own consumer queue.
  const sns = new SNSClient({
    endpoint: cloud.standIns.sns.endpoint,
    region: cloud.standIns.region,
    credentials,
  });
  const sqs = new SQSClient({
    endpoint: cloud.standIns.sqs.endpoint,
    region: cloud.standIns.region,
    credentials,
  });
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "notifications-tap" }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: cloud.topics.Notifications,
        Protocol: "sqs",
        Endpoint: cloud.messaging.queueArn("notifications-tap"),
        Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ type: ["chat.message"] }) },
      }),
    );
    const suffix = Date.now().toString(36);
    const alice = await user(`alice${suffix}`);
    const bob = await user(`bob${suffix}`);
    const room = await alice.api("/rooms", { memberHandles: [bob.handle] });
    expect(room.status).toBe(201);
    // Bob accepts: a request from someone he does not follow would notify no one.
    expect((await bob.api(`/rooms/${room.body.id}/accept`, {})).status).toBe(200);
    const sent = await alice.api(`/rooms/${room.body.id}/messages`, { text: "are you there?" });
    expect(sent.status).toBe(201);

    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        // The dispatcher reads the stream about a second after the write.
        WaitTimeSeconds: 10,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    expect(got.Messages).toHaveLength(1);
    const [m] = got.Messages!;
    expect(m!.MessageAttributes?.type?.StringValue).toBe("chat.message");
    expect(JSON.parse(m!.Body!)).toMatchObject({
      type: "chat.message",
      op: "add",
      actor: alice.id,
      recipient: bob.id,
      subject: { kind: "room", id: room.body.id, text: "are you there?" },
      object: sent.body.id,
    });
  } finally {
    sns.destroy();
    sqs.destroy();
  }
});

// s3rver in-process: buckets with browser-friendly CORS and object events (created, removed) for bucket subscribers.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3Event, S3EventRecord } from "aws-lambda";
import S3rver from "s3rver";
import { StandInError } from "./processes";
import { startS3Gate } from "./s3-gate";
import type { ObjectEventListener } from "./types";

/** s3rver only knows this key pair (it checks the key id, not SigV4 signatures: the gate in front does). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export interface RunningS3 {
  endpoint: string;
  onObjectEvent(listener: ObjectEventListener): () => void;
  stop(): Promise<void>;
}

/** Makes s3rver's record look like what S3 sends: URL-encoded key, a well-formed bucket ARN. */
function toAwsRecord(record: S3EventRecord): S3EventRecord {
  const key = encodeURIComponent(record.s3.object.key).replace(/%20/g, "+").replace(/%2F/g, "/");
  return {
    ...record,
    s3: {
      ...record.s3,
      bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
      object: { ...record.s3.object, key },
    },
  };
}

export async function startS3(args: {
  dataDir: string;
  inMemory?: boolean;
  buckets: string[];
  region: string;
  log?: (line: string) => void;
}): Promise<RunningS3> {
  // "In memory" means throwaway: a scratch folder wiped at start (after a crash) and at stop.
  const directory = join(args.dataDir, args.inMemory ? "s3-scratch" : "s3");
  if (args.inMemory) rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true });
  // s3rver races on emptied folders (ENOENT → 500 after the delete); S3 answers 204 and emits ObjectRemoved.
  const deleteObject = server.store.deleteObject.bind(server.store);
  server.store.deleteObject = (bucket, key) =>
    deleteObject(bucket, key).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  let endpoint: string;
  let gate: Awaited<ReturnType<typeof startS3Gate>> | undefined;
  try {
    const address = await server.run();
    // Clients reach s3rver only through the gate, which refuses bad presigned POSTs and GETs as S3 does.
    gate = await startS3Gate(`http://127.0.0.1:${address.port}`, S3RVER_CREDENTIALS);
    const gateAddress = gate.address();
    endpoint = `http://127.0.0.1:${typeof gateAddress === "object" && gateAddress ? gateAddress.port : 0}`;
  } catch (err) {
    throw new StandInError("s3rver", `s3rver could not start: ${(err as Error).message}`);
  }
  const stop = async () => {
    if (gate?.listening) {
      const g = gate;
      const closed = new Promise<void>((resolve) => g.close(() => resolve()));
      g.closeAllConnections();
      await closed;
    }
    const http = server.httpServer;
    if (http?.listening) {
      const closed = server.close();
      http.closeAllConnections();
      await closed;
    }
    if (args.inMemory) rmSync(directory, { recursive: true, force: true });
  };

  const client = new S3Client({
    endpoint,
    region: args.region,
    credentials: { ...S3RVER_CREDENTIALS },
    forcePathStyle: true,
  });
  try {
    for (const bucket of args.buckets) {
      const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => true,
        (err: { $metadata?: { httpStatusCode?: number } }) => {
          if (err.$metadata?.httpStatusCode === 404) return false;
          throw err;
        },
      );
      if (!exists) {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        args.log?.(`created bucket ${bucket}`);
      }
      // Browsers on any local origin upload with presigned POST and read objects directly.
      await client.send(
        new PutBucketCorsCommand({
          Bucket: bucket,
          CORSConfiguration: {
            CORSRules: [
              {
                AllowedOrigins: ["*"],
                AllowedMethods: ["GET", "HEAD", "PUT", "POST"],
                AllowedHeaders: ["*"],
                ExposeHeaders: ["ETag", "Location"],
                MaxAgeSeconds: 3000,
              },
            ],
          },
        }),
      );
    }
  } catch (err) {
    await stop();
    throw new StandInError("s3rver", `could not provision buckets on s3rver: ${(err as Error).message}`);
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    onObjectEvent(listener) {
      const handler = (event: S3Event) => listener({ Records: event.Records.map(toAwsRecord) });
      server.on("event", handler);
      return () => server.off("event", handler);
    },
    stop,
  };
}

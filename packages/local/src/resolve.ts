// Gives every deploy-time value (ids, urls, arns) its local counterpart, and builds each worker's env.
import { localDistributionId } from "./standins/cloudfront";
import type { RunningStandIns } from "./standins/types";
import {
  type FunctionRecord,
  type Ref,
  type RefResolver,
  type ResourceRecord,
  refsIn,
  resolveValue,
  type Topology,
  type Value,
} from "./topology";

export const ACCOUNT_ID = "000000000000";

export function physicalName(topology: Topology, name: string): string {
  return `${topology.app.name}-${topology.app.stage}-${name}`;
}

/** S3 bucket names must be lowercase DNS labels. */
export function physicalBucketName(topology: Topology, name: string): string {
  return physicalName(topology, name).toLowerCase();
}

/** SNS topic and SQS queue names: FIFO ones must end in ".fifo", as Pulumi's autonaming makes them. */
export function physicalMessagingName(topology: Topology, r: ResourceRecord): string {
  const fifo = Boolean((r.args as { fifo?: unknown } | null)?.fifo);
  return `${physicalName(topology, r.name)}${fifo ? ".fifo" : ""}`;
}

export interface LocalAddresses {
  /** Where browsers reach the gateway, e.g. http://localhost:3000. */
  publicOrigin: string;
  /** Where workers reach the gateway (loopback, no name resolution). */
  internalOrigin: string;
  wsPath: string;
}

/**
 * `secrets` are the local cloud's own values for some `sst.Secret`s (e.g. generated VAPID keys); a developer's
 * `ASYNCSNS_SECRET_<name>` wins over them, and they win over the secret's placeholder (its value in AWS).
 */
export function createResolver(
  topology: Topology,
  standIns: RunningStandIns,
  addr: LocalAddresses,
  secrets: Record<string, string> = {},
): RefResolver {
  const byName = new Map(topology.resources.map((r) => [r.name, r]));
  const authorizers = new Set([...topology.httpAuthorizers, ...topology.wsAuthorizers].map((a) => a.name));
  const region = standIns.region;
  return (ref: Ref): string => {
    const { $ref: name, attribute } = ref;
    if (name === "aws:region") return region;
    if (authorizers.has(name) && attribute === "id") return name;
    const r = byName.get(name);
    if (!r) throw new Error(`cannot resolve ${name}.${attribute}: no such resource`);
    const phys = physicalName(topology, name);
    const fail = () => new Error(`the local cloud cannot resolve ${r.type} ${name}.${attribute}`);
    switch (r.type) {
      case "sst.aws.Dynamo": {
        const table = standIns.dynamodb.tables?.[phys];
        if (attribute === "name") return phys;
        if (attribute === "arn")
          return table?.arn ?? `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${phys}`;
        if (attribute === "streamArn" && table?.streamArn) return table.streamArn;
        throw fail();
      }
      case "sst.aws.Bucket": {
        const bucket = physicalBucketName(topology, name);
        if (attribute === "name") return bucket;
        if (attribute === "arn") return `arn:aws:s3:::${bucket}`;
        if (attribute === "domain") return new URL(standIns.s3.endpoint).host;
        throw fail();
      }
      case "sst.aws.CognitoUserPool": {
        const pool = standIns.cognito.pools[name];
        if (!pool) throw fail();
        if (attribute === "id") return pool.id;
        if (attribute === "arn") return `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${pool.id}`;
        throw fail();
      }
      case "sst.aws.CognitoUserPoolClient": {
        const client = standIns.cognito.pools[r.parent ?? ""]?.clients[name];
        if (!client) throw fail();
        if (attribute === "id") return client.id;
        // Public clients (generateSecret: false) have no secret; cognito-local issues none either.
        if (attribute === "secret") return "";
        throw fail();
      }
      case "sst.aws.ApiGatewayV2":
        if (attribute === "url") return addr.publicOrigin;
        throw fail();
      case "sst.aws.ApiGatewayWebSocket":
        if (attribute === "url") return `${addr.publicOrigin.replace(/^http/, "ws")}${addr.wsPath}`;
        if (attribute === "managementEndpoint") return `${addr.internalOrigin}${addr.wsPath}`;
        throw fail();
      case "sst.aws.Router":
        if (attribute === "url") return addr.publicOrigin;
        if (attribute === "distributionId") return localDistributionId(name);
        if (attribute === "distributionArn")
          return `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${localDistributionId(name)}`;
        throw fail();
      case "sst.aws.StaticSite":
        if (attribute === "url") return addr.publicOrigin;
        throw fail();
      case "sst.aws.Function":
        if (attribute === "name") return phys;
        if (attribute === "arn") return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${phys}`;
        throw fail();
      case "sst.aws.SnsTopic":
        if (attribute === "arn") return standIns.messaging.topicArn(physicalMessagingName(topology, r));
        if (attribute === "name") return physicalMessagingName(topology, r);
        throw fail();
      case "sst.aws.Queue":
        if (attribute === "url") return standIns.messaging.queueUrl(physicalMessagingName(topology, r));
        if (attribute === "arn") return standIns.messaging.queueArn(physicalMessagingName(topology, r));
        throw fail();
      case "sst.aws.OpenSearch": {
        if (!standIns.search) throw fail();
        if (attribute === "url") return standIns.search.endpoint;
        if (attribute === "username") return standIns.search.username;
        if (attribute === "password") return standIns.search.password;
        throw fail();
      }
      case "sst.Secret": {
        const value =
          process.env[`ASYNCSNS_SECRET_${name}`] ??
          secrets[name] ??
          (r.args as { placeholder?: string }).placeholder;
        if (value === undefined || value === null) {
          throw new Error(`secret ${name} has no value locally; set ASYNCSNS_SECRET_${name}`);
        }
        return String(value);
      }
      default:
        throw fail();
    }
  };
}

/** What `Resource.<name>` holds for a function that links it. */
export function linkProperties(r: ResourceRecord, resolve: RefResolver): Record<string, unknown> {
  const props = resolveValue((r.link ?? {}) as Value, resolve) as Record<string, unknown>;
  return { ...props, type: r.type };
}

/** The issuer a JWT authorizer trusts, derived from the pool its recorded issuer names. */
export function localIssuer(
  topology: Topology,
  issuer: Value | undefined,
  standIns: RunningStandIns,
  resolve: RefResolver,
): string {
  const byName = new Map(topology.resources.map((r) => [r.name, r]));
  const pool = refsIn(issuer).find((ref) => byName.get(ref.$ref)?.type === "sst.aws.CognitoUserPool");
  if (pool) {
    const id = standIns.cognito.pools[pool.$ref]?.id;
    if (!id) throw new Error(`user pool ${pool.$ref} was not provisioned`);
    return `${standIns.cognito.endpoint}/${id}`;
  }
  return String(resolveValue(issuer ?? "", resolve));
}

export interface FunctionEnvOptions {
  topology: Topology;
  standIns: RunningStandIns;
  resolve: RefResolver;
}

/** The whole env of a function's worker: links, its environment, region, fake credentials, endpoints. */
export function functionEnv(fn: FunctionRecord, o: FunctionEnvOptions): Record<string, string> {
  const { topology, standIns, resolve } = o;
  const byName = new Map(topology.resources.map((r) => [r.name, r]));
  const env: Record<string, string> = {
    SST_RESOURCE_App: JSON.stringify({ name: topology.app.name, stage: topology.app.stage }),
  };
  for (const name of fn.link) {
    const r = byName.get(name);
    if (!r?.link) throw new Error(`${fn.name} links ${name}, which cannot be linked`);
    env[`SST_RESOURCE_${name}`] = JSON.stringify(linkProperties(r, resolve));
  }
  for (const [k, v] of Object.entries(fn.environment)) env[k] = String(resolveValue(v, resolve));
  const physical = physicalName(topology, fn.name);
  return {
    ...env,
    AWS_REGION: standIns.region,
    AWS_DEFAULT_REGION: standIns.region,
    AWS_ACCESS_KEY_ID: standIns.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: standIns.credentials.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: physical,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memory),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${physical}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    // Lambda hands each invocation a trace header and runs a daemon; here there is neither, so X-Ray SDK calls made
    // outside a segment are skipped quietly instead of logged as errors (its AWS_XRAY_CONTEXT_MISSING setting).
    AWS_XRAY_CONTEXT_MISSING: "IGNORE_ERROR",
    AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodb.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: standIns.dynamodb.endpoint,
    AWS_ENDPOINT_URL_S3: standIns.s3.endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: standIns.cognito.endpoint,
    AWS_ENDPOINT_URL_SNS: standIns.sns.endpoint,
    AWS_ENDPOINT_URL_SQS: standIns.sqs.endpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT: standIns.cloudfront.endpoint,
    // The signalling client is given the endpoint the control plane answers, so it needs no variable.
    AWS_ENDPOINT_URL_KINESIS_VIDEO: standIns.kvs.endpoint,
  };
}

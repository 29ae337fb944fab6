/* This file is generated from sst.config.ts by `npm run sst-env` (the same shape `sst` writes). */
/* biome-ignore-all lint: generated */
import "sst";

declare module "sst" {
  export interface Resource {
    AccountDeletions: { type: "sst.aws.Queue"; url: string };
    AccountExports: { type: "sst.aws.Queue"; url: string };
    AccountSweeps: { lateSweepSeconds: number; lateSweeps: number; type: "sst.Linkable" };
    Auth: { clientId: string; type: "sst.Linkable"; userPoolId: string };
    CallSignaling: { channels: any; type: "sst.Linkable" };
    CallTimeouts: { type: "sst.aws.Queue"; url: string };
    Calls: { ringSeconds: number; type: "sst.Linkable" };
    Cdn: { distributionId: string; type: "sst.Linkable" };
    Limits: { rules: any; type: "sst.Linkable" };
    Media: { name: string; type: "sst.aws.Bucket" };
    Notifications: { arn: string; type: "sst.aws.SnsTopic" };
    Push: { insecureOrigins: string; privateKey: string; publicKey: string; subject: string; type: "sst.Linkable" };
    Realtime: { managementEndpoint: string; type: "sst.aws.ApiGatewayWebSocket"; url: string };
    Search: { type: "sst.aws.OpenSearch"; url: string };
    Table: { name: string; type: "sst.aws.Dynamo" };
    Timeline: { fanoutThreshold: number; followersPage: number; type: "sst.Linkable" };
  }
}

export {};

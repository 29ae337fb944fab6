/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "asyncsns",
      removal: production ? "retain" : "remove",
      protect: production,
      home: "aws",
      providers: { aws: { region: "ap-northeast-1" } },
    };
  },
  async run() {
    // Order matters: observability registers the $transform that every later function inherits.
    await import("./infra/observability");
    const { userPool, webClient } = await import("./infra/auth");
    const { table, streamFailures } = await import("./infra/database");
    await import("./infra/timeline");
    const { bucket, mediaFailures } = await import("./infra/storage");
    const { topic, notificationQueue, notificationDeadLetters } = await import("./infra/notification");
    const { search } = await import("./infra/search");
    await import("./infra/push");
    await import("./infra/ice");
    const { callTimeouts, callTimeoutDeadLetters } = await import("./infra/calls");
    const { deletionQueue, deletionDeadLetters, exportQueue, exportDeadLetters } = await import(
      "./infra/accounts"
    );
    const { api } = await import("./infra/api");
    const { ws } = await import("./infra/realtime");
    await import("./infra/firewall");
    const { router, site } = await import("./infra/web");
    // Last: alarms and the dashboard name resources of every other file.
    const { dashboard } = await import("./infra/alarms");
    // Account-level, by the production stage only: the developers' boundary and CI's deploy role.
    const { access } = await import("./infra/access");
    return {
      web: router.url,
      site: site.url,
      api: api.url,
      ws: ws.url,
      table: table.name,
      bucket: bucket.name,
      notifications: topic.arn,
      search: search.url,
      userPool: userPool.id,
      webClient: webClient.id,
      dashboard: dashboard.dashboardName,
      ...(access ? { deployRole: access.deploy.arn, developerBoundary: access.boundary.arn } : {}),
      // `npm run redrive -- --stage <stage>` reads these from .sst/outputs.json.
      failureQueues: { StreamFailures: streamFailures.url, MediaFailures: mediaFailures.url },
      // Dead letters are moved back to their queue.
      queues: {
        NotificationQueue: notificationQueue.url,
        NotificationDeadLetters: notificationDeadLetters.url,
        CallTimeouts: callTimeouts.url,
        CallTimeoutDeadLetters: callTimeoutDeadLetters.url,
        AccountDeletions: deletionQueue.url,
        AccountDeletionDeadLetters: deletionDeadLetters.url,
        AccountExports: exportQueue.url,
        AccountExportDeadLetters: exportDeadLetters.url,
      },
    };
  },
});

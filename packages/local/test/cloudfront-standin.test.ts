// The CloudFront stand-in through the real @aws-sdk/client-cloudfront: what a purge sends, and reads back.
import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from "@aws-sdk/client-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDistributionId, type RunningCloudFront, startCloudFront } from "../src/standins/cloudfront";

const DISTRIBUTION = localDistributionId("Router");
let standIn: RunningCloudFront;
let cloudfront: CloudFrontClient;

beforeAll(async () => {
  standIn = await startCloudFront({ distributions: [DISTRIBUTION] });
  cloudfront = new CloudFrontClient({
    endpoint: standIn.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  cloudfront?.destroy();
  await standIn?.stop();
});

const invalidate = (CallerReference: string, Items: string[], DistributionId = DISTRIBUTION) =>
  cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId,
      InvalidationBatch: { CallerReference, Paths: { Quantity: Items.length, Items } },
    }),
  );

describe("CloudFront stand-in", () => {
  it("gives each Router a fixed distribution id shaped like CloudFront's", () => {
    expect(DISTRIBUTION).toMatch(/^E[0-9A-F]{13}$/);
    expect(localDistributionId("Router")).toBe(DISTRIBUTION);
    expect(localDistributionId("Other")).not.toBe(DISTRIBUTION);
  });

  it("creates an invalidation, then answers Get and List like CloudFront", async () => {
    const created = await invalidate("ref-create", ["/media/med_1/image.jpg", "/media/med_1/a%20b.webp"]);
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.Location).toBe(
      `${standIn.endpoint}/2020-05-31/distribution/${DISTRIBUTION}/invalidation/${created.Invalidation?.Id}`,
    );
    expect(created.Invalidation).toMatchObject({
      Id: expect.stringMatching(/^I[0-9A-Z]{13}$/),
      Status: "InProgress",
      CreateTime: expect.any(Date),
      InvalidationBatch: {
        CallerReference: "ref-create",
        Paths: { Quantity: 2, Items: ["/media/med_1/image.jpg", "/media/med_1/a%20b.webp"] },
      },
    });
    const got = await cloudfront.send(
      new GetInvalidationCommand({ DistributionId: DISTRIBUTION, Id: created.Invalidation!.Id }),
    );
    // Nothing is cached locally, so the invalidation is done as soon as it exists.
    expect(got.Invalidation).toEqual({ ...created.Invalidation, Status: "Completed" });
    const listed = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: DISTRIBUTION }));
    expect(listed.InvalidationList?.Items?.[0]).toEqual({
      Id: created.Invalidation!.Id,
      CreateTime: created.Invalidation!.CreateTime,
      Status: "Completed",
    });
  });

  it("keeps a retried request (same caller reference, same paths) one invalidation", async () => {
    const first = await invalidate("ref-retry", ["/media/x"]);
    const again = await invalidate("ref-retry", ["/media/x"]);
    expect(again.Invalidation?.Id).toBe(first.Invalidation?.Id);
    const listed = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: DISTRIBUTION }));
    expect(listed.InvalidationList?.Items?.filter((i) => i.Id === first.Invalidation?.Id)).toHaveLength(1);
    await expect(invalidate("ref-retry", ["/media/y"])).rejects.toMatchObject({
      name: "InvalidationBatchAlreadyExists",
      $metadata: { httpStatusCode: 409 },
    });
  });

  it("lists newest first and pages with Marker / NextMarker", async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((await invalidate(`ref-page-${n}`, [`/media/p${n}`])).Invalidation!.Id!);
    const page1 = await cloudfront.send(
      new ListInvalidationsCommand({ DistributionId: DISTRIBUTION, MaxItems: 2 }),
    );
    expect(page1.InvalidationList).toMatchObject({ IsTruncated: true, MaxItems: 2, Quantity: 2 });
    expect(page1.InvalidationList?.Items?.map((i) => i.Id)).toEqual([ids[2], ids[1]]);
    const page2 = await cloudfront.send(
      new ListInvalidationsCommand({
        DistributionId: DISTRIBUTION,
        MaxItems: 2,
        Marker: page1.InvalidationList?.NextMarker,
      }),
    );
    expect(page2.InvalidationList?.Items?.[0]?.Id).toBe(ids[0]);
  });

  it("refuses unknown distributions and invalidations, and bad batches, with CloudFront's errors", async () => {
    await expect(invalidate("ref-unknown", ["/a"], "E0000000000000")).rejects.toMatchObject({
      name: "NoSuchDistribution",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      cloudfront.send(new GetInvalidationCommand({ DistributionId: DISTRIBUTION, Id: "INOSUCHTHING00" })),
    ).rejects.toMatchObject({ name: "NoSuchInvalidation", $metadata: { httpStatusCode: 404 } });
    await expect(invalidate("ref-relative", ["media/x"])).rejects.toMatchObject({
      name: "InvalidArgument",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: DISTRIBUTION,
          InvalidationBatch: { CallerReference: "ref-count", Paths: { Quantity: 2, Items: ["/a"] } },
        }),
      ),
    ).rejects.toMatchObject({ name: "InconsistentQuantities", $metadata: { httpStatusCode: 400 } });
    const unsigned = await fetch(`${standIn.endpoint}/2020-05-31/distribution/${DISTRIBUTION}/invalidation`);
    expect(unsigned.status).toBe(403);
  });
});

// CloudFront invalidations (REST-XML): nothing is cached locally, so they complete at once and are recorded.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StandInError } from "./processes";

const VERSION = "2020-05-31";
const XMLNS = `http://cloudfront.amazonaws.com/doc/${VERSION}/`;
/** CloudFront's own cap on one ListInvalidations page. */
const MAX_ITEMS = 100;

/** The fixed id the local cloud gives a Router's distribution (CloudFront ids: "E" + 13 characters). */
export const localDistributionId = (router: string) =>
  `E${createHash("sha256").update(router).digest("hex").slice(0, 13).toUpperCase()}`;

export interface RunningCloudFront {
  endpoint: string;
  stop(): Promise<void>;
}

interface Invalidation {
  id: string;
  createTime: string;
  callerReference: string;
  paths: string[];
}

class CloudFrontError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const unesc = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Text of every `<name>` element (the batch is flat enough that no nesting of the same name occurs). */
const elements = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>|<${name}\\s*/>`, "g"))].map((m) =>
    unesc(m[1] ?? ""),
  );

const malformed = () =>
  new CloudFrontError(400, "MalformedInput", "The XML document you provided was not well-formed.");

/** `<InvalidationBatch>` as the SDK serialises CreateInvalidation's body, checked as CloudFront does. */
function parseBatch(body: string): { callerReference: string; paths: string[] } {
  const batch = elements(body, "InvalidationBatch")[0];
  if (batch === undefined) throw malformed();
  const callerReference = elements(batch, "CallerReference")[0];
  const pathsXml = elements(batch, "Paths")[0];
  const quantity = Number(elements(pathsXml ?? "", "Quantity")[0]);
  if (!callerReference || pathsXml === undefined || !Number.isInteger(quantity)) throw malformed();
  const paths = elements(pathsXml, "Path");
  if (paths.length !== quantity)
    throw new CloudFrontError(
      400,
      "InconsistentQuantities",
      "The value of Quantity and the size of Items don't match.",
    );
  if (paths.length === 0 || paths.some((p) => !p.startsWith("/")))
    throw new CloudFrontError(
      400,
      "InvalidArgument",
      "Your request contains one or more invalid invalidation paths.",
    );
  return { callerReference, paths };
}

const sameBatch = (a: Invalidation, paths: string[]) =>
  a.paths.length === paths.length && a.paths.every((p, i) => p === paths[i]);

const invalidationXml = (inv: Invalidation, status: string) =>
  `<Invalidation xmlns="${XMLNS}"><Id>${inv.id}</Id><Status>${status}</Status><CreateTime>${inv.createTime}</CreateTime><InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity><Items>${inv.paths.map((p) => `<Path>${esc(p)}</Path>`).join("")}</Items></Paths><CallerReference>${esc(inv.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`;

/** Invalidation ids look like "I2J0I21PCUYOIK". */
const invalidationId = () =>
  `I${[...randomBytes(13)].map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b % 36]).join("")}`;

export async function startCloudFront(args: {
  /** Distribution ids that exist (one per Router); any other id is NoSuchDistribution, as in AWS. */
  distributions: string[];
  log?: (line: string) => void;
}): Promise<RunningCloudFront> {
  const byDistribution = new Map<string, Invalidation[]>(args.distributions.map((id) => [id, []]));
  let endpoint = "";

  const respond = async (
    req: IncomingMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body: string }> => {
    // The SDK signs every request (SigV4); an unsigned one is refused like CloudFront refuses it.
    if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 "))
      throw new CloudFrontError(403, "MissingAuthenticationToken", "Missing Authentication Token");
    const url = new URL(req.url ?? "/", "http://local");
    const match = new RegExp(`^/${VERSION}/distribution/([^/]+)/invalidation(?:/([^/]+))?$`).exec(
      url.pathname,
    );
    if (!match)
      throw new CloudFrontError(
        404,
        "UnknownOperationException",
        `No operation at ${req.method} ${url.pathname}`,
      );
    // Ids are letters and digits: anything else is simply an id that does not exist.
    const [, distributionId = "", requestedId] = match;
    const list = byDistribution.get(distributionId);
    if (!list)
      throw new CloudFrontError(404, "NoSuchDistribution", "The specified distribution does not exist.");

    if (req.method === "POST" && requestedId === undefined) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const { callerReference, paths } = parseBatch(Buffer.concat(chunks).toString("utf8"));
      const previous = list.find((i) => i.callerReference === callerReference);
      // The same CallerReference is how a retried request stays one invalidation.
      if (previous && !sameBatch(previous, paths))
        throw new CloudFrontError(
          409,
          "InvalidationBatchAlreadyExists",
          `Invalidation batch specified with caller reference ${callerReference} already exists.`,
        );
      const inv = previous ?? {
        id: invalidationId(),
        createTime: new Date().toISOString(),
        callerReference,
        paths,
      };
      if (!previous) {
        list.unshift(inv);
        args.log?.(`invalidation ${inv.id} on ${distributionId}: ${paths.join(" ")}`);
      }
      return {
        status: 201,
        headers: { location: `${endpoint}/${VERSION}/distribution/${distributionId}/invalidation/${inv.id}` },
        body: invalidationXml(inv, previous ? "Completed" : "InProgress"),
      };
    }
    if (req.method === "GET" && requestedId !== undefined) {
      const inv = list.find((i) => i.id === requestedId);
      if (!inv)
        throw new CloudFrontError(404, "NoSuchInvalidation", "The specified invalidation does not exist.");
      return { status: 200, body: invalidationXml(inv, "Completed") };
    }
    if (req.method === "GET") {
      // Newest first; Marker is the id the previous page ended with.
      const maxItems = Math.min(
        Number(url.searchParams.get("MaxItems") ?? MAX_ITEMS) || MAX_ITEMS,
        MAX_ITEMS,
      );
      const marker = url.searchParams.get("Marker") ?? "";
      const start = marker ? list.findIndex((i) => i.id === marker) + 1 : 0;
      const page = list.slice(start, start + maxItems);
      const truncated = start + maxItems < list.length;
      return {
        status: 200,
        body: `<InvalidationList xmlns="${XMLNS}"><Marker>${esc(marker)}</Marker>${
          truncated ? `<NextMarker>${page.at(-1)!.id}</NextMarker>` : ""
        }<MaxItems>${maxItems}</MaxItems><IsTruncated>${truncated}</IsTruncated><Quantity>${page.length}</Quantity>${
          page.length
            ? `<Items>${page
                .map(
                  (i) =>
                    `<InvalidationSummary><Id>${i.id}</Id><CreateTime>${i.createTime}</CreateTime><Status>Completed</Status></InvalidationSummary>`,
                )
                .join("")}</Items>`
            : ""
        }</InvalidationList>`,
      };
    }
    throw new CloudFrontError(405, "MethodNotAllowed", `${req.method} is not allowed on ${url.pathname}`);
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "text/xml", "x-amz-request-id": randomUUID(), ...headers });
    res.end(`<?xml version="1.0"?>\n${body}`);
  };
  const server = createServer((req, res) => {
    respond(req).then(
      (r) => send(res, r.status, r.body, r.headers),
      (err: unknown) => {
        const e =
          err instanceof CloudFrontError
            ? err
            : new CloudFrontError(500, "InternalError", (err as Error).message);
        send(
          res,
          e.status,
          `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${e.status < 500 ? "Sender" : "Receiver"}</Type><Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
  } catch (err) {
    throw new StandInError(
      "cloudfront",
      `the CloudFront stand-in could not start: ${(err as Error).message}`,
    );
  }
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

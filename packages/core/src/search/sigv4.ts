// SigV4 for the search domain: Amazon OpenSearch with IAM access, and the local stand-in, verify it.
import { createHash, createHmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";

/** What a request needs signed: its method, URL, headers and body as sent. */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Returns the headers to send: the given ones plus authorization and x-amz-date (and a session token). */
export type Signer = (request: SignableRequest) => Promise<Record<string, string>>;

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer asks for. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: Data) =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

export class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

/** OpenSearch Service's signing name. */
export const SERVICE = "es";

/** The request as the signer sees it; `host` is signed but left to fetch to send (it is the URL's). */
export const toHttpRequest = (r: SignableRequest) => ({
  method: r.method,
  protocol: r.url.protocol,
  hostname: r.url.hostname,
  ...(r.url.port ? { port: Number(r.url.port) } : {}),
  path: r.url.pathname,
  query: Object.fromEntries(r.url.searchParams),
  headers: { ...r.headers, host: r.url.host },
  ...(r.body ? { body: r.body } : {}),
});

/** Signs with the function's own credentials (the Lambda role in AWS, the local key pair offline). */
export function sigv4(
  o: { region?: string; credentials?: ConstructorParameters<typeof SignatureV4>[0]["credentials"] } = {},
): Signer {
  // Built at the first request, so loading the module (the route generator, tests) needs no region.
  let signer: SignatureV4 | undefined;
  const make = () => {
    const region = o.region ?? process.env.AWS_REGION;
    if (!region) throw new Error("SigV4 needs a region: set AWS_REGION");
    return new SignatureV4({
      credentials: o.credentials ?? defaultProvider(),
      region,
      service: SERVICE,
      sha256: Sha256,
    });
  };
  return async (request) => {
    signer ??= make();
    const signed = await signer.sign(toHttpRequest(request));
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    return headers;
  };
}

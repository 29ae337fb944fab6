// Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations) for tools that replay events, e.g. a redrive.
import { createServer, type Server } from "node:http";

export interface LambdaApiOptions {
  /** Function logical names by every name Lambda accepts for them: physical name and ARN. */
  functionFor: (nameOrArn: string) => string | undefined;
  invoke: (fn: string, event: unknown) => Promise<unknown>;
}

export interface RunningLambdaApi {
  endpoint: string;
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaApi(o: LambdaApiOptions): Promise<RunningLambdaApi> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const match = req.method === "POST" ? INVOKE.exec(path) : null;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (!match)
      return json(404, { Type: "User", message: `no such Lambda API operation: ${req.method} ${path}` });
    // A qualifier (":$LATEST") or a full ARN both name the one version the local cloud runs.
    const name = decodeURIComponent(match[1]!).replace(/:\$LATEST$/, "");
    const fn = o.functionFor(name);
    if (!fn)
      return json(
        404,
        { Type: "User", message: `Function not found: ${name}` },
        {
          "x-amzn-errortype": "ResourceNotFoundException",
        },
      );
    let event: unknown;
    try {
      event = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      return json(
        400,
        { Type: "User", message: "Could not parse request body into json" },
        {
          "x-amzn-errortype": "InvalidRequestContentException",
        },
      );
    }
    const async = req.headers["x-amz-invocation-type"] === "Event";
    const run = o.invoke(fn, event);
    if (async) {
      run.catch(() => undefined);
      return json(202, undefined);
    }
    try {
      const out = await run;
      json(200, out ?? null, { "x-amz-executed-version": "$LATEST" });
    } catch (err) {
      const e = err as Error;
      json(
        200,
        { errorType: e.name ?? "Error", errorMessage: e.message },
        {
          "x-amz-function-error": "Unhandled",
          "x-amz-executed-version": "$LATEST",
        },
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

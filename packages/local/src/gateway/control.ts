// The local cloud's control port: loopback only, never behind the one public origin. A test stops and starts the
// API gateways here (HTTP API and WebSocket API) to see what users see when API Gateway is down.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendJson } from "./http-api";

export interface GatewaySwitch {
  /** True while /api answers as CloudFront does when its origin fails and /ws refuses connections. */
  readonly originsDown: boolean;
  setOriginsDown(down: boolean): void;
}

export interface RunningControl {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /gateways` → `{api, ws}` ("up" | "down"); `POST /gateways/stop` and `POST /gateways/start`. Only the API
 * gateways: the static site, /config.json, the bucket's files and Cognito keep answering, as they would on AWS.
 */
export async function startControl(gateway: GatewaySwitch, port = 0): Promise<RunningControl> {
  const state = () => {
    const s = gateway.originsDown ? "down" : "up";
    return { api: s, ws: s };
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/gateways" && req.method === "GET") return sendJson(res, 200, state());
    if ((path === "/gateways/stop" || path === "/gateways/start") && req.method === "POST") {
      gateway.setOriginsDown(path.endsWith("/stop"));
      return sendJson(res, 200, state());
    }
    sendJson(res, 404, { message: "Not Found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

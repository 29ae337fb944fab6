import type { NextConfig } from "next";

// A static export: one build serves every stage, which reads its settings from /config.json at runtime.
const config: NextConfig = {
  output: "export",
  trailingSlash: true,
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  // The post text parser and the realtime client are shared with the server (TypeScript source in the workspace).
  transpilePackages: ["@asyncsns/core", "@asyncsns/realtime"],
};

export default config;

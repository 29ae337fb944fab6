import type { NextConfig } from "next";

// A static export: one build serves every stage, which reads its settings from /config.json at runtime.
const config: NextConfig = {
  output: "export",
  trailingSlash: true,
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
};

export default config;

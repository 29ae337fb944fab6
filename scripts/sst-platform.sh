#!/usr/bin/env bash
# Unpacks SST's platform (.sst/platform: the real components + @pulumi/*) without AWS, bun or the Pulumi CLI,
# so tsconfig.infra.json and tests/infra can use the real component types and code. Cached by a stamp file.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
platform="$root/.sst/platform"
stamp="$platform/.asyncsns-platform-stamp"
started=$(date +%s%N)

sst_version="$(node -p 'JSON.parse(require("fs").readFileSync("node_modules/sst/package.json", "utf8")).version')"
# Bump the suffix when this script's output changes shape (config.d.ts, install flags).
want="sst@${sst_version} platform-setup-v1"

elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$platform/node_modules/@pulumi/pulumi/package.json" \
  && -f "$platform/node_modules/@pulumi/aws/package.json" && -f "$platform/config.d.ts" ]]; then
  echo "sst-platform: up to date ($want), $(elapsed)"
  exit 0
fi

echo "sst-platform: setting up .sst/platform for $want"
# The platform folder belongs to one sst version: start clean so nothing stale survives an upgrade.
rm -rf "$platform"
mkdir -p "$root/.sst"

# SST_NO_BUN makes `sst install` use npm; without network to GitHub it may still fail after unpacking,
# which is fine as long as the platform sources are there.
if ! SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1 SST_NO_BUN=1 \
  npx --no-install sst install --stage local >"$root/.sst/install.log" 2>&1; then
  echo "sst-platform: 'sst install' failed (tolerated, see .sst/install.log); checking the unpacked platform"
fi
if [[ ! -f "$platform/src/components/index.ts" || ! -f "$platform/package.json" ]]; then
  echo "sst-platform: .sst/platform was not unpacked; see .sst/install.log" >&2
  cat "$root/.sst/install.log" >&2 || true
  exit 1
fi
if [[ "$(cat "$platform/version" 2>/dev/null)" != "$sst_version" ]]; then
  echo "sst-platform: .sst/platform/version is '$(cat "$platform/version" 2>/dev/null)', expected $sst_version" >&2
  exit 1
fi

if [[ ! -f "$platform/node_modules/@pulumi/pulumi/package.json" || ! -f "$platform/node_modules/@pulumi/aws/package.json" ]]; then
  echo "sst-platform: npm install in .sst/platform"
  (cd "$platform" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

# sst writes a config.d.ts that imports ../types.generated (made only by a real deploy); write our own.
cat >"$platform/config.d.ts" <<'EOF'
// Written by scripts/sst-platform.sh: the globals sst.config.ts sees, without the deploy-time types.generated.
import "./src/global.d.ts";
import type { App, AppInput, Config } from "./src/config";
import * as _aws from "@pulumi/aws";

declare global {
  // @ts-expect-error a namespace re-export is how sst exposes providers as globals
  export import aws = _aws;
  interface Providers {
    providers?: {
      aws?: (_aws.ProviderArgs & { version?: string }) | boolean | string;
    };
  }
  export const $config: (
    input: Omit<Config, "app"> & {
      app(input: AppInput): Promise<Omit<App, "providers"> & Providers> | (Omit<App, "providers"> & Providers);
    },
  ) => Config;
}
EOF

echo "$want" >"$stamp"
echo "sst-platform: ready ($(du -sh "$platform/node_modules" | cut -f1) of node_modules), $(elapsed)"

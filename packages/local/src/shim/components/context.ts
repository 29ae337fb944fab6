// What one evaluation of sst.config.ts records, shared by every component it makes.
import type { Topology } from "../../topology";

export type Args = Record<string, any>;
export type TransformFn = (args: Args, opts: Args, name: string) => void;

export interface RecorderContext {
  /** The app root: handlers resolve against it. */
  root: string;
  topology: Omit<Topology, "app" | "root" | "outputs">;
  /** `$transform(Component, fn)` callbacks by SST type, and by Pulumi type for `new aws.*` resources. */
  transforms: Map<string, TransformFn[]>;
  pulumiTransforms: Map<string, TransformFn[]>;
  /** `type::name` of every component, so a duplicate fails as in SST. */
  names: Set<string>;
  /** Function names by the ref token of their ARN, so a route given `fn.arn` runs that function. */
  fnRefs: Map<string, string>;
}

export function createContext(root: string): RecorderContext {
  return {
    root,
    topology: {
      resources: [],
      functions: [],
      httpRoutes: [],
      httpAuthorizers: [],
      wsRoutes: [],
      wsAuthorizers: [],
      streamSubscriptions: [],
      bucketNotifications: [],
      topicSubscriptions: [],
      queueSubscriptions: [],
      staticSites: [],
      routerRoutes: [],
      distributions: [],
      pulumiResources: [],
    },
    transforms: new Map(),
    pulumiTransforms: new Map(),
    names: new Set(),
    fnRefs: new Map(),
  };
}

// Pure checks over an evaluated app: `checkX(graph) → Problem[]`. The main suite expects `[]`; the
// negative suite evaluates deliberately broken fixtures and expects the precise problem.
export * from "./cloudfront";
export * from "./functions";
export * from "./iam";
export * from "./links";
export * from "./messaging";
export * from "./posture";
export * from "./routes";
export { type Problem, parsePolicy } from "./shared";
export * from "./stages";

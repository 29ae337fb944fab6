// Pure checks, so the main suite and the negative fixtures share them and expect `[]` or a precise problem.
export * from "./abuse";
export * from "./cloudfront";
export * from "./failures";
export * from "./functions";
export * from "./iam";
export * from "./links";
export * from "./messaging";
export * from "./observability";
export * from "./posture";
export * from "./routes";
export { type Problem, parsePolicy } from "./shared";
export * from "./stages";

export { fn } from "./fn";
export { graphemeLength } from "./text";

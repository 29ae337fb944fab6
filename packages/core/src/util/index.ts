export { fn } from "./fn";
export { checkText, fitsText, freeText, graphemeLength, neutralise, type TextRule, utf8Length } from "./text";

// The dispatcher's side of notifications: events derived from stream records, published to the topic. Its own
// entry, so the dispatcher links the topic and nothing of delivery (sockets, push).
export { audible, derive } from "./derive";
export { type Published, publish } from "./publish";

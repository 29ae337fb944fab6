// Errors the stand-in answers with OpenSearch's status and error type.
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

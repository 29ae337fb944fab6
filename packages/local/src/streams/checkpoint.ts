// Where each shard's reading stopped, on disk: a restarted poller resumes there instead of at LATEST.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface ShardPosition {
  /** Sequence number of the last record handled (delivered, filtered out or given up on). */
  sequence?: string;
  /** Closed and read to its end. */
  done?: boolean;
}

interface Saved {
  streamArn: string;
  shards: Record<string, ShardPosition>;
}

export class StreamCheckpoint {
  private shards: Record<string, ShardPosition> = {};
  private last = "";
  /** A checkpoint of this very stream was found: shards it does not know were born while the poller was down. */
  readonly resumed: boolean;

  constructor(
    private readonly file: string,
    private readonly streamArn: string,
  ) {
    let saved: Saved | undefined;
    try {
      if (existsSync(file)) saved = JSON.parse(readFileSync(file, "utf8")) as Saved;
    } catch {
      saved = undefined;
    }
    // A recreated table has a new stream: its old positions mean nothing.
    this.resumed = saved?.streamArn === streamArn;
    if (this.resumed) this.shards = { ...saved!.shards };
    this.last = JSON.stringify(this.shards);
  }

  position(shardId: string): ShardPosition | undefined {
    return this.shards[shardId];
  }

  set(shardId: string, position: ShardPosition): void {
    this.shards[shardId] = position;
  }

  /** Forgets shards the stream no longer lists (trimmed after 24 h). */
  keepOnly(shardIds: Set<string>): void {
    for (const id of Object.keys(this.shards)) if (!shardIds.has(id)) delete this.shards[id];
  }

  /** Write-then-rename, so a kill -9 leaves the old checkpoint or the new one, never half of one. */
  save(): void {
    const json = JSON.stringify(this.shards);
    if (json === this.last) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ streamArn: this.streamArn, shards: this.shards } satisfies Saved));
    renameSync(tmp, this.file);
    this.last = json;
  }
}

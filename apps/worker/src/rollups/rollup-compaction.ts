import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How often the rollups' deltas are folded: a minute of writes is a few thousand rows at most. */
const COMPACT_EVERY_MS = 60_000;

/**
 * Writes append deltas to the rollup tables (migration Rollups1764600000000) and readers sum
 * them; folding them now and then keeps those sums short. Any number of workers may run this:
 * `compact_rollups()` lets one at a time in and the others return at once.
 */
@Injectable()
export class RollupCompaction implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('rollups');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.compact(), COMPACT_EVERY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  compact(): Promise<void> {
    this.running ??= this.db
      .query('SELECT compact_rollups()')
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`compaction failed, will try again: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

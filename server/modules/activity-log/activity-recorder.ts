import { type EngineDb } from '../../workflows/engine/db.types.js';
import { insertActivityEntries, type NewActivityEntry } from './activity.repository.js';

/**
 * The activity log's writer, for the workflow engine, the generic workflow service and the
 * procedures (reads go through `ActivityService`). Entries with an `externalId` are written once:
 * a resumed step or a retried request never logs the same action twice.
 */
export class ActivityRecorder {
  constructor(private readonly db: EngineDb) {}

  async record(...entries: NewActivityEntry[]): Promise<void> {
    if (entries.length > 0) {
      await insertActivityEntries(this.db, entries);
    }
  }
}

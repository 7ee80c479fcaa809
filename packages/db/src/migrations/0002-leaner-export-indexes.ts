import { runStatements, type Migration } from '../migration.js';

/**
 * Every export insert updated nine indexes. Three of them served no query: `(user_id)` and `(video_id)` are
 * the leading columns of the `(…, created_at DESC)` indexes, which also serve the foreign keys' cascades,
 * and nothing filters exports by `created_at` alone. `(status)` served only the queue reconciler's look for
 * old pending exports; a partial index of the pending ones does that and stays as small as the queue.
 * Videos get the same for their reconciler (pending and processing probes), which scanned the table.
 */
export const leanerExportIndexes: Migration = {
  name: '0002-leaner-export-indexes',
  async up(queryInterface) {
    await runStatements(queryInterface, [
      'DROP INDEX exports_user_id_idx',
      'DROP INDEX exports_video_id_idx',
      'DROP INDEX exports_created_at_idx',
      'DROP INDEX exports_status_idx',
      `CREATE INDEX exports_pending_updated_at_idx ON exports (updated_at) WHERE status = 'pending'`,
      `CREATE INDEX videos_unfinished_updated_at_idx ON videos (updated_at)
        WHERE status IN ('pending', 'processing')`,
    ]);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, [
      'DROP INDEX videos_unfinished_updated_at_idx',
      'DROP INDEX exports_pending_updated_at_idx',
      'CREATE INDEX exports_status_idx ON exports (status)',
      'CREATE INDEX exports_created_at_idx ON exports (created_at)',
      'CREATE INDEX exports_video_id_idx ON exports (video_id)',
      'CREATE INDEX exports_user_id_idx ON exports (user_id)',
    ]);
  },
};

import { runStatements, type Migration } from '../migration.js';

/** The columns the export list filters by, which key a count. */
const KEY = 'user_id, video_id, status, export_type';

/** The list's indexes: the one replaced, its replacement, and the columns before the page's order. */
const ORDERED_INDEXES = [
  ['exports_user_id_created_at_idx', 'exports_user_id_created_at_id_idx', 'user_id'],
  ['exports_video_id_created_at_idx', 'exports_video_id_created_at_id_idx', 'video_id'],
  ['exports_user_id_status_created_at_idx', 'exports_user_id_status_created_at_id_idx', 'user_id, status'],
] as const;

/** Adds each key's change in `deltas` (a query of `KEY, delta` rows) to its count; drops counts at zero. */
const applyDeltas = (deltas: string) => `
    INSERT INTO export_counts AS counts (${KEY}, count)
      SELECT ${KEY}, sum(delta) FROM (${deltas}) AS changes
      GROUP BY ${KEY} HAVING sum(delta) <> 0
      ORDER BY ${KEY}
    ON CONFLICT (${KEY}) DO UPDATE SET count = counts.count + excluded.count;
    DELETE FROM export_counts AS counts USING (SELECT DISTINCT ${KEY} FROM (${deltas}) AS changes) AS touched
      WHERE counts.count = 0 AND (counts.user_id, counts.video_id, counts.status, counts.export_type) =
        (touched.user_id, touched.video_id, touched.status, touched.export_type);`;

/**
 * The export list, the API's slowest answer, for a user with 10,000 exports. Its `total` counted every one of
 * the user's exports on every page (2 to 5 ms, most of a page's database time): `export_counts` keeps the number of exports per user, video, status and
 * type, kept by statement triggers in the transaction that changes `exports`, so it is exact whenever read;
 * a total sums a few of its rows. The triggers add each statement's changes in key order, so two statements
 * that touch the same counts lock them in the same order and cannot deadlock. No foreign keys: a deleted
 * video's exports go by cascade, and their triggers bring its counts to zero, which removes them.
 * And a page is ordered by `created_at` then `id`, while the indexes held `created_at` only: exports created
 * in the same instant (one statement, one transaction) were all read and sorted to find 20 of them (56 ms for
 * 10,000). The indexes now end with `id`, in the page's order (read backwards for ascending pages), and
 * replace the old ones, so an insert updates as many indexes as before.
 */
export const exportList: Migration = {
  name: '0006-export-list',
  async up(queryInterface) {
    await runStatements(queryInterface, [
      ...ORDERED_INDEXES.flatMap(([old, name, columns]) => [
        `DROP INDEX ${old}`,
        `CREATE INDEX ${name} ON exports (${columns}, created_at DESC, id DESC)`,
      ]),
      `CREATE TABLE export_counts (
        user_id uuid NOT NULL,
        video_id uuid NOT NULL,
        status export_status NOT NULL,
        export_type export_type NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (${KEY})
      )`,
      `CREATE FUNCTION export_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${applyDeltas(`SELECT ${KEY}, 1 AS delta FROM new_rows`)}
        RETURN NULL;
      END $$`,
      `CREATE FUNCTION export_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${applyDeltas(`SELECT ${KEY}, -1 AS delta FROM old_rows`)}
        RETURN NULL;
      END $$`,
      // most updates (progress, the output's key) move no count: the deltas cancel out and nothing is written
      `CREATE FUNCTION export_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${applyDeltas(
        `SELECT ${KEY}, 1 AS delta FROM new_rows UNION ALL SELECT ${KEY}, -1 AS delta FROM old_rows`,
      )}
        RETURN NULL;
      END $$`,
      `CREATE TRIGGER export_counts_insert AFTER INSERT ON exports REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION export_counts_after_insert()`,
      `CREATE TRIGGER export_counts_delete AFTER DELETE ON exports REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION export_counts_after_delete()`,
      `CREATE TRIGGER export_counts_update AFTER UPDATE ON exports
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION export_counts_after_update()`,
      // no export may change between the count below and the triggers taking over
      'LOCK TABLE exports IN SHARE MODE',
      `INSERT INTO export_counts (${KEY}, count) SELECT ${KEY}, count(*) FROM exports GROUP BY ${KEY}`,
    ]);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, [
      ...ORDERED_INDEXES.flatMap(([old, name, columns]) => [
        `DROP INDEX ${name}`,
        `CREATE INDEX ${old} ON exports (${columns}, created_at DESC)`,
      ]),
      'DROP TRIGGER export_counts_update ON exports',
      'DROP TRIGGER export_counts_delete ON exports',
      'DROP TRIGGER export_counts_insert ON exports',
      'DROP FUNCTION export_counts_after_update()',
      'DROP FUNCTION export_counts_after_delete()',
      'DROP FUNCTION export_counts_after_insert()',
      'DROP TABLE export_counts',
    ]);
  },
};

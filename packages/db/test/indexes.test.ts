import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/migrator.js';
import { createSequelize } from '../src/sequelize.js';
import { createTestDatabase } from '../../../testing/services.js';

const user = '00000000-0000-4000-8000-000000000001';
const video = '00000000-0000-4000-8000-000000000002';

/**
 * The list queries the API runs, each checked with EXPLAIN to be served by an index. Sequential scans are
 * disabled for the check, since on a near-empty table the planner rightly prefers them.
 */
describe('indexes behind the list queries', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
  });

  afterAll(async () => {
    await sequelize.close();
    await database.drop();
  });

  async function plan(sql: string): Promise<string> {
    return sequelize.transaction(async (transaction) => {
      await sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
      const rows = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, {
        type: QueryTypes.SELECT,
        transaction,
      });
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it.each([
    [
      'a user’s exports, newest first',
      `SELECT * FROM exports WHERE user_id = '${user}' ORDER BY created_at DESC, id DESC LIMIT 20`,
      'exports_user_id_created_at_id_idx',
    ],
    [
      'a video’s exports, newest first',
      `SELECT * FROM exports WHERE user_id = '${user}' AND video_id = '${video}' ORDER BY created_at DESC, id DESC LIMIT 20`,
      'exports_video_id_created_at_id_idx',
    ],
    [
      'a user’s exports in one status',
      `SELECT * FROM exports WHERE user_id = '${user}' AND status = 'completed' ORDER BY created_at DESC LIMIT 20`,
      'exports_user_id_status_created_at_id_idx',
    ],
    [
      'an idempotency key lookup',
      `SELECT * FROM exports WHERE user_id = '${user}' AND idempotency_key = 'k'`,
      'exports_user_id_idempotency_key_idx',
    ],
    [
      'the running exports of a video',
      `SELECT * FROM exports WHERE video_id = '${video}' AND status IN ('pending', 'processing')`,
      'exports_video_id',
    ],
    [
      'the queue reconciler’s oldest pending exports',
      `SELECT id FROM exports WHERE status = 'pending' AND updated_at < now() ORDER BY updated_at ASC LIMIT 100`,
      'exports_pending_updated_at_idx',
    ],
    [
      'the queue reconciler’s oldest unfinished videos',
      `SELECT id FROM videos WHERE status IN ('pending', 'processing') AND updated_at < now() ORDER BY updated_at ASC LIMIT 100`,
      'videos_unfinished_updated_at_idx',
    ],
    [
      'a user’s videos, newest first',
      `SELECT * FROM videos WHERE user_id = '${user}' ORDER BY created_at DESC LIMIT 20`,
      'videos_user_id_created_at_idx',
    ],
    [
      'a user by the host app’s id',
      `SELECT id FROM users WHERE external_id = 'alice'`,
      'users_external_id_key',
    ],
  ])('%s uses %s', async (_name, sql, index) => {
    const explained = await plan(sql);
    expect(explained).toContain(index);
    expect(explained).not.toMatch(/Seq Scan/);
  });

  it.each([
    ['a user’s exports', `user_id = '${user}'`],
    ['a video’s exports', `user_id = '${user}' AND video_id = '${video}'`],
    ['a user’s exports in one status', `user_id = '${user}' AND status = 'completed'`],
  ])('reads a page of %s in its order, with no sort (ties on created_at included)', async (_name, where) => {
    for (const order of ['DESC', 'ASC']) {
      const explained = await plan(
        `SELECT * FROM exports WHERE ${where} ORDER BY created_at ${order}, id ${order} LIMIT 20 OFFSET 40`,
      );
      expect(explained).not.toMatch(/Sort|Seq Scan/);
    }
  });

  it('keeps no index on exports that no query needs (each one costs every insert)', async () => {
    const rows = await sequelize.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'exports' ORDER BY indexname",
      { type: QueryTypes.SELECT },
    );
    expect(rows.map((row) => row.indexname)).toEqual([
      'exports_pending_updated_at_idx',
      'exports_pkey',
      'exports_user_id_created_at_id_idx',
      'exports_user_id_idempotency_key_idx',
      'exports_user_id_status_created_at_id_idx',
      'exports_video_id_created_at_id_idx',
    ]);
  });
});

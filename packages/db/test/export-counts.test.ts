import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/migrator.js';
import { createSequelize } from '../src/sequelize.js';
import { createTestDatabase } from '../../../testing/services.js';

const user = '00000000-0000-4000-8000-000000000001';
const videos = ['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];

/**
 * export_counts, kept by triggers on exports, against a count of the rows themselves after each kind of
 * change the API and the workers make: inserts, status changes (one row and many), progress writes,
 * deletes, and a video's exports going by cascade.
 */
describe('export_counts', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  const query = (sql: string) => sequelize.query(sql, { type: QueryTypes.SELECT });

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
    await query(`INSERT INTO users (id, external_id) VALUES ('${user}', 'counts')`);
    for (const video of videos) {
      await query(`INSERT INTO videos (id, user_id, title, source, status, duration_seconds)
        VALUES ('${video}', '${user}', 'v', 'shared/v.mp4', 'completed', 60)`);
    }
  });

  afterAll(async () => {
    await sequelize.close();
    await database.drop();
  });

  const insertExports = (video: string, count: number, type = 'single') =>
    query(`INSERT INTO exports (video_id, user_id, export_type, resolution, format, quality_preset,
        segment_selections, total_duration_seconds)
      SELECT '${video}', '${user}', '${type}', '720p', 'mp4', 'low', '[]', 1 FROM generate_series(1, ${count})`);

  async function kept(): Promise<string[]> {
    const rows = await query(`SELECT video_id, status, export_type, count FROM export_counts
      WHERE user_id = '${user}' ORDER BY 1, 2, 3`);
    return rows.map((row) => Object.values(row).join(' '));
  }

  async function counted(): Promise<string[]> {
    const rows = await query(`SELECT video_id, status, export_type, count(*) AS count FROM exports
      WHERE user_id = '${user}' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    return rows.map((row) => Object.values(row).join(' '));
  }

  it('match a count of the exports after every kind of change', async () => {
    await insertExports(videos[0]!, 30);
    await insertExports(videos[0]!, 5, 'clips');
    await insertExports(videos[1]!, 12);
    expect(await kept()).toEqual(await counted());
    expect(await kept()).toHaveLength(3);

    await query(`UPDATE exports SET status = 'processing' WHERE id IN
      (SELECT id FROM exports WHERE video_id = '${videos[0]}' LIMIT 7)`);
    await query(`UPDATE exports SET progress_percentage = 50 WHERE status = 'processing'`);
    await query(`UPDATE exports SET status = 'completed' WHERE id IN
      (SELECT id FROM exports WHERE status = 'processing' LIMIT 3)`);
    await query(`UPDATE exports SET status = 'cancelled'
      WHERE video_id = '${videos[0]}' AND status IN ('pending', 'processing')`);
    expect(await kept()).toEqual(await counted());

    await query(
      `DELETE FROM exports WHERE id IN (SELECT id FROM exports WHERE status = 'completed' LIMIT 2)`,
    );
    expect(await kept()).toEqual(await counted());

    await query(`DELETE FROM videos WHERE id = '${videos[1]}'`);
    expect(await kept()).toEqual(await counted());
    expect((await kept()).every((row) => row.startsWith(videos[0]!))).toBe(true);
  });

  it('holds no rows for counts that fell to zero', async () => {
    await query(`DELETE FROM exports WHERE user_id = '${user}'`);
    expect(await kept()).toEqual([]);
  });
});

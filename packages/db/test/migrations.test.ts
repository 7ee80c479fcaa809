import { QueryTypes, type Sequelize } from 'sequelize';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest } from '../src/migrator.js';
import { migrations } from '../src/migrations/index.js';
import { createSequelize } from '../src/sequelize.js';
import { createTestDatabase } from '../../../testing/services.js';

async function tableNames(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.tablename);
}

async function enumTypes(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ typname: string }>(
    "SELECT typname FROM pg_type WHERE typtype = 'e' ORDER BY typname",
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.typname);
}

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;

  beforeEach(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
  });

  afterEach(async () => {
    await sequelize.close();
    await database.drop();
  });

  it('create the schema, revert it completely, and apply again', async () => {
    expect(await migrateToLatest(sequelize)).toEqual(migrations.map((migration) => migration.name));
    expect(await tableNames(sequelize)).toEqual([
      'export_counts',
      'export_settings',
      'exports',
      'schema_migrations',
      'users',
      'videos',
    ]);
    expect(await enumTypes(sequelize)).toEqual([
      'export_format',
      'export_resolution',
      'export_status',
      'export_type',
      'quality_preset',
      'video_status',
    ]);

    expect(await migrateDown(sequelize)).toHaveLength(migrations.length);
    expect(await tableNames(sequelize)).toEqual(['schema_migrations']);
    expect(await enumTypes(sequelize)).toEqual([]);

    expect(await migrateToLatest(sequelize)).toHaveLength(migrations.length);
    expect(await migrateToLatest(sequelize)).toEqual([]);
  });

  it('apply each migration once when several API processes start together', async () => {
    const others = [
      createSequelize(database.url),
      createSequelize(database.url),
      createSequelize(database.url),
    ];
    try {
      const results = await Promise.all([sequelize, ...others].map((instance) => migrateToLatest(instance)));
      expect(results.flat()).toEqual(migrations.map((migration) => migration.name));
      const [rows] = await sequelize.query('SELECT name FROM schema_migrations');
      expect(rows).toHaveLength(migrations.length);
    } finally {
      await Promise.all(others.map((instance) => instance.close()));
    }
  });

  it('enforce the progress range and the enum values in the database itself', async () => {
    await migrateToLatest(sequelize);
    await sequelize.query(`
      INSERT INTO users (id, external_id) VALUES ('00000000-0000-4000-8000-000000000001', 'alice');
      INSERT INTO videos (id, user_id, title, source)
        VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 't', 's');`);
    const insertExport = (progress: number, status = 'pending') =>
      sequelize.query(
        `INSERT INTO exports (video_id, user_id, export_type, resolution, format, quality_preset, status,
           progress_percentage, segment_selections, total_duration_seconds)
         VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001',
           'single', '720p', 'mp4', 'low', '${status}', ${progress}, '[]', 1)`,
      );
    await expect(insertExport(100)).resolves.toBeDefined();
    await expect(insertExport(101)).rejects.toThrow(/check constraint/);
    await expect(insertExport(50, 'exploded')).rejects.toThrow(/invalid input value for enum/);
  });

  it('delete a video’s exports with the video', async () => {
    await migrateToLatest(sequelize);
    await sequelize.query(`
      INSERT INTO users (id, external_id) VALUES ('00000000-0000-4000-8000-000000000001', 'alice');
      INSERT INTO videos (id, user_id, title, source)
        VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 't', 's');
      INSERT INTO exports (video_id, user_id, export_type, resolution, format, quality_preset,
          segment_selections, total_duration_seconds)
        VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001',
          'single', '720p', 'mp4', 'low', '[]', 1);
      DELETE FROM videos;`);
    const [rows] = await sequelize.query('SELECT count(*)::int AS count FROM exports');
    expect(rows).toEqual([{ count: 0 }]);
  });
});

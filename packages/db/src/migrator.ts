import type { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Migration } from './migration.js';
import { migrations as allMigrations } from './migrations/index.js';

/** Arbitrary constant that names vexport's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK_KEY = 7_248_301_117;

/** An umzug migrator over the given migrations, recording what ran in `schema_migrations`. */
export function createMigrator(sequelize: Sequelize, migrations: readonly Migration[] = allMigrations) {
  const queryInterface = sequelize.getQueryInterface();
  return new Umzug({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: () => migration.up(queryInterface),
      down: () => migration.down(queryInterface),
    })),
    context: queryInterface,
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/**
 * Holds vexport's advisory lock while `work` runs, so that API processes starting together apply each
 * migration once: the others wait for the lock, then find nothing left to do.
 */
async function withMigrationLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(:key)', {
      replacements: { key: MIGRATION_LOCK_KEY },
      transaction,
    });
    return work();
  });
}

/** Applies every pending migration under the lock; resolves to the names applied. */
export async function migrateToLatest(
  sequelize: Sequelize,
  migrations?: readonly Migration[],
): Promise<string[]> {
  const migrator = createMigrator(sequelize, migrations);
  const applied = await withMigrationLock(sequelize, () => migrator.up());
  return applied.map((migration) => migration.name);
}

/** Reverts migrations down to (not including) `to`, or all of them when `to` is 0; under the lock. */
export async function migrateDown(
  sequelize: Sequelize,
  { to = 0 }: { to?: string | 0 } = {},
  migrations?: readonly Migration[],
): Promise<string[]> {
  const migrator = createMigrator(sequelize, migrations);
  const reverted = await withMigrationLock(sequelize, () => migrator.down({ to }));
  return reverted.map((migration) => migration.name);
}

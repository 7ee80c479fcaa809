export { createSequelize, readPostgresVersion } from './sequelize.js';
export { migrateToLatest, migrateDown, createMigrator } from './migrator.js';
export { migrations } from './migrations/index.js';
export type { Migration } from './migration.js';
export {
  initModels,
  User,
  Video,
  Export,
  ExportSettings,
  type ExportAttributes,
  type Models,
} from './models/models.js';

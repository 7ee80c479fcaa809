import { runStatements, type Migration } from '../migration.js';

/**
 * Whether a completed export's picture is larger than its source's (an 854×480 source exported at 1080p),
 * so clients can warn that it holds no more detail than the source. Null until the worker has planned it,
 * and for exports made before the worker recorded it.
 */
export const exportUpscaled: Migration = {
  name: '0003-export-upscaled',
  async up(queryInterface) {
    await runStatements(queryInterface, ['ALTER TABLE exports ADD COLUMN upscaled boolean']);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, ['ALTER TABLE exports DROP COLUMN upscaled']);
  },
};

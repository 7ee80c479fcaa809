import { runStatements, type Migration } from '../migration.js';

/**
 * Why a video's probe refused its source, as a stable code clients can act on (the SDK's
 * SOURCE_REFUSAL_CODES). Text rather than an enum, so a new code needs no migration. Null for videos that
 * were not refused, for failures that are not the source's fault, and for videos failed before it existed.
 */
export const videoErrorCode: Migration = {
  name: '0004-video-error-code',
  async up(queryInterface) {
    await runStatements(queryInterface, ['ALTER TABLE videos ADD COLUMN error_code text']);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, ['ALTER TABLE videos DROP COLUMN error_code']);
  },
};

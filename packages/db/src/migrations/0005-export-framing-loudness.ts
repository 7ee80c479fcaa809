import { runStatements, type Migration } from '../migration.js';

/**
 * The output picture's shape and how the source meets it (the SDK's FRAMINGS and FRAMING_FITS), and the
 * integrated loudness target in LUFS. Text rather than enums, so a new framing needs no migration; the
 * defaults are what every export made before these columns existed produced (the source's shape, the audio
 * level untouched).
 */
export const exportFramingLoudness: Migration = {
  name: '0005-export-framing-loudness',
  async up(queryInterface) {
    await runStatements(queryInterface, [
      `ALTER TABLE exports
         ADD COLUMN framing text NOT NULL DEFAULT 'original',
         ADD COLUMN framing_fit text NOT NULL DEFAULT 'crop',
         ADD COLUMN loudness_lufs real`,
    ]);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, [
      'ALTER TABLE exports DROP COLUMN framing, DROP COLUMN framing_fit, DROP COLUMN loudness_lufs',
    ]);
  },
};

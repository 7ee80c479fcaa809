import type { Migration } from '../migration.js';
import { initialSchema } from './0001-initial-schema.js';
import { leanerExportIndexes } from './0002-leaner-export-indexes.js';
import { exportUpscaled } from './0003-export-upscaled.js';
import { videoErrorCode } from './0004-video-error-code.js';
import { exportFramingLoudness } from './0005-export-framing-loudness.js';
import { exportList } from './0006-export-list.js';

/** Every migration, oldest first. A new one is appended here; released ones are never edited. */
export const migrations: readonly Migration[] = [
  initialSchema,
  leanerExportIndexes,
  exportUpscaled,
  videoErrorCode,
  exportFramingLoudness,
  exportList,
];

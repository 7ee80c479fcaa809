import { ExportStatus, ExportType, Format, QualityPreset, Resolution, VideoStatus } from '@vexport/sdk';
import { runStatements, sqlEnumValues, type Migration } from '../migration.js';

const timestamps = `
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()`;

/**
 * Users, videos, exports and per-user export settings.
 * Deleting a video deletes its exports (ON DELETE CASCADE); the API removes their stored files first.
 */
export const initialSchema: Migration = {
  name: '0001-initial-schema',
  async up(queryInterface) {
    await runStatements(queryInterface, [
      `CREATE TYPE video_status AS ENUM (${sqlEnumValues(VideoStatus.options)})`,
      `CREATE TYPE export_status AS ENUM (${sqlEnumValues(ExportStatus.options)})`,
      `CREATE TYPE export_type AS ENUM (${sqlEnumValues(ExportType.options)})`,
      `CREATE TYPE export_resolution AS ENUM (${sqlEnumValues(Resolution.options)})`,
      `CREATE TYPE export_format AS ENUM (${sqlEnumValues(Format.options)})`,
      `CREATE TYPE quality_preset AS ENUM (${sqlEnumValues(QualityPreset.options)})`,
      `CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        external_id text NOT NULL UNIQUE CHECK (length(external_id) BETWEEN 1 AND 255),${timestamps}
      )`,
      `CREATE TABLE videos (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title text NOT NULL,
        source text NOT NULL,
        status video_status NOT NULL DEFAULT 'pending',
        duration_seconds double precision CHECK (duration_seconds >= 0),
        width integer CHECK (width >= 0),
        height integer CHECK (height >= 0),
        fps double precision CHECK (fps >= 0),
        video_codec text,
        audio_codec text,
        rotation smallint,
        size_bytes bigint CHECK (size_bytes >= 0),
        error_message text,${timestamps}
      )`,
      'CREATE INDEX videos_user_id_created_at_idx ON videos (user_id, created_at DESC)',
      `CREATE TABLE exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        export_type export_type NOT NULL,
        resolution export_resolution NOT NULL,
        format export_format NOT NULL,
        quality_preset quality_preset NOT NULL,
        status export_status NOT NULL DEFAULT 'pending',
        progress_percentage smallint NOT NULL DEFAULT 0 CHECK (progress_percentage BETWEEN 0 AND 100),
        segment_selections jsonb NOT NULL CHECK (jsonb_typeof(segment_selections) = 'array'),
        total_duration_seconds double precision NOT NULL CHECK (total_duration_seconds >= 0),
        output_s3_key text,
        output_url text,
        file_size_bytes bigint CHECK (file_size_bytes >= 0),
        error_message text,
        idempotency_key text,
        request_fingerprint text,
        started_at timestamptz,
        completed_at timestamptz,${timestamps}
      )`,
      'CREATE INDEX exports_user_id_idx ON exports (user_id)',
      'CREATE INDEX exports_video_id_idx ON exports (video_id)',
      'CREATE INDEX exports_status_idx ON exports (status)',
      'CREATE INDEX exports_created_at_idx ON exports (created_at)',
      'CREATE INDEX exports_user_id_created_at_idx ON exports (user_id, created_at DESC)',
      'CREATE INDEX exports_video_id_created_at_idx ON exports (video_id, created_at DESC)',
      'CREATE INDEX exports_user_id_status_created_at_idx ON exports (user_id, status, created_at DESC)',
      `CREATE UNIQUE INDEX exports_user_id_idempotency_key_idx ON exports (user_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`,
      `CREATE TABLE export_settings (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        default_resolution export_resolution NOT NULL,
        default_format export_format NOT NULL,
        default_quality quality_preset NOT NULL,
        custom_presets jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(custom_presets) = 'array'),${timestamps}
      )`,
    ]);
  },
  async down(queryInterface) {
    await runStatements(queryInterface, [
      'DROP TABLE export_settings',
      'DROP TABLE exports',
      'DROP TABLE videos',
      'DROP TABLE users',
      'DROP TYPE quality_preset',
      'DROP TYPE export_format',
      'DROP TYPE export_resolution',
      'DROP TYPE export_type',
      'DROP TYPE export_status',
      'DROP TYPE video_status',
    ]);
  },
};

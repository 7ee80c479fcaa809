import {
  DEFAULT_FRAMING,
  DEFAULT_FRAMING_FIT,
  EXPORT_STATUSES,
  EXPORT_TYPES,
  FORMATS,
  QUALITY_PRESETS,
  RESOLUTIONS,
  VIDEO_STATUSES,
  type CustomPreset,
  type ExportSegmentInput,
  type ExportStatus,
  type ExportType,
  type Format,
  type Framing,
  type FramingFit,
  type QualityPreset,
  type Resolution,
  type SourceRefusalCode,
  type VideoStatus,
} from '@vexport/sdk';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';

const timestampOptions = {
  timestamps: true,
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  underscored: true,
} as const;
const timestampColumns = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
/** PostgreSQL bigint arrives as a string; these columns never exceed 2^53, so numbers are safe. */
const bigintAsNumber = (name: string) => ({
  type: DataTypes.BIGINT,
  get(this: Model): number | null {
    const value = this.getDataValue(name as never) as string | number | null;
    return value === null ? null : Number(value);
  },
});

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<string>;
  declare external_id: string;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}
export class Video extends Model<InferAttributes<Video>, InferCreationAttributes<Video>> {
  declare id: CreationOptional<string>;
  declare user_id: ForeignKey<string>;
  declare title: string;
  declare source: string;
  declare status: CreationOptional<VideoStatus>;
  declare duration_seconds: CreationOptional<number | null>;
  declare width: CreationOptional<number | null>;
  declare height: CreationOptional<number | null>;
  declare fps: CreationOptional<number | null>;
  declare video_codec: CreationOptional<string | null>;
  declare audio_codec: CreationOptional<string | null>;
  declare rotation: CreationOptional<number | null>;
  declare size_bytes: CreationOptional<number | null>;
  declare error_message: CreationOptional<string | null>;
  /** Why the probe refused the source, for clients; null unless the source itself was refused. */
  declare error_code: CreationOptional<SourceRefusalCode | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
  declare exports?: NonAttribute<Export[]>;
}
export class Export extends Model<InferAttributes<Export>, InferCreationAttributes<Export>> {
  declare id: CreationOptional<string>;
  declare video_id: ForeignKey<string>;
  declare user_id: ForeignKey<string>;
  declare export_type: ExportType;
  declare resolution: Resolution;
  declare format: Format;
  declare quality_preset: QualityPreset;
  /** The output picture's shape; the source's own (`original`) unless the request chose one. */
  declare framing: CreationOptional<Framing>;
  /** How the picture meets the framing: centre crop or black bars. */
  declare framing_fit: CreationOptional<FramingFit>;
  /** Integrated loudness target in LUFS; null leaves the audio level untouched. */
  declare loudness_lufs: CreationOptional<number | null>;
  declare status: CreationOptional<ExportStatus>;
  declare progress_percentage: CreationOptional<number>;
  declare segment_selections: ExportSegmentInput[];
  declare total_duration_seconds: number;
  declare output_s3_key: CreationOptional<string | null>;
  declare output_url: CreationOptional<string | null>;
  declare file_size_bytes: CreationOptional<number | null>;
  /** True when the output picture is larger than the source's; null until the worker planned it. */
  declare upscaled: CreationOptional<boolean | null>;
  declare error_message: CreationOptional<string | null>;
  declare idempotency_key: CreationOptional<string | null>;
  declare request_fingerprint: CreationOptional<string | null>;
  declare started_at: CreationOptional<Date | null>;
  declare completed_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
  declare video?: NonAttribute<Video>;
}
/** An export's columns as plain data: what a raw query returns, and what a model instance also holds. */
export type ExportAttributes = InferAttributes<Export>;

export class ExportSettings extends Model<
  InferAttributes<ExportSettings>,
  InferCreationAttributes<ExportSettings>
> {
  declare user_id: string;
  declare default_resolution: Resolution;
  declare default_format: Format;
  declare default_quality: QualityPreset;
  declare custom_presets: CustomPreset[];
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

/**
 * Binds the models to a Sequelize instance (the schema itself comes from the migrations, never `sync()`).
 * Call once per process, before any query.
 */
export function initModels(sequelize: Sequelize): Models {
  User.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      external_id: { type: DataTypes.TEXT, allowNull: false, unique: true },
      ...timestampColumns,
    },
    { sequelize, tableName: 'users', modelName: 'User', ...timestampOptions },
  );

  Video.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      title: { type: DataTypes.TEXT, allowNull: false },
      source: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.ENUM(...VIDEO_STATUSES), allowNull: false, defaultValue: 'pending' },
      duration_seconds: { type: DataTypes.DOUBLE },
      width: { type: DataTypes.INTEGER },
      height: { type: DataTypes.INTEGER },
      fps: { type: DataTypes.DOUBLE },
      video_codec: { type: DataTypes.TEXT },
      audio_codec: { type: DataTypes.TEXT },
      rotation: { type: DataTypes.SMALLINT },
      size_bytes: bigintAsNumber('size_bytes'),
      error_message: { type: DataTypes.TEXT },
      error_code: { type: DataTypes.TEXT },
      ...timestampColumns,
    },
    { sequelize, tableName: 'videos', modelName: 'Video', ...timestampOptions },
  );

  Export.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      export_type: { type: DataTypes.ENUM(...EXPORT_TYPES), allowNull: false },
      resolution: { type: DataTypes.ENUM(...RESOLUTIONS), allowNull: false },
      format: { type: DataTypes.ENUM(...FORMATS), allowNull: false },
      quality_preset: { type: DataTypes.ENUM(...QUALITY_PRESETS), allowNull: false },
      framing: { type: DataTypes.TEXT, allowNull: false, defaultValue: DEFAULT_FRAMING },
      framing_fit: { type: DataTypes.TEXT, allowNull: false, defaultValue: DEFAULT_FRAMING_FIT },
      loudness_lufs: { type: DataTypes.REAL },
      status: { type: DataTypes.ENUM(...EXPORT_STATUSES), allowNull: false, defaultValue: 'pending' },
      progress_percentage: { type: DataTypes.SMALLINT, allowNull: false, defaultValue: 0 },
      segment_selections: { type: DataTypes.JSONB, allowNull: false },
      total_duration_seconds: { type: DataTypes.DOUBLE, allowNull: false },
      output_s3_key: { type: DataTypes.TEXT },
      output_url: { type: DataTypes.TEXT },
      file_size_bytes: bigintAsNumber('file_size_bytes'),
      upscaled: { type: DataTypes.BOOLEAN },
      error_message: { type: DataTypes.TEXT },
      idempotency_key: { type: DataTypes.TEXT },
      request_fingerprint: { type: DataTypes.TEXT },
      started_at: { type: DataTypes.DATE },
      completed_at: { type: DataTypes.DATE },
      ...timestampColumns,
    },
    { sequelize, tableName: 'exports', modelName: 'Export', ...timestampOptions },
  );

  ExportSettings.init(
    {
      user_id: { type: DataTypes.UUID, primaryKey: true },
      default_resolution: { type: DataTypes.ENUM(...RESOLUTIONS), allowNull: false },
      default_format: { type: DataTypes.ENUM(...FORMATS), allowNull: false },
      default_quality: { type: DataTypes.ENUM(...QUALITY_PRESETS), allowNull: false },
      custom_presets: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
      ...timestampColumns,
    },
    { sequelize, tableName: 'export_settings', modelName: 'ExportSettings', ...timestampOptions },
  );

  User.hasMany(Video, { foreignKey: 'user_id', as: 'videos' });
  User.hasMany(Export, { foreignKey: 'user_id', as: 'exports' });
  User.hasOne(ExportSettings, { foreignKey: 'user_id', as: 'export_settings' });
  Video.belongsTo(User, { foreignKey: 'user_id', as: 'user' });
  Video.hasMany(Export, { foreignKey: 'video_id', as: 'exports' });
  Export.belongsTo(Video, { foreignKey: 'video_id', as: 'video' });
  Export.belongsTo(User, { foreignKey: 'user_id', as: 'user' });
  ExportSettings.belongsTo(User, { foreignKey: 'user_id', as: 'user' });

  return { User, Video, Export, ExportSettings };
}

/** The model classes, as {@link initModels} returns them. */
export interface Models {
  User: typeof User;
  Video: typeof Video;
  Export: typeof Export;
  ExportSettings: typeof ExportSettings;
}

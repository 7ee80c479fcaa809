import type { CustomPreset } from '@vexport/sdk';

/**
 * Export options that suit common destinations. Each promises only what the API does: none of them crops
 * or pads the picture (the API keeps the source's framing), so none is called portrait.
 */
export const RECOMMENDED_PRESETS = [
  { id: 'youtube', resolution: '1080p', quality_preset: 'high', format: 'mp4' },
  { id: 'social', resolution: '1080p', quality_preset: 'medium', format: 'mp4' },
  { id: 'web', resolution: '720p', quality_preset: 'medium', format: 'webm' },
] as const satisfies readonly Omit<CustomPreset, 'name'>[];

/** The id of a recommended preset; its name is in the strings (`recommendedPresetNames`). */
export type RecommendedPresetId = (typeof RECOMMENDED_PRESETS)[number]['id'];

import { LOUDNESS_TARGETS, type CustomPreset, type Export } from '@vexport/sdk';

/**
 * Export options that suit common destinations and that saved settings can hold. Settings keep no framing or
 * loudness, so their names promise neither; the dialog adds both to `reels` (below).
 */
export const RECOMMENDED_PRESETS = [
  { id: 'youtube', resolution: '1080p', quality_preset: 'high', format: 'mp4' },
  { id: 'reels', resolution: '1080p', quality_preset: 'medium', format: 'mp4' },
  { id: 'web', resolution: '720p', quality_preset: 'medium', format: 'webm' },
] as const satisfies readonly Omit<CustomPreset, 'name'>[];

/** A preset the export dialog offers: the options of a saved preset, and optionally a framing and loudness. */
export type DialogPreset = Omit<CustomPreset, 'name'> &
  Partial<Pick<Export, 'framing' | 'framing_fit' | 'loudness_lufs'>>;

/**
 * What the export dialog recommends: the presets above, with short-video platforms' one framed 9:16 and its
 * loudness evened out to theirs, which an export request carries but saved settings cannot.
 */
export const DIALOG_RECOMMENDED_PRESETS: readonly DialogPreset[] = [
  RECOMMENDED_PRESETS[0],
  {
    ...RECOMMENDED_PRESETS[1],
    framing: '9:16',
    framing_fit: 'crop',
    loudness_lufs: LOUDNESS_TARGETS.social,
  },
  RECOMMENDED_PRESETS[2],
];

/** The id of a recommended preset; its name is in the strings (`recommendedPresetNames`). */
export type RecommendedPresetId = (typeof RECOMMENDED_PRESETS)[number]['id'];

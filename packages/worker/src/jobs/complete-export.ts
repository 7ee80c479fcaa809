import type { Models } from '@vexport/db';

/** What a delivered export's record says of its file. */
export interface DeliveredFile {
  key: string;
  size: number;
  upscaled: boolean;
}

/**
 * Records an export as completed with its delivered file, only while it is still `processing` (a cancel
 * that landed first wins). Resolves to false when it was no longer processing.
 */
export async function markExportCompleted(
  models: Models,
  exportId: string,
  file: DeliveredFile,
  cdnBaseUrl: string | undefined,
): Promise<boolean> {
  const [completed] = await models.Export.update(
    {
      status: 'completed',
      progress_percentage: 100,
      output_s3_key: file.key,
      output_url: cdnBaseUrl
        ? `${cdnBaseUrl.replace(/\/+$/, '')}/${file.key}`
        : `/api/exports/${exportId}/download`,
      file_size_bytes: file.size,
      upscaled: file.upscaled,
      completed_at: new Date(),
      error_message: null,
    },
    { where: { id: exportId, status: 'processing' } },
  );
  return completed > 0;
}

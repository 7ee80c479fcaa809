import { QueryTypes, type Sequelize } from 'sequelize';

/** What the export list is filtered by: the user's exports, optionally of one video, status and type. */
export interface ExportTotalFilter {
  userId: string;
  videoId?: string | undefined;
  status?: string | undefined;
  exportType?: string | undefined;
}

/**
 * How many exports match the list's filter, read from `export_counts` (kept exact by triggers on `exports`,
 * see migration 0006): a few rows summed, instead of counting every matching export on every page.
 */
export async function countExports(sequelize: Sequelize, filter: ExportTotalFilter): Promise<number> {
  const conditions = ['user_id = $1'];
  const bind: string[] = [filter.userId];
  for (const [column, value] of [
    ['video_id', filter.videoId],
    ['status', filter.status],
    ['export_type', filter.exportType],
  ] as const) {
    if (value === undefined) continue;
    bind.push(value);
    conditions.push(`${column} = $${bind.length}`);
  }
  const [row] = await sequelize.query<{ total: string | null }>(
    `SELECT sum(count) AS total FROM export_counts WHERE ${conditions.join(' AND ')}`,
    { bind, type: QueryTypes.SELECT },
  );
  return Number(row?.total ?? 0);
}

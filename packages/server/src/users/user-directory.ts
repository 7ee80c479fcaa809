import type { Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';

const CACHE_LIMIT = 10_000;

/**
 * Maps the host app's user ids (JWT `sub`) to ours, creating the user on first sight. The mapping never
 * changes, so each process remembers it.
 */
export class UserDirectory {
  readonly #sequelize: Sequelize;
  readonly #cache = new Map<string, string>();

  constructor(sequelize: Sequelize) {
    this.#sequelize = sequelize;
  }

  /** Our id for the host app's user `externalId`, created when this is the user's first request. */
  async resolve(externalId: string): Promise<string> {
    const cached = this.#cache.get(externalId);
    if (cached) return cached;
    const [row] = await this.#sequelize.query<{ id: string }>(
      `INSERT INTO users (external_id) VALUES (:externalId)
       ON CONFLICT (external_id) DO UPDATE SET external_id = EXCLUDED.external_id
       RETURNING id`,
      { replacements: { externalId }, type: QueryTypes.SELECT },
    );
    const id = row!.id;
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(externalId, id);
    return id;
  }
}

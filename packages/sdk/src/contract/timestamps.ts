import { z } from 'zod';

/** An ISO 8601 timestamp with offset, as the API writes every date. */
export const Timestamp = z.iso.datetime({ offset: true });

/** An entity id (UUID). */
export const EntityId = z.uuid();

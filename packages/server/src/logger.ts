import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** The API's structured logger (JSON lines on stdout). */
export function createLogger(level: LevelWithSilent, name = 'vexport-api'): Logger {
  return pino({ name, level });
}

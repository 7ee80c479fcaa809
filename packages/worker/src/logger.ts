import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** The worker's structured logger (JSON lines on stdout). */
export function createLogger(level: LevelWithSilent, name = 'vexport-worker'): Logger {
  return pino({ name, level });
}

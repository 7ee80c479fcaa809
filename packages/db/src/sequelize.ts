import { Sequelize } from 'sequelize';

/**
 * Connections the pool keeps open however idle it is, and how long one above that may sit idle before it
 * is closed. Opening a connection costs both sides a SCRAM exchange and PostgreSQL a new backend process:
 * with nothing kept open and a 10 s idle limit, a process whose traffic paused for 10 s opened eight at once
 * on its next burst, and the requests of both API processes waited 60-100 ms behind them.
 */
const POOL_KEPT_OPEN = 2;
const POOL_IDLE_MS = 60_000;

/** A Sequelize instance on PostgreSQL. No `sync()`: the schema comes from migrations only. */
export function createSequelize(databaseUrl: string, { poolMax = 10 }: { poolMax?: number } = {}): Sequelize {
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: false,
    pool: { max: poolMax, min: Math.min(POOL_KEPT_OPEN, poolMax), idle: POOL_IDLE_MS, acquire: 10_000 },
    define: { underscored: true, timestamps: true },
    dialectOptions: { application_name: 'vexport' },
  });
}

/** The PostgreSQL server's version string, e.g. "17.10". */
export async function readPostgresVersion(sequelize: Sequelize): Promise<string> {
  const [rows] = await sequelize.query("SELECT current_setting('server_version') AS version");
  return (rows as { version: string }[])[0]!.version;
}

import { Sequelize } from 'sequelize';

/** A Sequelize instance on PostgreSQL. No `sync()`: the schema comes from migrations only. */
export function createSequelize(databaseUrl: string, { poolMax = 10 }: { poolMax?: number } = {}): Sequelize {
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: false,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    define: { underscored: true, timestamps: true },
    dialectOptions: { application_name: 'vexport' },
  });
}

/** The PostgreSQL server's version string, e.g. "17.10". */
export async function readPostgresVersion(sequelize: Sequelize): Promise<string> {
  const [rows] = await sequelize.query("SELECT current_setting('server_version') AS version");
  return (rows as { version: string }[])[0]!.version;
}

import type { QueryInterface } from 'sequelize';

/** One schema change, applied in order by name. `down` undoes exactly what `up` did. */
export interface Migration {
  name: string;
  up(queryInterface: QueryInterface): Promise<void>;
  down(queryInterface: QueryInterface): Promise<void>;
}

/** Runs each statement in order inside one transaction, so a migration applies whole or not at all. */
export async function runStatements(
  queryInterface: QueryInterface,
  statements: readonly string[],
): Promise<void> {
  await queryInterface.sequelize.transaction(async (transaction) => {
    for (const statement of statements) await queryInterface.sequelize.query(statement, { transaction });
  });
}

/** A SQL enum literal list, e.g. `'a', 'b'`, from values that contain no quotes. */
export function sqlEnumValues(values: readonly string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

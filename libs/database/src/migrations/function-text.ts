/**
 * A later migration's version of a PL/pgSQL function, written as the earlier text plus what it
 * adds: `addition` goes in before `anchor`, which must be there. A function replacement keeps
 * the `$$` of the text as it is (a replacement string would turn it into `$`).
 */
export function extendFunction(sql: string, anchor: string, addition: string): string {
  if (!sql.includes(anchor)) throw new Error(`no "${anchor}" to extend`);
  return sql.replace(anchor, () => `${addition}${anchor}`);
}

/** An earlier migration's `CREATE FUNCTION` as `CREATE OR REPLACE FUNCTION`, to replace or restore it. */
export const orReplace = (sql: string): string => sql.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');

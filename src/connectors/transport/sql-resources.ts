/**
 * How one resource of an agency system lies in a 前置库 exchange database. Only these names
 * ever reach SQL text (values always travel as parameters), and each is checked here first.
 */
export interface SqlResourceTable {
  /** Table or view the agency writes, e.g. `xy_record`. */
  table: string;
  /** Identifies a row: the stable order of `list` and the tie-break of the change feed. */
  idColumn: string;
  /** When the row was last written (DATETIME/TIMESTAMP): the change feed follows it. */
  updatedColumn: string;
  /** Each raw field (a dotted path for a nested one, e.g. `sxmd.zt`) and the column holding it. */
  fields: Readonly<Record<string, string>>;
}

/** A resource with its names checked and quoted, ready to be written into statements. */
export interface CheckedResource {
  name: string;
  table: string;
  idColumn: string;
  updatedColumn: string;
  /** The select list, each column aliased to its field path. */
  selectList: string;
  /** Field path → quoted column, for lookups. */
  columnOf: ReadonlyMap<string, string>;
  /** Field paths in select-list order, for turning rows into nested records. */
  fieldPaths: readonly string[];
}

/**
 * Plain unquoted identifiers only (letters, digits, `_`, `$`; optionally `schema.table`), up to
 * MariaDB's 64 characters: a configuration typo fails at start, and a name can never carry SQL.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function quoteIdentifier(name: string, what: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new Error(`${what} '${name}' is not a plain SQL identifier (letters, digits, _ and $; up to 64)`);
  }
  return parts.map((part) => `\`${part}\``).join('.');
}

/** Checks every name of every resource, naming each problem at once. */
export function checkResources(resources: Readonly<Record<string, SqlResourceTable>>): Map<string, CheckedResource> {
  const problems: string[] = [];
  const checked = new Map<string, CheckedResource>();
  const quote = (name: string, what: string) => {
    try {
      return quoteIdentifier(name, what);
    } catch (error) {
      problems.push((error as Error).message);
      return '';
    }
  };
  for (const [name, resource] of Object.entries(resources)) {
    const paths = Object.keys(resource.fields);
    if (paths.length === 0) problems.push(`resource '${name}' maps no fields`);
    for (const path of paths) {
      if (!FIELD_PATH.test(path)) problems.push(`resource '${name}': field path '${path}' is not dotted identifiers`);
    }
    const columnOf = new Map(paths.map((path) => [path, quote(resource.fields[path]!, `${name}.${path} column`)]));
    checked.set(name, {
      name,
      table: quote(resource.table, `${name} table`),
      idColumn: quote(resource.idColumn, `${name} id column`),
      updatedColumn: quote(resource.updatedColumn, `${name} update-time column`),
      // The alias is the field path itself, so a row needs no renaming; it is quoted like any identifier.
      selectList: paths.map((path) => `${columnOf.get(path)} AS \`${path}\``).join(', '),
      columnOf,
      fieldPaths: paths,
    });
  }
  if (problems.length > 0) throw new Error(`Invalid exchange-database configuration:\n  ${problems.join('\n  ')}`);
  return checked;
}

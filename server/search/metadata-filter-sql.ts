import type { AttributeRef, FilterNode, FilterValue } from './metadata-filter.ts';

/**
 * Compiles a parsed metadata filter to an SQL boolean expression. Only bound parameters carry
 * user input: attribute names travel as JSON paths (`$."lang"`) into json_extract, values as
 * parameters. The column expressions are fixed strings chosen by the engine, never by a user.
 */

export interface MetadataColumns {
  /** SQL expression holding the document's metadata JSON, e.g. `d.metadata`. */
  doc: string;
  /** SQL expression holding the section's metadata JSON, e.g. `s.metadata`. */
  part: string;
}

export interface CompiledFilter {
  sql: string;
  params: Array<string | number>;
}

export function compileMetadataFilter(node: FilterNode, columns: MetadataColumns): CompiledFilter {
  const params: Array<string | number> = [];
  const sql = compileNode(node, columns, params);
  return { sql, params };
}

function compileNode(
  node: FilterNode,
  columns: MetadataColumns,
  params: Array<string | number>,
): string {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const left = compileNode(node.left, columns, params);
      const right = compileNode(node.right, columns, params);
      return `(${left} ${node.kind === 'and' ? 'AND' : 'OR'} ${right})`;
    }
    case 'not':
      return `(NOT ${compileNode(node.operand, columns, params)})`;
    case 'compare': {
      const attribute = attributeValue(node.attribute, columns, params);
      params.push(sqlValue(node.value));
      // coalesce: a condition on a missing attribute is false, so `not` turns it true
      // (two-valued logic, as a filter author expects) instead of SQL's NULL-propagation.
      return `coalesce(${attribute} ${node.operator} ?, 0)`;
    }
    case 'in': {
      const attribute = attributeValue(node.attribute, columns, params);
      for (const value of node.values) params.push(sqlValue(value));
      const placeholders = node.values.map(() => '?').join(', ');
      return `coalesce(${attribute} ${node.negated ? 'NOT IN' : 'IN'} (${placeholders}), 0)`;
    }
    case 'isNull': {
      const attribute = attributeValue(node.attribute, columns, params);
      return `(${attribute} ${node.negated ? 'IS NOT NULL' : 'IS NULL'})`;
    }
  }
}

function attributeValue(
  attribute: AttributeRef,
  columns: MetadataColumns,
  params: Array<string | number>,
): string {
  // Names are [A-Za-z0-9_.] (the parser guarantees it), so quoting the key cannot break out.
  params.push(`$."${attribute.name}"`);
  return `json_extract(${attribute.level === 'doc' ? columns.doc : columns.part}, ?)`;
}

/** json_extract returns JSON true/false as 1/0, so booleans compare as those numbers. */
function sqlValue(value: FilterValue): string | number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

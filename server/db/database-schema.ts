import { accountsSchema } from '../accounts/accounts-schema.ts';
import { corporaSchema } from '../accounts/corpora-schema.ts';
import { sqliteKeySchema } from '../keys/sqlite-key-schema.ts';
import { searchSchema } from '../search/search-schema.ts';
import type { SchemaComponent } from './migrations.ts';

/** Every component with tables in the data folder's database, migrated in this order. */
export const databaseSchema: readonly SchemaComponent[] = [
  accountsSchema,
  corporaSchema,
  sqliteKeySchema,
  searchSchema,
];

// Migrations must not fail because another session changes a different schema
// at the same moment (CI once failed with `column "raw_header" of relation
// "import_file" does not exist` while a parallel test migrated down its own schema).
import { expect, it } from 'vitest';
import pg from 'pg';
import { openTestDb, TEST_PG_URL } from '../test/db.ts';

it('migrating a schema while another schema adds and drops columns and tables', async () => {
  const other = `t_churn_${process.pid}`;
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  await client.query(`drop schema if exists ${other} cascade; create schema ${other}`);
  let stop = false;
  let churns = 0;
  // Drop and re-create columns and whole tables as fast as the server allows.
  const churn = (async () => {
    while (!stop) {
      await client.query(`create table ${other}.t (id serial primary key, a text, b text)`);
      await client.query(`alter table ${other}.t drop column a`);
      await client.query(`drop table ${other}.t`);
      churns++;
    }
  })();
  try {
    for (let i = 0; i < 6; i++) {
      const h = await openTestDb('postgres');
      await h.close();
    }
  } finally {
    stop = true;
    await churn;
    await client.query(`drop schema if exists ${other} cascade`);
    await client.end();
  }
  expect(churns).toBeGreaterThan(10);
}, 120_000);

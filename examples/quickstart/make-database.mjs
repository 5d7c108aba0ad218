// Makes the DuckDB file analytics.duckdb from orders.csv, once (and again whenever the data
// changes); the server then opens it read-only instead of reading the CSV into memory:
//   node make-database.mjs && DUCKDB_FILE=analytics.duckdb npm start
// A Parquet file works the same way: read_parquet('orders.parquet').
import { createDuckDbDataSource } from 'chartio-embed/host';

const file = await createDuckDbDataSource({
  path: 'analytics.duckdb',
  setup: ["CREATE OR REPLACE TABLE orders AS FROM read_csv('orders.csv')"],
});
await file.close();
console.log('analytics.duckdb holds the orders table, from orders.csv');

// The demo's real database: a SQLite file (better-sqlite3) filled on the fly with enough orders that the hot
// query — a product's sales summary, with no index on orders.product_id — scans every row (tens of ms).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The hot query: one product's sales summary, a full scan of `orders`. */
export const HOT_QUERY = `
  SELECT product_id AS productId, count(*) AS orders, sum(qty) AS units,
         round(sum(qty * price), 2) AS revenue, round(avg(price), 2) AS avgPrice
  FROM orders WHERE product_id = ? GROUP BY product_id`;

const PRODUCTS = 1_000;

/**
 * Creates a database of `rows` orders in a temporary folder, reporting progress as rows are inserted.
 * Returns its path and a `remove()` that deletes it.
 */
export function createDatabase(rows, onProgress = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shared-call-demo-'));
  const path = join(dir, 'shop.db');
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, qty INTEGER NOT NULL,
                                price REAL NOT NULL, placed_at INTEGER NOT NULL)`);
  const insert = db.prepare('INSERT INTO orders (product_id, qty, price, placed_at) VALUES (?, ?, ?, ?)');
  const batch = 50_000;
  for (let start = 0; start < rows; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(rows, start + batch); i++) insert.run(i % PRODUCTS, 1 + (i % 5), (i % 97) + 0.5, i);
    })();
    onProgress(Math.min(rows, start + batch));
  }
  db.close();
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

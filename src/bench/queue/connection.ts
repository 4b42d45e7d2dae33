import type { RedisOptions } from 'bullmq';

/**
 * `redis://[user:password@]host:port[/db]` as BullMQ connection options. Every connection retries
 * forever (maxRetriesPerRequest null): a Redis restart must pause a sweep, never fail its cells.
 */
export function redisOptions(url: string, flag = '--queue'): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${flag}: expected redis://host:port[/db], got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error(`${flag}: expected redis://host:port[/db], got ${JSON.stringify(url)}`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error(`${flag}: the database in ${url} must be a number, got ${db}`);
  const port = u.port ? Number(u.port) : 6379;
  return {
    host: u.hostname || '127.0.0.1',
    port,
    db: db ? Number(db) : 0,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 5000),
  };
}

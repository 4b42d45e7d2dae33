import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/**
 * A loopback HTTP server: GET maps URL prefixes to files on disk, POST /result hands the body to
 * `onResult`. What a browser page (or tf.loadLayersModel) needs, and nothing outside 127.0.0.1.
 */
export async function serve(
  routes: Record<string, string>,
  onResult?: (body: string) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (req.method === 'POST' && path === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        onResult?.(body);
      });
      return;
    }
    const prefix = Object.keys(routes)
      .sort((a, b) => b.length - a.length)
      .find((p) => path === p || path.startsWith(p.endsWith('/') ? p : p + '/'));
    if (!prefix || path.includes('..')) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const file = routes[prefix] + path.slice(prefix.length);
    try {
      const data = readFileSync(file);
      res.setHeader('content-type', TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream');
      res.end(data);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

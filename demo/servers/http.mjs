// Starts a node:http server on 127.0.0.1 with an ephemeral port and gives back its base URL and a closer.
import { createServer } from 'node:http';

/** Listens with `handler` on 127.0.0.1:0; resolves to `{ url, close }`. */
export async function listenOnLoopback(handler) {
  const server = createServer(handler);
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Reads a request body as JSON (rejects on bad JSON). */
export async function readJson(request) {
  let body = '';
  for await (const chunk of request) body += chunk;
  return JSON.parse(body);
}

/** Sends `value` as a JSON response with `status`. */
export function sendJson(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

import { createServer, type AddressInfo, type Server } from 'node:net';

/** A test server's own port: listens (port 0: any free one) and says which. */
export async function listenOn(server: Server, host = '127.0.0.1', port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listenOn(s);
  await new Promise((r) => s.close(r));
  return port;
}

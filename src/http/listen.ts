import type { Server } from 'node:http';
import { StartFailure } from '../platform/start-failure.ts';

/** The variables that chose a listener's port and host, named when the machine refuses them. */
export interface ListenSettings {
  port: string;
  host: string;
}

/**
 * Resolves once `server` listens on `port` of `host`; rejects when it cannot. The ways the machine
 * refuses an address are said in one line naming the setting to change, since the commonest (a
 * gateway started earlier still holding PORT) is a newcomer's second `npm start`.
 */
export function listen(server: Server, port: number, host: string, settings: ListenSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException): void => reject(addressRefusal(error, `${host}:${port}`, settings));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
}

function addressRefusal(error: NodeJS.ErrnoException, address: string, settings: ListenSettings): Error {
  const cause = { cause: error };
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartFailure(
        `${address} is already in use by another process (EADDRINUSE): stop it (an earlier gateway?) or set ${settings.port} to a free port`,
        cause,
      );
    case 'EACCES':
      return new StartFailure(
        `${address} may not be listened on by this user (EACCES): ports below 1024 need privileges; set ${settings.port} to 1024 or above`,
        cause,
      );
    case 'EADDRNOTAVAIL':
      return new StartFailure(
        `${address} is not an address of this machine (EADDRNOTAVAIL): set ${settings.host} to one of its interfaces`,
        cause,
      );
    default:
      return error;
  }
}

// Preloaded into Omniboard's server (node --import): Omniboard listens on every interface
// and prints the port it was asked for ("listening on port 0!"), not the one it got. This
// binds every listening socket given only a port to 127.0.0.1 and prints the real port as
// one line the harness waits for. It also ends the server with the harness.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function patchedListen(...args) {
  const first = args[0];
  const portOnly = typeof first === 'number' || (typeof first === 'string' && /^\d+$/u.test(first));
  if (portOnly && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1');
  }
  this.once('listening', () => {
    const address = this.address();
    if (address !== null && typeof address === 'object') {
      process.stdout.write(`ALTAR_OMNIBOARD_LISTENING ${address.address} ${address.port}\n`);
    }
  });
  return listen.apply(this, args);
};

// The harness holds our stdin open: when it goes (a test process killed mid-run), so do we,
// instead of serving on as an orphan.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

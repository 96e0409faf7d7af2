// One client socket: frames requests, answers them strictly in order, and
// applies the injected faults (silence, delays, dropped connections).
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HANDSHAKE_COMMANDS, commandName, dispatch } from './command-dispatch';
import { errorReply } from './command-error';
import { decodeRequest } from './request-decoder';
import type { ConnectionState, ServerState } from './server-state';
import { MessageFramer, encodeOpMsgReply, encodeOpReply } from './wire-protocol';
import type { WireMessage } from './wire-protocol';

export function serveConnection(socket: Socket, server: ServerState, id: number): void {
  const connection: ConnectionState = {
    id,
    user: undefined,
    conversations: new Map(),
    nextConversationId: 1,
  };
  const framer = new MessageFramer();
  let queue: Promise<void> = Promise.resolve();

  const handle = async (message: WireMessage): Promise<void> => {
    if (server.faults.silent || socket.destroyed) return;
    const request = decodeRequest(message);
    const name = commandName(request.command);
    const counted = !HANDSHAKE_COMMANDS.has(name);
    const { dropAfterReplies } = server.faults;
    if (counted && dropAfterReplies !== undefined && server.countedReplies >= dropAfterReplies) {
      socket.destroy();
      return;
    }
    let reply;
    try {
      reply = dispatch(request.command, { server, connection, db: request.db });
    } catch (error) {
      reply = errorReply(error);
    }
    if (request.moreToCome) return;
    const delayMs = server.faults.delayMs ?? 0;
    if (delayMs > 0) await sleep(delayMs);
    if (socket.destroyed || server.faults.silent) return;
    const frame = request.legacy
      ? encodeOpReply(message.requestId, reply)
      : encodeOpMsgReply(message.requestId, reply);
    socket.write(frame);
    if (counted) server.countedReplies += 1;
  };

  socket.on('data', (chunk: Buffer) => {
    let messages: WireMessage[];
    try {
      messages = framer.push(chunk);
    } catch {
      socket.destroy();
      return;
    }
    for (const message of messages) {
      queue = queue
        .then(() => handle(message))
        .catch(() => {
          socket.destroy();
        });
    }
  });
  socket.on('error', () => socket.destroy());
}

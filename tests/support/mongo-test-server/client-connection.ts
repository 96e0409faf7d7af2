// One client socket: frames requests, answers them strictly in order, and
// applies the injected faults (silence, delays, dropped connections).
import { Double } from 'bson';
import type { Document } from 'bson';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HANDSHAKE_COMMANDS, HELLO_COMMANDS, commandName, dispatch } from './command-dispatch';
import { errorReply } from './command-error';
import { decodeRequest } from './request-decoder';
import type { DecodedCommand } from './request-decoder';
import type { ConnectionState, ServerState } from './server-state';
import { awaitTimeMS } from './topology-version';
import {
  MessageFramer,
  OP_MSG_MORE_TO_COME,
  encodeOpMsgReply,
  encodeOpReply,
} from './wire-protocol';
import type { WireMessage } from './wire-protocol';

export function serveConnection(socket: Socket, server: ServerState, id: number, member = 0): void {
  const connection: ConnectionState = {
    id,
    member,
    user: undefined,
    conversations: new Map(),
    nextConversationId: 1,
  };
  const framer = new MessageFramer();
  let queue: Promise<void> = Promise.resolve();

  const closed = new AbortController();
  socket.once('close', () => closed.abort());
  const topologyVersion = server.topologyVersions[member];

  const answer = (request: DecodedCommand, name: string): Document => {
    let reply: Document;
    try {
      reply = dispatch(request.command, { server, connection, db: request.db });
    } catch (error) {
      reply = errorReply(error);
    }
    const counts = server.commandCounts[member];
    counts?.set(name, (counts.get(name) ?? 0) + 1);
    // mongod sends ok as a double (1.0 / 0.0); pymongo and the drivers accept either.
    if (typeof reply.ok === 'number') reply.ok = new Double(reply.ok);
    return reply;
  };

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
    const awaitMs = HELLO_COMMANDS.has(name) ? awaitTimeMS(request.command) : undefined;
    if (awaitMs !== undefined && topologyVersion) {
      await topologyVersion.waitForChange(request.command.topologyVersion, awaitMs, closed.signal);
      if (socket.destroyed) return;
    }
    let reply = answer(request, name);
    if (request.moreToCome) return;
    const delayMs = server.faults.delayMs ?? 0;
    if (delayMs > 0) await sleep(delayMs);
    if (socket.destroyed || server.faults.silent) return;
    // An awaitable hello with exhaustAllowed streams: mongod answers it again each time the
    // topology changes or maxAwaitTimeMS passes, flagging every reply moreToCome.
    const streaming =
      awaitMs !== undefined && topologyVersion !== undefined && request.exhaustAllowed;
    let frame = request.legacy
      ? encodeOpReply(message.requestId, reply)
      : encodeOpMsgReply(message.requestId, reply, streaming ? OP_MSG_MORE_TO_COME : 0);
    socket.write(frame);
    if (counted) server.countedReplies += 1;
    while (streaming && reply.topologyVersion !== undefined && !closed.signal.aborted) {
      await topologyVersion.waitForChange(reply.topologyVersion, awaitMs, closed.signal);
      if (socket.destroyed || server.faults.silent) return;
      reply = answer(request, name);
      frame = encodeOpMsgReply(frame.readInt32LE(4), reply, OP_MSG_MORE_TO_COME);
      socket.write(frame);
    }
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

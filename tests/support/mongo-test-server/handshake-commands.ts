// Commands a client may run before authenticating: hello/isMaster describe a
// standalone MongoDB 7.0 (wire version 21) without compression, or a member of a
// replica set in that mode.
import type { Document } from 'bson';
import { speculativeAuthenticate } from './auth-commands';
import { isWritablePrimary, replicaSetHelloFields } from './replica-set';
import type { CommandHandler } from './server-state';
import { authEnabled } from './server-state';

export const SERVER_VERSION = '7.0.0-altar-test';
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

function helloReply(legacyName: boolean): CommandHandler {
  return (command, context) => {
    const reply: Document = {};
    if (command.helloOk === true) reply.helloOk = true;
    const writable = isWritablePrimary(context);
    if (legacyName) reply.ismaster = writable;
    else reply.isWritablePrimary = writable;
    Object.assign(reply, replicaSetHelloFields(context));
    const version = context.server.topologyVersions[context.connection.member];
    if (version) reply.topologyVersion = version.current();
    Object.assign(reply, {
      maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
      maxMessageSizeBytes: 48_000_000,
      maxWriteBatchSize: 100_000,
      localTime: new Date(),
      logicalSessionTimeoutMinutes: 30,
      connectionId: context.connection.id,
      minWireVersion: 0,
      maxWireVersion: 21,
      readOnly: false,
    });
    if (typeof command.saslSupportedMechs === 'string' && authEnabled(context.server)) {
      if (context.server.secrets.has(command.saslSupportedMechs)) {
        reply.saslSupportedMechs = ['SCRAM-SHA-256'];
      }
    }
    if (command.speculativeAuthenticate !== undefined) {
      const speculative = speculativeAuthenticate(command.speculativeAuthenticate, context);
      if (speculative) reply.speculativeAuthenticate = speculative;
    }
    reply.ok = 1;
    return reply;
  };
}

export const hello = helloReply(false);
export const isMaster = helloReply(true);

export const ping: CommandHandler = () => ({ ok: 1 });

export const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'altar-test',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['inMemory'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

export const endSessions: CommandHandler = () => ({ ok: 1 });

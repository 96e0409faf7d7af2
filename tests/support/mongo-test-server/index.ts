// Public entry of the MongoDB test server (tests only).
export { startMongoTestServer } from './mongo-test-server';
export type { MongoTestServer, MongoTestServerOptions } from './mongo-test-server';
export { mongoUriWithCredentials } from './mongo-uri';
export type { Faults } from './faults';
export type { TestRole, TestUser } from './test-users';

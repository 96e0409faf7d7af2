// Public entry of the MongoDB test server (tests only).
export { startMongoTestServer } from './mongo-test-server';
export type {
  MongoTestServer,
  MongoTestServerOptions,
  ReplicaSetControl,
  ReplicaSetOptions,
} from './mongo-test-server';
export { generateTestCertificates } from './test-certificates';
export type { TestCertificateOptions, TestCertificates } from './test-certificates';
export { mongoUriWithCredentials } from './mongo-uri';
export type { Faults } from './faults';
export type { TestRole, TestUser } from './test-users';

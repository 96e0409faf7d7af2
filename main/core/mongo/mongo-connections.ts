import type { MongoClient } from 'mongodb';

/**
 * One connected MongoClient per connection profile, shared by discovery, sync and artifact
 * streaming. Implemented in main/core/mongo/ (connection-pool.ts); the sync code only needs this.
 */
export interface MongoConnections {
  /**
   * A connected client for the profile, connecting on first use. Throws AltarError with
   * CONNECTION_FAILED / AUTH_FAILED / TIMEOUT / PASSWORD_REQUIRED / CANCELLED and a message
   * that never contains the password.
   */
  client(
    profileId: string,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<MongoClient>;
  /** Turns any driver error into an AltarError with a specific, redacted message. */
  classifyError(error: unknown, profileId: string): Error;
  /** Closes a profile's client (after an edit or removal) or, without an id, all of them. */
  close(profileId?: string): Promise<void>;
}

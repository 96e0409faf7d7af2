// Failures a test can switch on while the server runs.
export interface Faults {
  /**
   * Answer this many more commands (counted over all connections, from the moment the
   * faults were set), then close the connection of every further command instead of
   * answering it. The handshake (hello/isMaster, saslStart/saslContinue) is neither
   * counted nor dropped, so clients keep reconnecting and see network errors.
   */
  dropAfterReplies?: number;
  /** Wait this long before sending each reply. */
  delayMs?: number;
  /** Fail every authentication attempt with code 18 AuthenticationFailed. */
  refuseAuth?: boolean;
  /** Accept TCP connections but never answer anything. */
  silent?: boolean;
}

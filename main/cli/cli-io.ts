/** What a command may touch of the process, passed in so nothing reaches for globals. */
export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** Only read to ask for a password, and only when it is a terminal. */
export type InputStream = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
};

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Absent in tests and embedders that never prompt. */
  stdin?: InputStream;
}

/** An artifact URL answered with an error: its HTTP status and the core's message. */
export class ArtifactFetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactFetchError';
  }

  /** 503 is SOURCE_UNAVAILABLE: a MongoDB artifact that is not cached, with the server away. */
  get notAvailableOffline(): boolean {
    return this.status === 503;
  }
}

/**
 * The error of a failed artifact response. The HTTP door answers with the JSON envelope
 * `{ok: false, error: {code, message}}`, the Electron protocol with the message as text.
 */
export async function artifactFetchError(response: Response): Promise<ArtifactFetchError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // No body: the status alone says what happened.
  }
  return new ArtifactFetchError(response.status, messageOf(text, response));
}

function messageOf(text: string, response: Response): string {
  const fallback = `The artifact could not be read (${response.status} ${response.statusText}).`;
  if (text.trim() === '') return fallback;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const { error } = parsed as { error?: { message?: unknown } };
      if (typeof error?.message === 'string') return error.message;
    }
    return fallback;
  } catch {
    return text.length > 500 ? fallback : text;
  }
}

/** Asks the artifact URL for one byte to learn why an <img> could not load it. */
export async function probeArtifact(url: string): Promise<ArtifactFetchError | null> {
  try {
    const response = await fetch(url, {
      credentials: 'same-origin',
      headers: { Range: 'bytes=0-0' },
    });
    if (response.ok) {
      await response.body?.cancel();
      return null;
    }
    return await artifactFetchError(response);
  } catch (error) {
    return new ArtifactFetchError(0, error instanceof Error ? error.message : String(error));
  }
}

import { isAltarError } from '../../../shared/errors';
import { CliFailure } from '../cli-errors';
import { S3_SECRET_ENV } from '../storage-secret-fallback';

/** The core's PASSWORD_REQUIRED advice is for the app; the CLI's answer is the variable. */
export async function withStorageAdvice<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAltarError(error) && error.code === 'PASSWORD_REQUIRED') {
      const [first] = error.message.split(/\.\s/u);
      throw new CliFailure(
        `${(first ?? error.message).replace(/\.$/u, '')} (set ${S3_SECRET_ENV} or run in a terminal)`,
        1,
      );
    }
    throw error;
  }
}

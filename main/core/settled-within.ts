/**
 * Waits until every one of `promises` has settled, or `ms` have passed, whichever comes first;
 * true when they all settled. The timer is cleared either way, so it never holds the process.
 */
export async function settledWithin(
  promises: Iterable<Promise<unknown>>,
  ms: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([Promise.allSettled([...promises]).then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

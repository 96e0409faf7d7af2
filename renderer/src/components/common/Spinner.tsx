/** A small busy indicator beside a label; the label says what is going on. */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

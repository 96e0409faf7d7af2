export interface BannerError {
  id: number;
  message: string;
}

/** Failed calls, newest last; each can be dismissed, and nothing else on the page is blocked. */
export function ErrorBanner({
  errors,
  onDismiss,
}: {
  errors: BannerError[];
  onDismiss: (id: number) => void;
}) {
  if (errors.length === 0) return null;
  return (
    <div className="error-banners" role="alert">
      {errors.map((error) => (
        <div className="error-banner" data-testid="error-banner" key={error.id}>
          <span className="error-banner-message">{error.message}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => onDismiss(error.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

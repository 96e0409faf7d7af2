import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Changing it clears a caught error (e.g. the user opened another run). */
  resetKey: string;
  onBack?: () => void;
}

interface State {
  error: Error | null;
  resetKey: string;
}

/** Keeps a rendering bug in one panel from blanking the whole window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Panel crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="panel-crash" data-testid="error-banner">
        <h2>This panel could not be shown</h2>
        <p>{this.state.error.message}</p>
        {this.props.onBack !== undefined && (
          <button type="button" onClick={this.props.onBack}>
            Back to the run list
          </button>
        )}
      </div>
    );
  }
}

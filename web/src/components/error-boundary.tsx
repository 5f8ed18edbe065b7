/**
 * One error boundary per panel: a panel that fails to render shows why and a
 * retry button, and the rest of the screen keeps working.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { ErrorMessage } from './error-message';

interface BoundaryProps {
  /** What failed, for the message: "Timeline could not be shown". */
  label: string;
  children: ReactNode;
  onReset?: () => void;
}

interface BoundaryState {
  error: unknown;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`[panorama] ${this.props.label}:`, error, info.componentStack);
  }

  private reset = () => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  render() {
    if (this.state.error) {
      return (
        <ErrorMessage
          error={this.state.error}
          title={`${this.props.label} could not be shown`}
          onRetry={this.reset}
        />
      );
    }
    return this.props.children;
  }
}

export function PanelErrorBoundary({ label, children }: { label: string; children: ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary label={label} onReset={reset}>
          {children}
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}

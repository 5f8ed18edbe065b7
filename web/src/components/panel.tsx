import type { ReactNode } from 'react';
import { PanelErrorBoundary } from './error-boundary';

interface PanelProps {
  title: string;
  /** Extra controls or a count next to the title. */
  aside?: ReactNode;
  className?: string;
  children: ReactNode;
  testId?: string;
}

/** A titled region of a page with its own error boundary; its accessible name is the title. */
export function Panel({ title, aside, className, children, testId }: PanelProps) {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title} data-testid={testId}>
      <header className="panel-header">
        <h2>{title}</h2>
        {aside && <div className="panel-aside">{aside}</div>}
      </header>
      <div className="panel-body">
        <PanelErrorBoundary label={title}>{children}</PanelErrorBoundary>
      </div>
    </section>
  );
}
